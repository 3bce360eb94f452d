import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import twitterText from "twitter-text";

/** X's refusal of a reply to a post that does not mention the account (docs/platform-contracts.md §6.4), from the fixtures. */
const replyNotAllowed = JSON.parse(readFileSync(new URL("../fixtures/platforms/x-error-403-reply-not-allowed.json", import.meta.url), "utf8")).body;

/**
 * A local X API and Account Activity sender (docs/platform-contracts.md §6, §10.2). It serves
 * POST /2/dm_conversations/with/:id/messages and POST /2/tweets with strict shape checks and
 * x-rate-limit-* headers, limits DMs per user, refuses replies to posts that do not mention the
 * account in self-serve mode, refuses posts over 280 as X counts them (with X's own twitter-text),
 * signs its webhooks like X, echoes our sent DMs and posts back, and runs CRC checks against Parley.
 */
export type XFakeOptions = {
  consumerSecret: string;
  /** The subscribed account (the brand). */
  userId: string;
  accessToken: string;
  /** Where Parley's X webhook lives, e.g. `${parley.url}/webhooks/x`. */
  webhookUrl: string;
  selfServe?: boolean;
  dmLimit?: number;
  dmWindowMs?: number;
  /** Send our own sent DMs/posts back as webhooks, as X does. */
  echo?: boolean;
  /** 0 (default): a free port. */
  port?: number;
};

export type XRequest = { method: string; path: string; headers: IncomingMessage["headers"]; body: any; status: number; at: number };
type Forced = { status: number; body: unknown; headers?: Record<string, string> };

const sign = (secret: string, data: string) => "sha256=" + createHmac("sha256", secret).update(data).digest("base64");
const problem = (status: number, title: string, detail: string, type = "about:blank") => ({ title, detail, type, status });

