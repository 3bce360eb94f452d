import type { SendFailure } from "../types.js";

/** The Graph error object (docs/platform-contracts.md §1.4 / §5.5), as the Cloud API returns it or puts it in a status webhook. */
export type WhatsappError = {
  code?: number;
  message?: string;
  title?: string;
  type?: string;
  error_subcode?: number;
  error_data?: { details?: string };
  fbtrace_id?: string;
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Rate limits: how long to wait when the platform gives no reset time. */
const throttles: Record<number, { waitMs: number; what: string }> = {
  // Throughput is counted per second (80 messages/s per number by default).
  130429: { waitMs: SECOND, what: "WhatsApp's message throughput for this number was reached" },
  // Pair rate limit: about one message every 6 seconds to the same customer.
  131056: { waitMs: 6 * SECOND, what: "too many messages were sent to this customer in a short time" },
  80007: { waitMs: MINUTE, what: "the WhatsApp Business Account reached its API rate limit" },
  4: { waitMs: MINUTE, what: "the Meta app reached its API rate limit" },
  17: { waitMs: MINUTE, what: "the Meta account reached its API rate limit" },
  32: { waitMs: MINUTE, what: "the API rate limit was reached" },
  613: { waitMs: MINUTE, what: "the API rate limit was reached" },
};

/** Refusals a retry cannot fix, in words for the agent (what happened, what to do). */
const refusals: Record<number, string> = {
  131047: "The 24-hour window has closed: send an approved template. WhatsApp only accepts templates until the customer writes again.",
  131026: "WhatsApp could not deliver this message: the number may not use WhatsApp, may not have accepted the latest terms, or uses an old app version.",
  131050: "The customer has opted out of marketing messages from this business on WhatsApp.",
  130403: "This customer is blocked by your WhatsApp Business account: unblock them in WhatsApp Manager before writing to them.",
  131048: "WhatsApp is restricting how many messages this number may send (spam rate limit): check the number's quality rating in WhatsApp Manager.",
  131049: "WhatsApp did not deliver this message to keep the customer's experience healthy (too many marketing messages): try again later or another way.",
  131051: "WhatsApp does not support this kind of message.",
  131052: "WhatsApp could not download the customer's media.",
  131053: "WhatsApp could not upload the media of this message.",
  131031: "This WhatsApp Business account is locked or restricted: check its status in WhatsApp Manager.",
  368: "This WhatsApp Business account is restricted for policy violations: check its status in WhatsApp Manager.",
  131021: "The recipient is the business number itself: a message cannot be sent to yourself.",
  131009: "WhatsApp refused a value in the message (invalid parameter).",
  100: "WhatsApp refused the request as invalid",
};

const templateRefusals: Record<number, string> = {
  132000: "the number of parameters does not match the template's placeholders",
  132001: "the template does not exist in this language, or is not approved yet",
  132005: "the text with its parameters is too long",
  132007: "the content breaks WhatsApp's template format policy",
  132012: "a parameter is not in the format the template expects",
  132015: "the template is paused because of low quality",
  132016: "the template is disabled because of low quality",
};

const details = (e: WhatsappError) => e.error_data?.details?.trim() || e.message?.trim() || e.title?.trim() || "";

/** Why a message was refused or failed, for the agent. Used for sync errors and failed status webhooks. */
export function reasonFor(e: WhatsappError): string {
  const code = e.code ?? -1;
  if (refusals[code]) return code === 100 && details(e) ? `${refusals[code]}: ${details(e)}` : refusals[code]!;
  if (code >= 132000 && code < 133000) {
    return `WhatsApp refused the template: ${templateRefusals[code] ?? (details(e) || "a problem with the template")}. Check the template in WhatsApp Manager and on this channel.`;
  }
  if (throttles[code]) return `WhatsApp rate limit: ${throttles[code]!.what}.`;
  if (code === 190 || code === 0) return "WhatsApp refused the access token (expired or revoked): an admin must enter a new token on this channel.";
  if (code === 3 || code === 10 || (code >= 200 && code < 300)) {
    return "The access token lacks the WhatsApp permissions needed (whatsapp_business_messaging): an admin must reconnect the channel with a token that has them.";
  }
  const what = details(e);
  return `WhatsApp refused the message${what ? `: ${what}` : ""}${e.code !== undefined ? ` (code ${e.code})` : ""}.`;
}

/** Minutes until access comes back, from X-Business-Use-Case-Usage, when Meta gives it. */
function regainMs(headers: Headers): number | undefined {
  const raw = headers.get("x-business-use-case-usage");
  if (!raw) return undefined;
  try {
    const usage = JSON.parse(raw) as Record<string, Array<{ estimated_time_to_regain_access?: number }>>;
    const minutes = Math.max(0, ...Object.values(usage).flat().map((u) => Number(u.estimated_time_to_regain_access ?? 0)));
    return minutes > 0 ? minutes * MINUTE : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterHeaderMs(headers: Headers): number | undefined {
  const v = headers.get("retry-after");
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * SECOND);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** Maps an HTTP answer that was not a success to what the outbound job should do. */
export function sendFailureOf(status: number, body: unknown, headers: Headers): SendFailure {
  const error = (body as { error?: WhatsappError } | null)?.error;
  const code = typeof error?.code === "number" ? error.code : undefined;
  const base = { ok: false as const, ...(code !== undefined ? { code: String(code) } : {}) };

  if (code !== undefined && throttles[code]) {
    return { ...base, retryable: true, reason: reasonFor(error!), retryAfterMs: retryAfterHeaderMs(headers) ?? regainMs(headers) ?? throttles[code]!.waitMs };
  }
  if (code === 190 || code === 0 || code === 3 || code === 10 || (code !== undefined && code >= 200 && code < 300) || (status === 401 && code === undefined)) {
    return { ...base, retryable: false, needsReconnect: true, reason: reasonFor(error ?? { code: 190 }) };
  }
  if (code === 130403) return { ...base, retryable: false, contactBlocked: true, reason: reasonFor(error!) };
  // Unknown error, temporary outage and maintenance: the same request may pass later.
  if (code === 131000 || code === 1 || code === 2 || code === 131057) {
    return { ...base, retryable: true, reason: `${reasonFor(error!)} WhatsApp had a temporary problem; Parley will try again.` };
  }
  if (status === 429) return { ...base, retryable: true, reason: "WhatsApp rate limit reached.", retryAfterMs: retryAfterHeaderMs(headers) ?? SECOND };
  if (status >= 500) {
    const what = error ? reasonFor(error) : `WhatsApp answered ${status}.`;
    return { ...base, retryable: true, reason: `${what} The service seems unavailable; Parley will try again.` };
  }
  if (error) return { ...base, retryable: false, reason: reasonFor(error) };
  return { ...base, retryable: false, reason: `WhatsApp answered ${status} without an error description.` };
}
