import { callPlatform, retryableError } from "../platform-http.js";
import type { TargetPolicy } from "../../security/address-policy.js";
import type { SendFailure } from "../types.js";

/** The Business Profile v4 review resource (docs/platform-contracts.md §7.3), as far as Parley reads it. */
export type GbpReview = {
  name: string;
  reviewId?: string;
  reviewer?: { displayName?: string; isAnonymous?: boolean; profilePhotoUrl?: string };
  starRating?: string;
  comment?: string;
  createTime?: string;
  updateTime?: string;
  reviewReply?: { comment?: string; updateTime?: string };
};

export type GbpSettings = {
  accountId: string;
  locationId: string;
  pushAudience?: string;
  pushServiceAccount?: string;
};
export type GbpSecrets = { accessToken: string };

const STARS: Record<string, number> = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5 };
export const starsOf = (r: GbpReview): number | undefined => STARS[r.starRating ?? ""];

export const locationNameOf = (s: GbpSettings) => `accounts/${s.accountId}/locations/${s.locationId}`;

export { retryableError } from "../platform-http.js";

/** GETs the review the notification names; a failure is retried by the ingest. */
export async function fetchReview(base: string, token: string, reviewName: string, timeoutMs: number, policy: TargetPolicy): Promise<GbpReview> {
  const reply = await callPlatform(`${base}/v4/${reviewName}`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } }, timeoutMs, policy);
  if (!reply.reached) throw retryableError(`Google review fetch failed: ${reply.reason}`);
  if (!reply.ok) {
    const { status, message } = googleError(reply.text);
    const what = `Google answered ${reply.status}${status ? ` ${status}` : ""} when fetching the review${message ? `: ${message}` : ""}`;
    // Quota and server errors heal by themselves; a refused token or a removed review do not.
    if (reply.status === 429 || reply.status >= 500) throw retryableError(what);
    if (reply.status === 401) throw Object.assign(new Error(`${what} (the channel's access token was refused: reconnect it)`), { needsReconnect: true });
    throw new Error(what);
  }
  if (!reply.json || typeof reply.json !== "object") throw retryableError("Google returned a review that is not JSON");
  return reply.json as GbpReview;
}

export function googleError(text: string): { status?: string; message?: string } {
  try {
    const e = (JSON.parse(text) as { error?: { status?: string; message?: string } }).error;
    return { status: e?.status, message: e?.message?.slice(0, 300) };
  } catch {
    return { message: text.slice(0, 200).trim() || undefined };
  }
}

/** Seconds or an HTTP date, as Retry-After allows. */
export function retryAfterMs(header: string | null, fallbackMs: number): number {
  if (!header) return fallbackMs;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : fallbackMs;
}

/** Turns a failed reply call into words an agent can act on (gbp-error.json format). */
export function replyFailure(httpStatus: number, body: string, retryAfter: string | null): SendFailure {
  const { status, message } = googleError(body);
  const code = status ?? String(httpStatus);
  const detail = message ? ` (Google said: ${message})` : "";
  if (httpStatus === 401 || status === "UNAUTHENTICATED") {
    return { ok: false, retryable: false, needsReconnect: true, code, reason: `Google refused Parley's access token: it expired or was revoked. Reconnect the Google channel with a new token.${detail}` };
  }
  if (httpStatus === 429 || status === "RESOURCE_EXHAUSTED") {
    // GBP quotas are per minute: without a hint, wait for the next minute.
    return { ok: false, retryable: true, retryAfterMs: retryAfterMs(retryAfter, 60_000), code, reason: `Google's request quota is used up for now; Parley will send the reply again shortly.${detail}` };
  }
  if (httpStatus >= 500) return { ok: false, retryable: true, code, reason: `Google had a server error (${httpStatus}); Parley will try again.${detail}` };
  if (httpStatus === 403 || status === "PERMISSION_DENIED") {
    return { ok: false, retryable: false, code, reason: `Google did not allow the reply: the account may lack permission on this location, or the location is not verified. Check the location in Business Profile.${detail}` };
  }
  if (httpStatus === 404 || status === "NOT_FOUND") {
    return { ok: false, retryable: false, code, reason: `Google could not find this review: it was probably removed by the customer or by Google.${detail}` };
  }
  return { ok: false, retryable: false, code, reason: `Google rejected the reply (${httpStatus}${status ? ` ${status}` : ""}); edit the text and try again.${detail}` };
}
