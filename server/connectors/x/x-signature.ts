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
