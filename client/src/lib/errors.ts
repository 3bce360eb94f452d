import type { z } from "zod";
import { errorCodes, friendlyError } from "../../../shared/schemas/index.js";
import { ApiError, isMissingEndpoint, type FieldIssue } from "../api";

/** Codes whose server text adds something the agent can act on (a platform's reason, which state). */
const detailWorthy = new Set<string>([
  "upstream_error",
  "reply_not_allowed",
  "conflict",
  "contact_blocked",
  "invalid_config",
  "moderation_not_allowed",
  "payload_too_large",
  "unsupported_media_type",
  "text_too_long",
  "unknown_template",
  "bad_request",
]);

export interface ShownError {
  /** The friendly words for the kind of error. */
  title: string;
  /** The server's specific detail, when it helps. */
  detail: string | null;
  issues: FieldIssue[];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A field path as a person reads it: "text" → "Text", "config.pageId" → "Config page id". */
export function fieldName(path: string): string {
  const words = path
    .replace(/\./g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return words ? capital(words) : "";
}

/** Turns any thrown value into words for the user; never raw validation output. */
export function describeError(error: unknown): ShownError {
  if (isMissingEndpoint(error)) return { title: "This server does not offer that yet.", detail: null, issues: [] };
  if (error instanceof ApiError) {
    const known = error.code !== undefined && error.code in errorCodes;
    const title = known ? friendlyError(error.code, error.message) : capital(error.message);
    const detail =
      known && error.message && detailWorthy.has(error.code!) && error.message.toLowerCase() !== title.toLowerCase()
        ? capital(error.message)
        : null;
    return { title, detail, issues: error.issues };
  }
  if (error instanceof Error && error.message) return { title: capital(error.message), detail: null, issues: [] };
  return { title: "Something went wrong. Please try again.", detail: null, issues: [] };
}

/** One line for places with no room for a list (toasts, inline hints). */
export function errorText(error: unknown): string {
  const e = describeError(error);
  return [e.title, e.detail].filter(Boolean).join(" ");
}

/**
 * Checks a form's value with the same shared schema the server validates it with, before sending.
 * Returns the parsed value, or throws an error that lists each invalid field as the server would.
 */
export function validateForm<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  throw new ApiError(errorCodes.validation_failed, 400, issues, "validation_failed");
}
