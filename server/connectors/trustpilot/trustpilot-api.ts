import { callPlatform, retryableError } from "../platform-http.js";
import type { TargetPolicy } from "../../security/address-policy.js";
import type { SendFailure } from "../types.js";

/** A service review as GET /v1/reviews/{id} returns it (the fields Parley reads). */
export type TrustpilotReview = {
  id: string;
  stars?: number;
  title?: string;
  text?: string;
  language?: string;
  createdAt?: string;
  updatedAt?: string | null;
  referenceId?: string | null;
  consumer?: { id?: string; displayName?: string; name?: string };
  businessUnit?: { id?: string };
  companyReply?: { text?: string; createdAt?: string; updatedAt?: string | null } | null;
};

export type TrustpilotSettings = { businessUnitId: string; businessUserId?: string };
export type TrustpilotSecrets = { accessToken: string; webhookToken: string };

export { retryableError } from "../platform-http.js";

/** Re-fetches the review the webhook names: the webhook body is only a hint (docs/platform-contracts.md §8). */
export async function fetchReview(base: string, token: string, id: string, timeoutMs: number, policy: TargetPolicy): Promise<TrustpilotReview> {
  const reply = await callPlatform(`${base}/v1/reviews/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } }, timeoutMs, policy);
  if (!reply.reached) throw retryableError(`Trustpilot review fetch failed: ${reply.reason}`);
  if (!reply.ok) {
    const what = `Trustpilot answered ${reply.status} when fetching review ${id}${messageOf(reply.text) ? `: ${messageOf(reply.text)}` : ""}`;
    // Quota and server errors heal by themselves; a refused token or a removed review do not.
    if (reply.status === 429 || reply.status >= 500) throw retryableError(what);
    if (reply.status === 401) throw Object.assign(new Error(`${what} (the channel's access token was refused: reconnect it)`), { needsReconnect: true });
    throw new Error(what);
  }
  if (!reply.json || typeof reply.json !== "object") throw retryableError("Trustpilot returned a review that is not JSON");
  return reply.json as TrustpilotReview;
}

function messageOf(text: string): string | undefined {
  try {
    const j = JSON.parse(text) as { message?: unknown; error?: unknown; details?: unknown };
    const m = j.message ?? j.details ?? j.error;
    return typeof m === "string" ? m.slice(0, 300) : undefined;
  } catch {
    return text.slice(0, 200).trim() || undefined;
  }
}

function retryAfterMs(header: string | null, fallbackMs: number): number {
  if (!header) return fallbackMs;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : fallbackMs;
}

/** Turns a failed reply call into words an agent can act on. */
export function replyFailure(status: number, body: string, retryAfter: string | null): SendFailure {
  const said = messageOf(body);
  const detail = said ? ` (Trustpilot said: ${said})` : "";
  const code = String(status);
  if (status === 401) {
    return { ok: false, retryable: false, needsReconnect: true, code, reason: `Trustpilot refused Parley's access token: it expired or was revoked. Reconnect the Trustpilot channel with a new token.${detail}` };
  }
  if (status === 429) {
    return { ok: false, retryable: true, retryAfterMs: retryAfterMs(retryAfter, 60_000), code, reason: `Trustpilot's rate limit is reached; Parley will send the reply again shortly.${detail}` };
  }
  if (status >= 500) return { ok: false, retryable: true, code, reason: `Trustpilot had a server error (${status}); Parley will try again.${detail}` };
  if (status === 403) {
    return { ok: false, retryable: false, code, reason: `Trustpilot did not allow the reply: the business user may lack permission on this business unit. Check businessUserId and the token's user.${detail}` };
  }
  if (status === 404) return { ok: false, retryable: false, code, reason: `Trustpilot could not find this review: it was probably deleted.${detail}` };
  return { ok: false, retryable: false, code, reason: `Trustpilot rejected the reply (${status}); edit the text and try again.${detail}` };
}
