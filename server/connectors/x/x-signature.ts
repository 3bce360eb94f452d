import { createHmac, timingSafeEqual } from "node:crypto";

/** X signs with base64 (not hex) HMAC-SHA256 keyed with the app's consumer secret, prefixed `sha256=`. */
export function xSignature(consumerSecret: string, data: Buffer | string): string {
  return "sha256=" + createHmac("sha256", consumerSecret).update(data).digest("base64");
}

/** Constant-time check of `x-twitter-webhooks-signature` over the exact bytes received. */
export function xSignatureMatches(consumerSecret: string, body: Buffer, given: string): boolean {
  const expected = Buffer.from(xSignature(consumerSecret, body));
  const got = Buffer.from(given.trim());
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/** The CRC answer: the same HMAC over the crc_token. */
export const crcResponseToken = (consumerSecret: string, crcToken: string) => xSignature(consumerSecret, crcToken);

/**
 * X's CRC tokens are random base64-like strings. Anything else is refused, above all anything that
 * could be a JSON body: answering it would hand out the signature X uses on deliveries.
 */
export const validCrcToken = (token: string) => /^[A-Za-z0-9+/=_.~-]{1,256}$/.test(token);

/**
 * The public name of an X app in its webhook URL (/webhooks/x/app/<appKey>): derived from the
 * consumer secret, from which it reveals nothing, so the URL picks the app without a stored id.
 */
export const xAppKey = (consumerSecret: string) => createHmac("sha256", consumerSecret).update("parley x app key").digest("base64url").slice(0, 16);
