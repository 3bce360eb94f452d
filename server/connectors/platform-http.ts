/** What a platform answered, or why it could not be reached. */
export type PlatformReply =
  | { reached: true; status: number; ok: boolean; headers: Headers; text: string; json: unknown }
  | { reached: false; reason: string };

/**
 * One HTTP call to a platform with the send timeout. Network errors and timeouts come back as a
 * reason (never the URL: some carry tokens); a non-JSON answer (a proxy's error page) has json null.
 */
export async function callPlatform(url: string | URL, init: RequestInit, timeoutMs: number): Promise<PlatformReply> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error;
    return { reached: false, reason: e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : e.name === "AbortError" ? "the call was aborted" : "the connection failed" };
  }
  const text = await res.text().catch(() => "");
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // judged by its status
  }
  return { reached: true, status: res.status, ok: res.ok, headers: res.headers, text, json };
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
