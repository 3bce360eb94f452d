import type { TargetPolicy } from "../security/address-policy.js";
import { guardedFetch, refusalOf } from "../security/guarded-fetch.js";

/** What a platform answered, or why it could not be reached. */
export type PlatformReply =
  | { reached: true; status: number; ok: boolean; headers: Headers; text: string; json: unknown }
  /** refused: the SSRF guard stopped the call; trying again cannot help. */
  | { reached: false; reason: string; refused?: boolean };

/**
 * One HTTP call to a platform with the send timeout, through the SSRF guard (`policy`, from
 * `env.targets(channel)`): private targets are refused and redirects come back as answers, never
 * followed. Network errors and timeouts come back as a reason (never the URL: some carry tokens); a
 * non-JSON answer (a proxy's error page) has json null.
 */
export async function callPlatform(url: string | URL, init: RequestInit, timeoutMs: number, policy: TargetPolicy): Promise<PlatformReply> {
  let res: Awaited<ReturnType<typeof guardedFetch>>;
  try {
    res = await guardedFetch(url, init, policy, timeoutMs);
  } catch (err) {
    const e = err as Error;
    if (refusalOf(err)) return { reached: false, refused: true, reason: `the address is not allowed: ${refusalOf(err)!.message} (set ALLOW_PRIVATE_TARGETS=1 for on-premise targets)` };
    return { reached: false, reason: e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : e.name === "AbortError" ? "the call was aborted" : "the connection failed" };
  }
  const text = await res.text().catch(() => "");
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // judged by its status
  }
  return { reached: true, status: res.status, ok: res.ok, headers: res.headers as unknown as Headers, text, json };
}

/** JSON request options with a bearer token. */
export function jsonRequest(method: string, token: string | null, body?: unknown): RequestInit {
  return {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  };
}

/** Thrown from normalize: the ingest retries the delivery (e.g. a review fetch that failed for now). */
export function retryableError(message: string): Error {
  return Object.assign(new Error(message), { retryable: true });
}
