import type { Role } from "../../shared/schemas/common.js";

/** Who is asking: every read and write is filtered by it inside the query. */
export type Scope = { workspaceId: string; userId: string; role: Role };

export class NotFound extends Error {
  constructor(what = "not found") {
    super(what);
  }
}

/** A request that is well-formed but not allowed in the current state (answers 409). */
export class Conflict extends Error {}

/** A request whose content is invalid beyond its shape (answers 400). */
export class BadRequest extends Error {}

/** The platform refused or failed what we asked on the agent's behalf (answers 502 with its reason). */
export class UpstreamError extends Error {}
