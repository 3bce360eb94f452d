import type { SendFailure } from "../types.js";

/** The Graph API's error object (docs/platform-contracts.md §1.4). */
export type GraphError = {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
};

export type MetaProduct = "Facebook" | "Instagram";

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80006]);
/** Used when Meta gives no estimate: long enough not to hammer a limited Page, short enough for a reply to still matter. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
const MIN_RATE_LIMIT_WAIT_MS = 1_000;

/**
 * The wait Meta announces in X-Business-Use-Case-Usage: `{"<business id>": [{"estimated_time_to_regain_access": <minutes>, …}]}`.
 * Returns the longest announced wait, or undefined when the header is absent or unreadable.
 */
export function waitFromUsageHeader(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  try {
    const usage = JSON.parse(header) as Record<string, Array<{ estimated_time_to_regain_access?: number }>>;
    const minutes = Object.values(usage)
      .flat()
      .map((u) => Number(u?.estimated_time_to_regain_access))
      .filter((n) => Number.isFinite(n) && n >= 0);
    if (!minutes.length) return undefined;
    return Math.max(MIN_RATE_LIMIT_WAIT_MS, Math.max(...minutes) * 60_000);
  } catch {
    return undefined;
  }
}

/** Turns a Graph error (and its HTTP status and headers) into what the outbound job and the agent need. */
export function graphFailure(product: MetaProduct, status: number, error: GraphError | undefined, headers?: Headers): SendFailure {
  const code = error?.code;
  const sub = error?.error_subcode;
  const tag = code !== undefined ? `${code}${sub !== undefined ? `/${sub}` : ""}` : `http-${status}`;
  const said = error?.error_user_msg ?? error?.message;
  const fail = (retryable: boolean, reason: string, extra: Partial<SendFailure> = {}): SendFailure => ({ ok: false, retryable, reason, code: tag, ...extra });

  if (code === 190 || (status === 401 && code === undefined)) {
    return fail(false, `${product} no longer accepts Parley's access token (expired, revoked or the password changed). An admin must reconnect this channel with a new token.`, {
      needsReconnect: true,
    });
  }
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) {
    const wait = waitFromUsageHeader(headers?.get("x-business-use-case-usage")) ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    return fail(true, `${product} is rate-limiting this account; Parley will try again in about ${Math.ceil(wait / 1000)} seconds.`, { retryAfterMs: wait });
  }
  if (code === 10 && (sub === 2018278 || sub === 2534022)) {
    return fail(
      false,
      `${product} refused: the message is outside the 24-hour window since the customer's last message (and outside the 7-day human-agent window, or that tag is not allowed for this app). Wait for the customer to write again.`,
    );
  }
  if (code === 10900) return fail(false, `${product} refused: this comment already received a private reply; only one is allowed. Continue in the conversation's messages if the customer answers.`);
  if (code === 10903) return fail(false, `${product} refused: this person cannot receive a private reply to this comment (too old, or not allowed). Reply publicly instead.`);
  if (code === 551) return fail(false, `${product} says this person isn't available right now (they may have blocked the account or deactivated theirs). The message cannot be delivered.`);
  if (code === 368) return fail(false, `${product} blocked this message as possibly abusive or against its policies. Review the text; sending more may restrict the account.`);
  if (code === 200 || code === 230 || code === 10) {
    return fail(false, `${product} refused for lack of permission${said ? ` ("${said}")` : ""}. An admin should check the app's permissions for this account.`);
  }
  if (code === 100) return fail(false, `${product} rejected the request as invalid${said ? `: ${said}` : ""}. The comment or recipient may no longer exist.`);
  if (code === 1 || code === 2 || status >= 500 || status === 429) {
    return fail(true, `${product} is having a temporary problem (${said ?? `HTTP ${status}`}); Parley will retry.`);
  }
  return fail(false, `${product} refused the message${said ? `: ${said}` : ` (HTTP ${status})`}.`);
}
