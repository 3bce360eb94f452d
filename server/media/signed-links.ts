import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Expiring links to one attachment, for whoever must fetch a reply's file without a session: a
 * platform that takes files by URL (Instagram, Facebook comments) or an API channel's receiver.
 * The signature covers the attachment id and the expiry, keyed from PARLEY_SECRET_KEY.
 */
export type LinkSigner = {
  url(publicUrl: string, attachmentId: string, ttlSeconds: number, now: Date): string;
  verify(attachmentId: string, expires: string | undefined, signature: string | undefined, now: Date): boolean;
};

export function createLinkSigner(secretKeyHex: string): LinkSigner {
  // A key of its own, derived from the secret key, so these signatures can never be replayed elsewhere.
  const key = createHmac("sha256", Buffer.from(secretKeyHex, "hex")).update("parley attachment links v1").digest();
  const sign = (id: string, expires: number) => createHmac("sha256", key).update(`${id}.${expires}`).digest("base64url");
  return {
    url(publicUrl, attachmentId, ttlSeconds, now) {
      const expires = Math.floor(now.getTime() / 1000) + ttlSeconds;
      return `${publicUrl}/api/attachments/${attachmentId}?expires=${expires}&signature=${sign(attachmentId, expires)}`;
    },
    verify(attachmentId, expires, signature, now) {
      if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return false;
      if (Number(expires) * 1000 < now.getTime()) return false;
      const want = Buffer.from(sign(attachmentId, Number(expires)));
      const got = Buffer.from(signature);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}
