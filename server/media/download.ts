import type { MediaFetch } from "../connectors/types.js";
import { megabytes } from "./media-types.js";

/** Media downloads get longer than an API call: a 25 MB video on a slow CDN. */
export const DOWNLOAD_TIMEOUT_MS = 120_000;

/**
 * GETs a platform's file and hands back its body as a stream. A 4xx (expired or withheld URL) is
 * final, a 5xx or a network error worth retrying; a declared size over the limit is refused
 * before any byte is read. `platform` names it in the reason the agent reads.
 */
export async function downloadMedia(url: string, init: RequestInit, opts: { platform: string; maxBytes: number }): Promise<MediaFetch> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: "follow", signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (err) {
    const timeout = (err as Error).name === "TimeoutError";
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
