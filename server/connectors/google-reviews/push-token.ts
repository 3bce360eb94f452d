import { createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import { guardedFetch } from "../../security/guarded-fetch.js";

/**
 * Verifies the Google-signed OIDC token that Pub/Sub push puts in `Authorization: Bearer`, without a
 * JOSE dependency: RS256 over `header.payload`, checked against Google's JWKS (GOOGLE_CERTS_URL).
 */

const ISSUERS = new Set(["accounts.google.com", "https://accounts.google.com"]);
/** Google rotates its keys about daily and publishes them days ahead; an hour of cache is safe. */
const CACHE_MS = 60 * 60_000;
/** An unknown kid refetches the keys, but not more often than this, so junk tokens cannot hammer the URL. */
const REFETCH_MIN_MS = 30_000;
const SKEW_S = 60;

type KeySet = { keys: Map<string, KeyObject>; fetchedAt: number };
const cache = new Map<string, KeySet>();
const inflight = new Map<string, Promise<KeySet>>();

export type PushExpectation = { certsUrl: string; audience: string; serviceAccount?: string; allowPrivate: boolean };
export type PushCheck = { ok: true; email?: string } | { ok: false; reason: string };

async function fetchKeys(url: string, allowPrivate: boolean): Promise<KeySet> {
  const res = await guardedFetch(url, {}, { allowPrivate }, 5000);
  if (!res.ok) throw new Error(`Google's signing keys answered ${res.status}`);
  const body = (await res.json()) as { keys?: Array<JsonWebKey & { kid?: string }> };
  const keys = new Map<string, KeyObject>();
  for (const jwk of body.keys ?? []) {
    if (!jwk.kid || jwk.kty !== "RSA") continue;
    try {
      keys.set(jwk.kid, createPublicKey({ key: jwk, format: "jwk" }));
    } catch {
      // one malformed key must not hide the others
    }
  }
  const set = { keys, fetchedAt: Date.now() };
  cache.set(url, set);
  return set;
}

async function keyFor(url: string, kid: string, allowPrivate: boolean): Promise<KeyObject | undefined> {
  let set = cache.get(url);
  const stale = !set || Date.now() - set.fetchedAt > CACHE_MS;
  const unknownKid = set && !set.keys.has(kid) && Date.now() - set.fetchedAt > REFETCH_MIN_MS;
  if (stale || unknownKid) {
    let p = inflight.get(url);
    if (!p) {
      p = fetchKeys(url, allowPrivate).finally(() => inflight.delete(url));
      inflight.set(url, p);
    }
    try {
      set = await p;
    } catch (err) {
      if (!set) throw err; // keep using the cached keys when a refresh fails
    }
  }
  return set?.keys.get(kid);
}

const b64json = (part: string): Record<string, unknown> | null => {
  try {
    const v = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return v && typeof v === "object" ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

export async function verifyPushToken(authorization: string | undefined, want: PushExpectation): Promise<PushCheck> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!m) return { ok: false, reason: "missing Authorization: Bearer token (the push subscription must send an OIDC token)" };
  const parts = m[1]!.split(".");
  if (parts.length !== 3) return { ok: false, reason: "the Bearer token is not a JWT" };
  const [h, p, s] = parts as [string, string, string];
  const header = b64json(h);
  const claims = b64json(p);
  if (!header || !claims) return { ok: false, reason: "the Bearer token is not a readable JWT" };
  if (header.alg !== "RS256") return { ok: false, reason: `token algorithm ${String(header.alg)} is not RS256` };
  if (typeof header.kid !== "string") return { ok: false, reason: "token has no key id (kid)" };

  let key: KeyObject | undefined;
  try {
    key = await keyFor(want.certsUrl, header.kid, want.allowPrivate);
  } catch (err) {
    return { ok: false, reason: `could not load Google's signing keys: ${(err as Error).message}` };
  }
  if (!key) return { ok: false, reason: `token signed with unknown key ${header.kid}` };
  const valid = verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"));
  if (!valid) return { ok: false, reason: "token signature does not match Google's key" };

  const now = Math.floor(Date.now() / 1000);
  if (!ISSUERS.has(String(claims.iss))) return { ok: false, reason: `token issuer ${String(claims.iss)} is not Google` };
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(want.audience)) return { ok: false, reason: "token audience does not match this channel's pushAudience" };
  if (typeof claims.exp !== "number" || claims.exp + SKEW_S < now) return { ok: false, reason: "token has expired" };
  if (typeof claims.iat === "number" && claims.iat - SKEW_S > now) return { ok: false, reason: "token is issued in the future" };
  if (want.serviceAccount) {
    if (claims.email !== want.serviceAccount) return { ok: false, reason: "token was issued to another service account than pushServiceAccount" };
    if (claims.email_verified !== true && claims.email_verified !== "true") return { ok: false, reason: "token email is not verified" };
  } else if (claims.email !== undefined && claims.email_verified !== true && claims.email_verified !== "true") {
    return { ok: false, reason: "token email is not verified" };
  }
  return { ok: true, email: typeof claims.email === "string" ? claims.email : undefined };
}
