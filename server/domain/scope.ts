import type { Role } from "../../shared/schemas/common.js";
import type { ErrorCode } from "../../shared/schemas/errors.js";

/** Who is asking: every read and write is filtered by it inside the query. */
export type Scope = { workspaceId: string; userId: string; role: Role };

/** A domain error: its message is the detail for the caller, its code the stable machine-readable kind. */
class CodedError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
  }
}

export class NotFound extends CodedError {
  constructor(what = "not found", code: ErrorCode = "not_found") {
    super(what, code);
  }
}

/** A request that is well-formed but not allowed in the current state (answers 409). */
export class Conflict extends CodedError {
  constructor(message: string, code: ErrorCode = "conflict") {
    super(message, code);
  }
}

/** A request whose content is invalid beyond its shape (answers 400). */
export class BadRequest extends CodedError {
  constructor(message: string, code: ErrorCode = "validation_failed") {
    super(message, code);
  }
}

/** The platform refused or failed what we asked on the agent's behalf (answers 502 with its reason). */
export class UpstreamError extends CodedError {
  constructor(message: string, code: ErrorCode = "upstream_error") {
    super(message, code);
  }
}