export async function startXFake(opts: XFakeOptions) {
  const o = { selfServe: true, dmLimit: 15, dmWindowMs: 15 * 60_000, echo: true, ...opts };
  const requests: XRequest[] = [];
  const forced: Forced[] = [];
  /** Posts the fake has seen, and whether each mentions the account (self-serve reply rule). */
  const tweets = new Map<string, { authorId: string; mentionsAccount: boolean }>();
  const dmsSent: number[] = [];
  let echoFirst = false;
  const webhooksSent: Array<{ body: string; status: number }> = [];
  const media = new Map<string, { bytes: Buffer; type: string; private: boolean }>();
  let nextId = 1_900_000_000_000_900_000n;
  const newId = () => String(nextId++);
  const resetAt = () => Math.ceil((Date.now() + o.dmWindowMs) / 1000);

  const deliver = async (body: string, signature: string | null = sign(o.consumerSecret, body)) => {
    learn(body);
    const res = await fetch(o.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...(signature ? { "x-twitter-webhooks-signature": signature } : {}) },
      body,
    });
    const answer = { status: res.status, body: (await res.json().catch(() => null)) as any };
    webhooksSent.push({ body, status: res.status });
    return answer;
  };

  function learn(body: string) {
    try {
      const j = JSON.parse(body) as { tweet_create_events?: any[] };
      for (const t of j.tweet_create_events ?? []) {
        const mentions: any[] = t.entities?.user_mentions ?? [];
        tweets.set(String(t.id_str), { authorId: String(t.user?.id_str), mentionsAccount: mentions.some((m) => String(m.id_str) === o.userId) });
      }
    } catch {
      // a test may send a deliberately malformed body
    }
  }

  function reply(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}, remaining = 100) {
    res.writeHead(status, {
      "content-type": "application/json",
      "x-rate-limit-limit": String(o.dmLimit),
      "x-rate-limit-remaining": String(Math.max(remaining, 0)),
      "x-rate-limit-reset": String(resetAt()),
      ...extra,
    });
    res.end(JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = (req.url ?? "").split("?")[0]!;
      let body: any = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const record = (status: number) => requests.push({ method: req.method ?? "", path, headers: req.headers, body, status, at: Date.now() });
      const answer = (status: number, b: unknown, extra?: Record<string, string>, remaining?: number) => {
        record(status);
        reply(res, status, b, extra, remaining);
      };
      // Media of posts (pbs.twimg.com, video.twimg.com) and DMs (ton.twitter.com, with the user token).
      if (req.method === "GET" && path.startsWith("/media/")) {
        const file = media.get(path.slice(7));
        const authorized = !file?.private || req.headers.authorization === `Bearer ${o.accessToken}`;
        if (!file || !authorized) {
          res.writeHead(file ? 401 : 404, { "content-type": "application/json" });
          return res.end(JSON.stringify(problem(file ? 401 : 404, file ? "Unauthorized" : "Not Found Error", "no such media")));
        }
        res.writeHead(200, { "content-type": file.type, "content-length": String(file.bytes.length) });
        return res.end(file.bytes);
      }
      const dm = /^\/2\/dm_conversations\/with\/(\d{1,19})\/messages$/.exec(path);
      if (req.method !== "POST" || (!dm && path !== "/2/tweets")) return answer(404, problem(404, "Not Found Error", `no route ${req.method} ${path}`));
      if (req.headers.authorization !== `Bearer ${o.accessToken}`) return answer(401, problem(401, "Unauthorized", "Unauthorized"));
      if (!String(req.headers["content-type"]).startsWith("application/json") || !body || typeof body !== "object") {
        return answer(400, problem(400, "Invalid Request", "body must be JSON", "https://api.x.com/2/problems/invalid-request"));
      }
      const next = forced.shift();
      if (next) return answer(next.status, next.body, next.headers);
      if (dm) return sendDm(dm[1]!, body, answer);
      return postTweet(body, answer);
    });
  });

  type Answer = (status: number, body: unknown, extra?: Record<string, string>, remaining?: number) => void;
  const invalid = (answer: Answer, detail: string) => answer(400, problem(400, "Invalid Request", detail, "https://api.x.com/2/problems/invalid-request"));

  function sendDm(participant: string, body: any, answer: Answer) {
    const keys = Object.keys(body);
    if (typeof body.text !== "string" || !body.text || keys.some((k) => k !== "text" && k !== "attachments")) return invalid(answer, "expected {text}");
    // X's documented cap on a DM's text.
    if (body.text.length > 10_000) return invalid(answer, "text must be at most 10000 characters");
    const now = Date.now();
    while (dmsSent.length && dmsSent[0]! <= now - o.dmWindowMs) dmsSent.shift();
    if (dmsSent.length >= o.dmLimit) return answer(429, problem(429, "Too Many Requests", "Too Many Requests"), {}, 0);
    dmsSent.push(now);
    const id = newId();
    const ok = () => answer(201, { data: { dm_conversation_id: `${o.userId}-${participant}`, dm_event_id: id } }, {}, o.dmLimit - dmsSent.length);
    if (!echoFirst) ok();
    if (o.echo) {
      const echo = {
        for_user_id: o.userId,
        direct_message_events: [
          { type: "message_create", id, created_timestamp: String(now), message_create: { target: { recipient_id: participant }, sender_id: o.userId, message_data: { text: body.text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } } },
        ],
        users: { [o.userId]: { id: o.userId, name: "Brand", screen_name: "brand" }, [participant]: { id: participant, name: `User ${participant}`, screen_name: `user_${participant}` } },
      };
      if (echoFirst) {
        // The echo overtakes the send's answer: Parley must still show the message once.
        void deliver(JSON.stringify(echo)).finally(() => setTimeout(ok, 300));
        return;
      }
      // X delivers the echo after answering the send, as the live API usually does.
      setTimeout(() => void deliver(JSON.stringify(echo)).catch(() => {}), 20);
    }
  }

  function postTweet(body: any, answer: Answer) {
    const keys = Object.keys(body);
    const target = body.reply?.in_reply_to_tweet_id;
    if (typeof body.text !== "string" || !body.text || keys.some((k) => !["text", "reply", "media"].includes(k))) return invalid(answer, "expected {text, reply?}");
    if (body.reply !== undefined && (typeof target !== "string" || !/^\d{1,19}$/.test(target))) return invalid(answer, "reply.in_reply_to_tweet_id must be a post id");
    // X counts a post with twitter-text: CJK and emoji weigh 2, any link 23, at most 280 in all. The
    // contract notes give no wording for X's refusal: a 403 problem, as its other refusals of a post.
    if (!twitterText.parseTweet(body.text).valid) return answer(403, problem(403, "Forbidden", "Your post is too long."));
    const parent = target ? tweets.get(target) : undefined;
    if (target && !parent) return answer(404, problem(404, "Not Found Error", `Could not find post with id: [${target}].`, "https://api.x.com/2/problems/resource-not-found"));
    if (target && o.selfServe && !parent!.mentionsAccount) {
      return answer(403, replyNotAllowed);
    }
    const id = newId();
    tweets.set(id, { authorId: o.userId, mentionsAccount: false });
    answer(201, { data: { id, text: body.text, edit_history_tweet_ids: [id] } });
    if (o.echo && target) {
      const echo = {
        for_user_id: o.userId,
        tweet_create_events: [
          {
            created_at: new Date().toUTCString(),
            id_str: id,
            text: body.text,
            truncated: false,
            in_reply_to_status_id_str: target,
            in_reply_to_user_id_str: parent!.authorId,
            user: { id_str: o.userId, name: "Brand", screen_name: "brand" },
            entities: { hashtags: [], urls: [], symbols: [], user_mentions: [] },
            timestamp_ms: String(Date.now()),
          },
        ],
      };
      setTimeout(() => void deliver(JSON.stringify(echo)).catch(() => {}), 20);
    }
  }

  // port 0 (the default) picks a free port; a fixed one (npm run simulate) fails with EADDRINUSE when taken.
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(opts.port ?? 0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    webhooksSent,
    /** Serves a file at `${url}/media/<name>`; `private` (DM media) needs the user token. */
    addMedia(name: string, bytes: Buffer, type: string, o2: { private?: boolean } = {}) {
      media.set(name, { bytes, type, private: Boolean(o2.private) });
      return `${url}/media/${name}`;
    },
    /** Signs and POSTs a body to Parley, like X; `signature: null` sends none. */
    deliver,
    sign: (body: string) => sign(o.consumerSecret, body),
    /** The next API call gets this answer instead (e.g. a 429 with a reset time, a 5xx). */
    failNext: (f: Forced) => forced.push(f),
    setSelfServe: (on: boolean) => void (o.selfServe = on),
    /** DM echoes arrive before the send's answer (X gives no order guarantee). */
    setEchoFirst: (on: boolean) => void (echoFirst = on),
    /** Runs X's CRC check against Parley; valid when the answer is 200 JSON with the right token. */
    async crc(token = randomBytes(16).toString("base64url"), query = "") {
      const res = await fetch(`${o.webhookUrl}?crc_token=${encodeURIComponent(token)}${query}`);
      const body = (await res.json().catch(() => null)) as { response_token?: string } | null;
      const valid = res.status === 200 && body?.response_token === sign(o.consumerSecret, token);
      return { status: res.status, body, valid };
    },
    /** A customer's DM to the account; `picture` is their profile picture's URL (`profile_image_url_https`). */
    dm(from: { id: string; name: string; screenName?: string; picture?: string }, text: string, id = newId()) {
      return JSON.stringify({
        for_user_id: o.userId,
        direct_message_events: [
          { type: "message_create", id, created_timestamp: String(Date.now()), message_create: { target: { recipient_id: o.userId }, sender_id: from.id, message_data: { text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } } },
        ],
        users: {
          [from.id]: {
            id: from.id,
            name: from.name,
            screen_name: from.screenName ?? from.name.toLowerCase().replace(/\W+/g, "_"),
            ...(from.picture ? { profile_image_url_https: from.picture } : {}),
          },
        },
      });
    },
    /** A DM the brand sent from the X app itself (not through Parley). */
    brandDm(to: string, text: string, id = newId()) {
      return JSON.stringify({
        for_user_id: o.userId,
        direct_message_events: [
          { type: "message_create", id, created_timestamp: String(Date.now()), message_create: { target: { recipient_id: to }, sender_id: o.userId, message_data: { text } } },
        ],
        users: { [o.userId]: { id: o.userId, name: "Brand", screen_name: "brand" } },
      });
    },
    /** A customer's post; `mention: false` makes a reply that does not @mention the account. */
    post(from: { id: string; name: string }, text: string, opts: { id?: string; inReplyTo?: { id: string; userId: string }; mention?: boolean; full?: string; userHasBlocked?: boolean; repost?: boolean } = {}) {
      const id = opts.id ?? newId();
      return JSON.stringify({
        for_user_id: o.userId,
        user_has_blocked: opts.userHasBlocked ? "true" : "false",
        tweet_create_events: [
          {
            created_at: new Date().toUTCString(),
            id_str: id,
            text,
            truncated: Boolean(opts.full),
            ...(opts.repost ? { retweeted_status: { id_str: "1900000000000000001" } } : {}),
            ...(opts.full ? { extended_tweet: { full_text: opts.full } } : {}),
            in_reply_to_status_id_str: opts.inReplyTo?.id ?? null,
            in_reply_to_user_id_str: opts.inReplyTo?.userId ?? null,
            user: { id_str: from.id, name: from.name, screen_name: from.name.toLowerCase().replace(/\W+/g, "_") },
            entities: { hashtags: [], urls: [], symbols: [], user_mentions: opts.mention === false ? [] : [{ id_str: o.userId, screen_name: "brand", indices: [0, 6] }] },
            timestamp_ms: String(Date.now()),
          },
        ],
      });
    },
    deletePost: (id: string, userId: string) =>
      JSON.stringify({ for_user_id: o.userId, tweet_delete_events: [{ status: { id, user_id: userId }, timestamp_ms: String(Date.now()) }] }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type XFake = Awaited<ReturnType<typeof startXFake>>;
