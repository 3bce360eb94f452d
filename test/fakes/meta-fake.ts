import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readForm } from "./media-files.js";

/**
 * A local fake of Meta's Graph API for Pages and Instagram accounts (docs/platform-contracts.md §10.1), plus the
 * webhook side: it signs and POSTs wire-exact bodies to Parley, redelivers them, runs the handshake,
 * and echoes every successful DM back as Meta does.
 */

export type FakeAccount = { id: string; kind: "page" | "ig"; token: string };
export type GraphRequest = { method: string; path: string; query: Record<string, string>; body: any; headers: IncomingMessage["headers"]; account?: string };
type Failure = { status: number; body: unknown; headers?: Record<string, string> };

const fixturesDir = new URL("../fixtures/platforms/", import.meta.url);
export const fixtureBytes = (name: string) => readFileSync(new URL(name, fixturesDir), "utf8");
export const fixtureJson = (name: string) => JSON.parse(fixtureBytes(name));
export const signatureVectors = fixtureJson("signature-test-vectors.json") as {
  meta_app_secret: string;
  meta: Record<string, { "X-Hub-Signature-256": string; "X-Hub-Signature": string }>;
};

/** Meta's wire style: compact, non-ASCII as lowercase \uXXXX, "/" as "\/" — so any re-serialising bug shows. */
export function wire(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, "\\/")
    .replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

export const hubSignatures = (secret: string, body: string) => ({
  "x-hub-signature-256": "sha256=" + createHmac("sha256", secret).update(body).digest("hex"),
  "x-hub-signature": "sha1=" + createHmac("sha1", secret).update(body).digest("hex"),
});

class GraphRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly subcode?: number,
  ) {
    super(message);
  }
}

export type MetaFake = Awaited<ReturnType<typeof startMetaFake>>;

