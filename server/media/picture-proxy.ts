import type { Response } from "express";
import { NotFound } from "../domain/scope.js";
import type { TargetPolicy } from "../security/address-policy.js";
import { downloadMedia } from "./download.js";

/** A post's picture or a profile picture is small; anything bigger is not a thumbnail. */
export const MAX_PICTURE_BYTES = 5 * 1024 * 1024;
/** Raster images only: an SVG can carry script. */
const pictureTypes = new Set(["image/jpeg", "image/png", "image/webp", "image/gif"]);

/**
 * Fetches a picture from a platform's CDN through the address guard and answers it from Parley's own
 * origin, so the console's strict img-src needs no exception. Nothing is stored; the browser keeps it
 * privately for an hour. Anything but a raster image within the cap is a 404 (`what` names it), and
 * the platform's own answer is never passed on.
 */
export async function servePicture(res: Response, url: string, opts: { platform: string; policy: TargetPolicy; what: string }): Promise<void> {
  const got = await downloadMedia(url, {}, { platform: opts.platform, maxBytes: MAX_PICTURE_BYTES, policy: opts.policy });
  const type = got.ok ? (got.mimeType ?? "").split(";")[0]!.trim().toLowerCase() : "";
  if (!got.ok || !pictureTypes.has(type)) {
    if (got.ok) await drain(got.body);
    throw new NotFound(`${opts.platform} did not hand over ${opts.what}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of got.body) {
    size += chunk.byteLength;
    if (size > MAX_PICTURE_BYTES) throw new NotFound(`${opts.what} is too large to show`);
    chunks.push(chunk);
  }
  res.setHeader("content-type", type);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("content-security-policy", "default-src 'none'; sandbox");
  res.setHeader("cross-origin-resource-policy", "same-origin");
  res.setHeader("cache-control", "private, max-age=3600");
  res.status(200).end(Buffer.concat(chunks));
}

async function drain(body: AsyncIterable<Uint8Array>) {
  // Reading to the end (a picture is small) frees the connection; errors do not matter here.
  try {
    for await (const chunk of body) void chunk;
  } catch {
    // nothing to do
  }
}
