import type { SendFailure } from "../types.js";

/** X's v2 "problem details" body, or the legacy v1.1 `errors[]`. */
type XErrorBody = { title?: string; detail?: string; type?: string; errors?: Array<{ code?: number; message?: string }> };

const DEFAULT_RATE_WAIT_MS = 60_000;

function parse(text: string): XErrorBody {
  try {
    const j = JSON.parse(text) as unknown;
    return j && typeof j === "object" ? (j as XErrorBody) : {};
  } catch {
    return {};
  }
}

/** How long X asks us to wait: until `x-rate-limit-reset` (epoch seconds), at least a second. */
export function waitUntilReset(headers: Headers, now = Date.now()): number {
  const reset = Number(headers.get("x-rate-limit-reset"));
  if (!Number.isFinite(reset) || reset <= 0) return DEFAULT_RATE_WAIT_MS;
  return Math.max(reset * 1000 - now, 1000);
}

/** Maps an X error answer to words an agent can act on, and to what the outbound job should do. */
export function xFailure(status: number, headers: Headers, text: string, what: "dm" | "reply"): SendFailure {
  const body = parse(text);
  const legacy = body.errors?.[0];
  const detail = (body.detail || legacy?.message || body.title || text.slice(0, 200)).trim();
  const code = legacy?.code !== undefined ? String(legacy.code) : body.type && body.type !== "about:blank" ? body.type.split("/").pop() : String(status);
  if (status === 429 || legacy?.code === 88 || body.type?.endsWith("/rate-limit-exceeded")) {
    const retryAfterMs = waitUntilReset(headers);
    return {
      ok: false,
      retryable: true,
      retryAfterMs,
      code,
      reason: `X rate limit reached (${what === "dm" ? "15 direct messages per 15 minutes" : "posts per 15 minutes"}): sending again in ${Math.ceil(retryAfterMs / 1000)} s.`,
    };
  }
  if (status === 401) {
    return {
      ok: false,
      retryable: false,
      needsReconnect: true,
      code,
      reason: "X refused the channel's access token (expired or revoked). An admin must reconnect the X channel with a new token.",
    };
  }
  if (status === 403) {
    return {
      ok: false,
      retryable: false,
      code,
      reason:
        what === "reply"
          ? `X refused the reply: ${detail || "forbidden"} (self-serve plans may only reply to posts that mention the account). Answer by DM instead.`
          : `X refused the direct message: ${detail || "forbidden"} (the customer may not accept DMs from the account, or has blocked it).`,
    };
  }
  if (status >= 500) return { ok: false, retryable: true, code, reason: `X is having trouble (${status}${detail ? `: ${detail}` : ""}); trying again.` };
  return { ok: false, retryable: false, code, reason: `X rejected the ${what === "dm" ? "direct message" : "reply"} (${status}${detail ? `: ${detail}` : ""}).` };
}
