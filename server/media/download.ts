import type { MediaFetch } from "../connectors/types.js";
import type { TargetPolicy } from "../security/address-policy.js";
import { guardedFetch, refusalOf } from "../security/guarded-fetch.js";
import { megabytes } from "./media-types.js";

/** Media downloads get longer than an API call: a 25 MB video on a slow CDN. */
export const DOWNLOAD_TIMEOUT_MS = 120_000;
const MAX_REDIRECTS = 3;

/**
 * GETs a platform's file and hands back its body as a stream. A 4xx (expired or withheld URL) is
 * final, a 5xx or a network error worth retrying; a declared size over the limit is refused
 * before any byte is read. `platform` names it in the reason the agent reads.
 * Every hop goes through the address guard (CDNs redirect; each target is checked again), and the
 * credentials are not carried to another origin.
 */
export async function downloadMedia(url: string, init: RequestInit, opts: { platform: string; maxBytes: number; policy: TargetPolicy }): Promise<MediaFetch> {
  let res: Awaited<ReturnType<typeof guardedFetch>>;
  let target = new URL(url);
  let request = init;
  const signal = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  try {
    for (let hop = 0; ; hop++) {
      res = await guardedFetch(target, { ...request, signal }, opts.policy, DOWNLOAD_TIMEOUT_MS);
      const location = res.status >= 300 && res.status < 400 ? res.headers.get("location") : null;
      if (!location) break;
      await res.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) return { ok: false, retryable: false, reason: `${opts.platform} redirected the file download too many times.` };
      const next = new URL(location, target);
      if (next.origin !== target.origin) request = { ...request, headers: {} };
      target = next;
    }
  } catch (err) {
    const timeout = (err as Error).name === "TimeoutError";
    if (refusalOf(err)) return { ok: false, retryable: false, reason: `${opts.platform} pointed the file at an address Parley does not call.` };
    return { ok: false, retryable: true, reason: `${opts.platform} could not be reached to fetch the file (${timeout ? "no answer in time" : "connection failed"}).` };
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => {});
    const retryable = res.status >= 500 || res.status === 429;
    return {
      ok: false,
      retryable,
      reason: retryable
        ? `${opts.platform} failed to hand over the file (HTTP ${res.status}).`
        : `${opts.platform} refused to hand over the file (HTTP ${res.status}): it may have expired or been removed.`,
    };
  }
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    await res.body.cancel().catch(() => {});
    return { ok: false, retryable: false, reason: `The file is ${megabytes(declared)}, more than the ${megabytes(opts.maxBytes)} Parley stores.` };
  }
  return {
    ok: true,
    body: res.body as unknown as AsyncIterable<Uint8Array>,
    mimeType: res.headers.get("content-type"),
    size: Number.isFinite(declared) ? declared : null,
  };
}
