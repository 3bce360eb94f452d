import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";

/**
 * A local Google (docs/platform-contracts.md §7, §10.3): the Business Profile v4 review GET and reply PUT, strict
 * about the Bearer token and the request shape; the JWKS that signs Pub/Sub push tokens; and a Pub/Sub
 * pusher that wraps a notification, signs it, and redelivers until Parley acks.
 */

import { onRequest, sendJson, type Recorded } from "./fake-http.js";

export type Call = Recorded;
export type Canned = { status: number; body?: unknown; headers?: Record<string, string> };

const ACK = new Set([102, 200, 201, 202, 204]);

const gError = (code: number, status: string, message: string) => ({ error: { code, message, status } });

export async function startGoogleFake(opts: { accessToken: string; port?: number }) {
  const signing = generateKeyPairSync("rsa", { modulusLength: 2048 });
  // A new key id per start: on a fixed port (npm run simulate) the certs URL stays the same across
  // restarts, and a kid Parley has not seen makes it refetch the keys instead of trusting its cache.
  const KID = `fake-google-key-${randomBytes(4).toString("hex")}`;
  // A second key pair, never published: tokens signed with it must be refused.
  const rogue = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const reviews = new Map<string, any>();
  const calls: Call[] = [];
  const failures: { get: Canned[]; put: Canned[] } = { get: [], put: [] };
  /** Reviewers' profile photos (lh3.googleusercontent.com): public, no token. */
  const photos = new Map<string, { bytes: Buffer; type: string }>();

  const server = createServer(
    onRequest((call, res) => {
      const { path, body, method, headers } = call;
      if (path === "/certs") {
        const jwk = signing.publicKey.export({ format: "jwk" });
        return sendJson(res, 200, { keys: [{ ...jwk, kid: KID, alg: "RS256", use: "sig" }] });
      }
      if (method === "GET" && path.startsWith("/photos/")) {
        const photo = photos.get(path.slice(8));
        if (!photo) return sendJson(res, 404, gError(404, "NOT_FOUND", "no such photo"));
        res.writeHead(200, { "content-type": photo.type, "content-length": String(photo.bytes.length) });
        return res.end(photo.bytes);
      }
      calls.push(call);
      if (headers.authorization !== `Bearer ${opts.accessToken}`) {
        return sendJson(res, 401, gError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
      }
      const reply = /^\/v4\/(accounts\/[^/]+\/locations\/[^/]+\/reviews\/[^/]+)\/reply$/.exec(path);
      const get = /^\/v4\/(accounts\/[^/]+\/locations\/[^/]+\/reviews\/[^/]+)$/.exec(path);
      if (method === "GET" && get) {
        const canned = failures.get.shift();
        if (canned) return sendJson(res, canned.status, canned.body, canned.headers);
        const review = reviews.get(get[1]!);
        return review ? sendJson(res, 200, review) : sendJson(res, 404, gError(404, "NOT_FOUND", "Requested entity was not found."));
      }
      if (method === "PUT" && reply) {
        const canned = failures.put.shift();
        if (canned) return sendJson(res, canned.status, canned.body, canned.headers);
        const okShape =
          /^application\/json/.test(headers["content-type"] ?? "") &&
          body && typeof body === "object" && Object.keys(body).length === 1 && typeof body.comment === "string" && body.comment.length > 0;
        if (!okShape) return sendJson(res, 400, gError(400, "INVALID_ARGUMENT", 'Expected a JSON body {"comment": "..."}'));
        if (Buffer.byteLength(body.comment) > 4096) return sendJson(res, 400, gError(400, "INVALID_ARGUMENT", "comment is longer than 4096 bytes"));
        const review = reviews.get(reply[1]!);
        if (!review) return sendJson(res, 404, gError(404, "NOT_FOUND", "Requested entity was not found."));
        const updateTime = new Date().toISOString();
        review.reviewReply = { comment: body.comment, updateTime };
        review.updateTime = updateTime;
        return sendJson(res, 200, review.reviewReply);
      }
      return sendJson(res, 404, gError(404, "NOT_FOUND", `no route ${method} ${path}`));
    }),
  );
  // port 0 (the default) picks a free port; a fixed one (npm run simulate) fails with EADDRINUSE when taken.
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(opts.port ?? 0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function signJwt(claims: Record<string, unknown>, key: KeyObject, kid = KID) {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const input = `${enc({ alg: "RS256", kid, typ: "JWT" })}.${enc(claims)}`;
    return `${input}.${createSign("RSA-SHA256").update(input).sign(key).toString("base64url")}`;
  }

  let messageSeq = 13000000000000100n; // beyond 2^53: a bigint, as Pub/Sub ids are decimal strings

  return {
    url,
    certsUrl: `${url}/certs`,
    calls,
    reviews,
    failures,
    /** Serves this review (a fixture or a variant) for GET …/reviews/{id}. */
    setReview(review: any) {
      reviews.set(review.name, structuredClone(review));
    },
    /** Serves a reviewer's profile photo at `${url}/photos/<name>` (public, like Google's CDN); returns its URL. */
    addPhoto(name: string, bytes: Buffer, type: string) {
      photos.set(name, { bytes, type });
      return `${url}/photos/${name}`;
    },
    /** An OIDC token as Pub/Sub push sends it; `signWith: "rogue"` signs with an unpublished key. */
    token(claims: { aud: string; email?: string; exp?: number; iss?: string; email_verified?: boolean }, signWith: "google" | "rogue" = "google") {
      const now = Math.floor(Date.now() / 1000);
      const full = { iss: "https://accounts.google.com", iat: now, exp: now + 3600, sub: "1234567890", azp: "1234567890", email_verified: true, ...claims };
      return signJwt(full, signWith === "google" ? signing.privateKey : rogue.privateKey);
    },
    /** The wrapped push body for a notification, with a new messageId unless given. */
    envelope(notification: unknown, messageId = String(messageSeq++)) {
      const publishTime = new Date().toISOString();
      return JSON.stringify({
        message: { attributes: {}, data: Buffer.from(JSON.stringify(notification)).toString("base64"), messageId, message_id: messageId, publishTime, publish_time: publishTime },
        subscription: "projects/fake-inbox-project/subscriptions/gbp-reviews-push",
      });
    },
    /**
     * POSTs a push body as Pub/Sub does, redelivering (up to `attempts`) until an ack status.
     * Returns every status Parley answered.
     */
    async push(target: string, body: string, o: { token?: string; attempts?: number } = {}) {
      const statuses: number[] = [];
      for (let i = 0; i < (o.attempts ?? 5); i++) {
        const res = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json", ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
          body,
        });
        await res.arrayBuffer();
        statuses.push(res.status);
        if (ACK.has(res.status)) break;
        await new Promise((r) => setTimeout(r, 20 * 2 ** i)); // push backoff, shortened
      }
      return statuses;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type GoogleFake = Awaited<ReturnType<typeof startGoogleFake>>;