export async function startMetaFake(opts: {
  accounts: FakeAccount[];
  appSecret: string;
  appId?: number;
  port?: number;
  /** People the User Profile API knows, by PSID / IGSID; others answer Graph's "does not exist" error. */
  profiles?: Record<string, { name?: string; username?: string }>;
}) {
  const profiles = new Map(Object.entries(opts.profiles ?? {}));
  /** Posts and media the Graph API can read, by id (their fields as Graph names them). */
  const posts = new Map<string, Record<string, unknown>>();
  const requests: GraphRequest[] = [];
  const failures: Failure[] = [];
  const privateReplied = new Set<string>();
  const comments = new Map<string, { hidden: boolean; deleted: boolean }>();
  const state = { webhookUrl: "", echo: true, seq: 0, lastDelivery: null as null | { body: string; headers: Record<string, string> } };
  const echoes: Array<Promise<unknown>> = [];
  /** Files the fake's CDN serves (what attachment URLs in webhooks point to), by path. */
  const cdn = new Map<string, { bytes: Buffer; type: string }>();
  /** Files Parley sent: uploaded with the message (Messenger) or fetched from the link it gave (Instagram, comments). */
  const received: Array<{ account: string; edge: string; type: string; mimeType: string; name: string | null; bytes: Buffer; via: "upload" | "url" }> = [];

  const accountByToken = (token: string | undefined) => opts.accounts.find((a) => a.token === token);

  function authenticate(req: IncomingMessage, url: URL) {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const token = bearer ?? url.searchParams.get("access_token") ?? undefined;
    const account = accountByToken(token);
    if (!account) throw new GraphRefusal(400, 190, "Invalid OAuth access token - Cannot parse access token");
    const proof = url.searchParams.get("appsecret_proof");
    if (proof !== null && proof !== createHmac("sha256", opts.appSecret).update(token!).digest("hex")) {
      throw new GraphRefusal(400, 100, "Invalid appsecret_proof provided in the API argument");
    }
    return account;
  }

  const need = (ok: unknown, message: string) => {
    if (!ok) throw new GraphRefusal(400, 100, `(#100) ${message}`);
  };
  const onlyKeys = (obj: Record<string, unknown>, allowed: string[], where: string) => {
    const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
    need(extra.length === 0, `${where}: unexpected parameter ${extra.join(", ")}`);
  };

  /** POST /{page|ig}/messages: DMs (with messaging_type rules) and private replies. */
  async function sendMessage(account: FakeAccount, pathId: string, body: any) {
    need(pathId === "me" || pathId === account.id, `the token belongs to ${account.id}, not ${pathId}`);
    need(body && typeof body === "object", "body must be JSON");
    onlyKeys(body, ["recipient", "messaging_type", "tag", "message", "filedata"], "body");
    need(body.recipient && typeof body.recipient === "object", "param recipient must be an object");
    const text = body.message?.text;
    const max = account.kind === "page" ? 2000 : 1000;
    const attachment = body.message?.attachment;
    if (attachment !== undefined) {
      // One file per message, never with text (Send API).
      onlyKeys(body.message, account.kind === "page" ? ["attachment", "metadata"] : ["attachment"], "message");
      need(["image", "video", "audio", "file"].includes(attachment?.type), "param message.attachment.type must be image, video, audio or file");
      if (account.kind === "page") need(body.filedata, "an attachment without a URL needs filedata (multipart upload)");
      else need(typeof attachment.payload?.url === "string", "param message.attachment.payload.url is required");
    } else {
      need(typeof text === "string" && text.length > 0 && text.length <= max, `param message.text must be 1-${max} characters`);
      onlyKeys(body.message, account.kind === "page" ? ["text", "metadata"] : ["text"], "message");
    }
    if (body.recipient.comment_id !== undefined) {
      onlyKeys(body.recipient, ["comment_id"], "recipient");
      need(body.messaging_type === undefined && body.tag === undefined, "a private reply takes no messaging_type or tag");
      const cid = String(body.recipient.comment_id);
      if (privateReplied.has(cid)) throw new GraphRefusal(400, 10900, "Activity already replied to");
      privateReplied.add(cid);
      return { recipient_id: `psid-of-${cid}`, message_id: `m_private_${++state.seq}` };
    }
    onlyKeys(body.recipient, ["id"], "recipient");
    let fileUrl: string | undefined;
    if (attachment !== undefined) {
      const file = body.filedata ?? (await fetchFile(attachment.payload.url));
      received.push({ account: account.id, edge: "messages", type: attachment.type, mimeType: file.type, name: file.name ?? null, bytes: file.bytes, via: body.filedata ? "upload" : "url" });
      fileUrl = serve(`sent/${++state.seq}`, file.bytes, file.type);
    }
    need(typeof body.recipient.id === "string" && body.recipient.id, "param recipient.id must be a string");
    if (account.kind === "page") need(["RESPONSE", "UPDATE", "MESSAGE_TAG"].includes(body.messaging_type), "param messaging_type is required: RESPONSE, UPDATE or MESSAGE_TAG");
    if (body.messaging_type === "MESSAGE_TAG") need(body.tag === "HUMAN_AGENT", "MESSAGE_TAG needs tag HUMAN_AGENT");
    else need(body.tag === undefined, "tag is only allowed with messaging_type MESSAGE_TAG");
    const mid = account.kind === "page" ? `m_fake_${++state.seq}` : `aWdfFake${++state.seq}`;
    const echoFiles = attachment ? [{ type: attachment.type, payload: { url: fileUrl } }] : undefined;
    if (state.echo && state.webhookUrl) echoes.push(sendEcho(account, body.recipient.id, mid, text, body.message.metadata, echoFiles).catch(() => {}));
    // The Send API's answer, shaped as messenger-send-response.json.
    return { ...fixtureJson("messenger-send-response.json"), recipient_id: body.recipient.id, message_id: mid };
  }

  async function sendEcho(account: FakeAccount, recipient: string, mid: string, text: string | undefined, metadata?: string, attachments?: unknown[]) {
    const now = Date.now();
    const message = {
      is_echo: true,
      ...(account.kind === "page" ? { app_id: opts.appId ?? 900000000000123 } : {}),
      ...(metadata ? { metadata } : {}),
      mid,
      ...(text ? { text } : {}),
      ...(attachments ? { attachments } : {}),
    };
    await sendWebhook({
      object: account.kind === "page" ? "page" : "instagram",
      entry: [{ id: account.id, time: now, messaging: [{ sender: { id: account.id }, recipient: { id: recipient }, timestamp: now, message }] }],
    });
  }

  /** Fetches a file from a link Parley gave, as Meta's servers do; a failed fetch is Graph's error. */
  async function fetchFile(link: string): Promise<{ bytes: Buffer; type: string; name?: string }> {
    const res = await fetch(link).catch(() => null);
    if (!res?.ok) throw new GraphRefusal(400, 100, `(#100) Failed to fetch the file from the URL (HTTP ${res?.status ?? "none"})`);
    return { bytes: Buffer.from(await res.arrayBuffer()), type: (res.headers.get("content-type") ?? "").split(";")[0]! };
  }

  function serve(name: string, bytes: Buffer, type: string) {
    cdn.set(name, { bytes, type });
    return `${origin}/cdn/${name}`;
  }

  async function route(req: IncomingMessage, url: URL, raw: string, rawBytes: Buffer) {
    const account = authenticate(req, url);
    // The base URL carries the version (/v25.0); the fake accepts any.
    const parts = url.pathname.replace(/^\/v\d+\.\d+/, "").split("/").filter(Boolean);
    const query = Object.fromEntries([...url.searchParams].filter(([k]) => k !== "access_token" && k !== "appsecret_proof"));
    let body: any = undefined;
    if (raw) {
      if (/multipart\/form-data/.test(req.headers["content-type"] ?? "")) {
        // An upload: JSON-valued fields as the Graph API reads them, files as bytes.
        const form = await readForm(req.headers, rawBytes);
        body = Object.fromEntries(Object.entries(form.fields).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
        if (form.files.filedata) body.filedata = form.files.filedata;
      } else if (/json/.test(req.headers["content-type"] ?? "")) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new GraphRefusal(400, 100, "(#100) body is not valid JSON");
        }
      } else body = Object.fromEntries(new URLSearchParams(raw));
    }
    requests.push({ method: req.method!, path: "/" + parts.join("/"), query, body, headers: req.headers, account: account.id });
    const [id, edge, ...rest] = parts;
    need(id && rest.length === 0, `unknown path ${url.pathname}`);
    if (req.method === "GET" && edge === undefined && posts.has(id!)) {
      // A Page post or an IG media: GET /{id}?fields=message,permalink_url,… (Instagram: caption,permalink,…)
      const post = posts.get(id!)!;
      const fields = (query.fields ?? "").split(",").filter(Boolean);
      need(fields.length > 0, "param fields is required");
      return { id, ...Object.fromEntries(fields.filter((f) => f in post).map((f) => [f, post[f]])) };
    }
    if (req.method === "GET" && edge === undefined) {
      // User Profile API: GET /{psid}?fields=name (Instagram: name,username)
      const profile = profiles.get(id!);
      if (!profile) throw new GraphRefusal(400, 100, `(#100) Unsupported get request. Object with ID '${id}' does not exist`, 33);
      const fields = (query.fields ?? "").split(",").filter(Boolean);
      need(fields.length > 0 && fields.every((f) => ["name", "username", "first_name", "last_name", "profile_pic"].includes(f)), "param fields is required");
      return { id, ...Object.fromEntries(fields.filter((f) => f in profile).map((f) => [f, profile[f as keyof typeof profile]])) };
    }
    if (req.method === "POST" && edge === "messages") return sendMessage(account, id!, body);
    if (req.method === "POST" && edge === "comments") {
      need(account.kind === "page", "/comments is the Facebook edge; Instagram uses /replies");
      need(body && ((typeof body.message === "string" && body.message.length > 0) || typeof body.attachment_url === "string"), "param message or attachment_url is required");
      onlyKeys(body, ["message", "attachment_url"], "body");
      need(Object.keys(query).length === 0, "message goes in the body");
      if (body.attachment_url) {
        const file = await fetchFile(body.attachment_url);
        need(file.type.startsWith("image/"), "attachment_url must be an image");
        received.push({ account: account.id, edge: "comments", type: "image", mimeType: file.type, name: null, bytes: file.bytes, via: "url" });
      }
      return { id: `${id!.split("_")[0]}_${9000000 + ++state.seq}` };
    }
    if (req.method === "POST" && edge === "replies") {
      need(account.kind === "ig", "/replies is the Instagram edge; Facebook uses /comments");
      need(typeof query.message === "string" && query.message.length > 0, "param message is required");
      need(body === undefined || Object.keys(body).length === 0, "message goes in the query");
      return { id: String(18000000000090000 + ++state.seq) };
    }
    if (req.method === "POST" && edge === undefined) {
      const key = account.kind === "page" ? "is_hidden" : "hide";
      need(["true", "false"].includes(query[key]!), `param ${key} must be true or false`);
      onlyKeys(query, [key], "query");
      comments.set(id!, { hidden: query[key] === "true", deleted: false });
      return { success: true };
    }
    if (req.method === "DELETE" && edge === undefined) {
      need(account.kind === "page", "the fake only deletes Facebook comments");
      comments.set(id!, { hidden: false, deleted: true });
      return { success: true };
    }
    throw new GraphRefusal(400, 100, `(#100) unsupported ${req.method} ${url.pathname}`);
  }

  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const rawBytes = Buffer.concat(chunks);
      const raw = rawBytes.toString("utf8");
      // The CDN: attachment links in webhooks, no token needed (as scontent URLs).
      if (req.method === "GET" && url.pathname.startsWith("/cdn/")) {
        const file = cdn.get(decodeURIComponent(url.pathname.slice(5)));
        if (!file) {
          res.writeHead(404, { "content-type": "text/plain" });
          return res.end("URL signature expired");
        }
        res.writeHead(200, { "content-type": file.type, "content-length": String(file.bytes.length) });
        return res.end(file.bytes);
      }
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      // Failures are for the calls a test is about (sends, moderation), not profile look-ups.
      const failure = req.method === "GET" ? undefined : failures.shift();
      if (failure) {
        requests.push({ method: req.method!, path: url.pathname.replace(/^\/v\d+\.\d+/, ""), query: Object.fromEntries(url.searchParams), body: raw && !/multipart/.test(req.headers["content-type"] ?? "") ? JSON.parse(raw) : undefined, headers: req.headers });
        return answer(failure.status, failure.body, failure.headers);
      }
      try {
        answer(200, await route(req, url, raw, rawBytes));
      } catch (err) {
        if (!(err instanceof GraphRefusal)) return answer(500, { error: { message: String(err), type: "FakeError", code: 2 } });
        answer(err.status, {
          error: { message: err.message, type: "OAuthException", code: err.code, ...(err.subcode ? { error_subcode: err.subcode } : {}), fbtrace_id: "FakeTrace" },
        });
      }
    });
  });
  // port 0 (the default) picks a free port; a fixed one (npm run simulate) fails with EADDRINUSE when taken.
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(opts.port ?? 0, "127.0.0.1", () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** POSTs a body to Parley's webhook exactly as given (a string is sent byte for byte), signed unless told otherwise. */
  async function sendWebhook(body: string | object, o: { secret?: string; headers?: Record<string, string>; unsigned?: boolean } = {}) {
    const bytes = typeof body === "string" ? body : wire(body);
    const headers = { "content-type": "application/json", ...(o.unsigned ? {} : hubSignatures(o.secret ?? opts.appSecret, bytes)), ...o.headers };
    state.lastDelivery = { body: bytes, headers };
    return post(bytes, headers);
  }

  async function post(bytes: string, headers: Record<string, string>) {
    const res = await fetch(state.webhookUrl, { method: "POST", headers, body: bytes });
    const text = await res.text();
    let json: any = text;
    try {
      json = JSON.parse(text);
    } catch {
      // plain text answers stay as text
    }
    return { status: res.status, body: json };
  }

  return {
    url: `${origin}/v25.0`,
    requests,
    /** Files Parley sent (uploaded or fetched from its links). */
    received,
    /** Puts a file on the fake CDN and answers its URL, for attachments in webhooks. */
    addMedia: (name: string, bytes: Buffer, type: string) => serve(name, bytes, type),
    /** The CDN link stops working (Meta's URLs expire). */
    expireMedia: (name: string) => void cdn.delete(name),
    comments,
    /** Where webhooks go (Parley's /webhooks/meta). */
    setWebhookUrl: (u: string) => void (state.webhookUrl = u),
    setEcho: (on: boolean) => void (state.echo = on),
    /** Makes the User Profile API know this person. */
    setProfile: (id: string, profile: { name?: string; username?: string }) => void profiles.set(id, profile),
    setPost: (id: string, post: Record<string, unknown>) => void posts.set(id, post),
    /** The next Graph call answers this instead (an error fixture, with optional headers). */
    failNext(body: unknown, o: { status?: number; headers?: Record<string, string>; times?: number } = {}) {
      for (let i = 0; i < (o.times ?? 1); i++) failures.push({ status: o.status ?? 400, body, headers: o.headers });
    },
    sendWebhook,
    /** A fixture file's exact bytes, with the signatures given in signature-test-vectors.json. */
    sendFixture(name: string) {
      const vector = signatureVectors.meta[name];
      if (!vector) throw new Error(`no signature vector for ${name}`);
      const bytes = fixtureBytes(name);
      const headers = { "content-type": "application/json", "x-hub-signature-256": vector["X-Hub-Signature-256"], "x-hub-signature": vector["X-Hub-Signature"] };
      state.lastDelivery = { body: bytes, headers };
      return post(bytes, headers);
    },
    /** Meta retrying: the very same bytes and headers again. */
    redeliver() {
      if (!state.lastDelivery) throw new Error("nothing delivered yet");
      return post(state.lastDelivery.body, state.lastDelivery.headers);
    },
    /** The subscription handshake Meta runs when the callback URL is saved. */
    async handshake(verifyToken: string, challenge = String(1000000000 + Math.floor(Math.random() * 1e9)), mode = "subscribe") {
      const u = new URL(state.webhookUrl);
      u.searchParams.set("hub.mode", mode);
      u.searchParams.set("hub.challenge", challenge);
      u.searchParams.set("hub.verify_token", verifyToken);
      const res = await fetch(u);
      return { status: res.status, body: await res.text(), contentType: res.headers.get("content-type") ?? "", challenge };
    },
    /** Waits for the echo webhooks sent so far to be answered. */
    settled: () => Promise.all(echoes),
    digest: (s: string) => createHash("sha256").update(s).digest("hex"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
