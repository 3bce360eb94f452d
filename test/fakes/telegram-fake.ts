import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { readForm } from "./media-files.js";

/** Telegram's own error bodies (docs/platform-contracts.md §9), from the fixtures. */
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/platforms/${name}`, import.meta.url), "utf8"));
const blockedBody = fixture("telegram-error-403-blocked.json");
const tooManyBody = fixture("telegram-error-429.json");

/**
 * A local Telegram Bot API (docs/platform-contracts.md §9, §10.5). It serves setWebhook, getWebhookInfo and a
 * strict sendMessage for the bots it knows, records every call, and POSTs Updates to the registered
 * webhook with the X-Telegram-Bot-Api-Secret-Token header: in order per chat, again on any non-2xx.
 */

type Chat = { id: number; type: string; first_name?: string; last_name?: string; username?: string; title?: string };
type StoredMessage = { message_id: number; from?: unknown; chat: Chat; date: number; text?: string; caption?: string };
export type TgCall = { token: string; method: string; body: any; raw: string; at: number; status: number; answer: any; inline?: boolean };
export type Delivery = { updateId: number | null; status: number; attempts: number };
type Failure = { status: number; body: Record<string, unknown> };

const BOT_ID = 8000000001;

export async function startTelegramFake(opts: { bots: string[]; retryDelayMs?: number; maxAttempts?: number; port?: number }) {
  const tokens = new Set(opts.bots);
  const webhooks = new Map<string, { url: string; secretToken?: string; lastError?: string }>();
  const chats = new Map<number, Chat>();
  const messages = new Map<string, StoredMessage>(); // `<chat>:<message>` → message
  const blocked = new Set<number>();
  const failures: Failure[] = [];
  const calls: TgCall[] = [];
  const deliveries: Delivery[] = [];
  const queues = new Map<string, Promise<unknown>>();
  let nextMessageId = 1251;
  let nextUpdateId = 900000100;

  const botUser = (token: string) => ({ id: Number(token.split(":")[0]) || BOT_ID, is_bot: true, first_name: "Acme Support", username: "acme_support_fake_bot" });
  const error = (code: number, description: string, parameters?: Record<string, unknown>) => ({
    status: code,
    body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
  });

  /** Remembers the chats and messages an update carries, so replies to them can be checked. */
  function learn(update: any) {
    for (const m of [update.message, update.edited_message]) {
      if (!m?.chat) continue;
      chats.set(m.chat.id, m.chat);
      messages.set(`${m.chat.id}:${m.message_id}`, m);
    }
    const member = update.my_chat_member;
    if (member?.chat) {
      chats.set(member.chat.id, member.chat);
      if (member.new_chat_member?.status === "kicked") blocked.add(member.chat.id);
      if (member.new_chat_member?.status === "member") blocked.delete(member.chat.id);
    }
  }

  function sendMessage(token: string, body: any): Failure | { status: 200; body: unknown } {
    const forced = failures.shift();
    if (forced) return forced;
    if (typeof body !== "object" || body === null) return error(400, "Bad Request: invalid JSON body");
    if (typeof body.chat_id !== "number" && typeof body.chat_id !== "string") return error(400, "Bad Request: chat_id is empty");
    const chat = chats.get(Number(body.chat_id));
    if (!chat) return error(400, "Bad Request: chat not found");
    if (typeof body.text !== "string" || body.text.trim().length === 0) return error(400, "Bad Request: message text is empty");
    if ([...body.text].length > 4096) return error(400, "Bad Request: message is too long");
    if (blocked.has(chat.id)) return error(403, "Forbidden: bot was blocked by the user");
    let replyTo: StoredMessage | undefined;
    if (body.reply_parameters !== undefined) {
      const id = body.reply_parameters?.message_id;
      if (!Number.isInteger(id)) return error(400, "Bad Request: field \"message_id\" must be an Integer");
      replyTo = messages.get(`${chat.id}:${id}`);
      if (!replyTo) return error(400, "Bad Request: message to be replied not found");
    }
    const sent: StoredMessage = { message_id: nextMessageId++, from: botUser(token), chat, date: Math.floor(Date.now() / 1000), text: body.text };
    messages.set(`${chat.id}:${sent.message_id}`, sent);
    return { status: 200, body: { ok: true, result: { ...sent, ...(replyTo ? { reply_to_message: replyTo } : {}) } } };
  }

  /** Files customers sent (by file_id), for getFile and the file download. */
  const files = new Map<string, { bytes: Buffer; path: string; size: number }>();
  /** Files Parley sent with sendPhoto, sendDocument, …: the field, name, type and bytes. */
  const sentFiles: Array<{ method: string; chatId: number; caption?: string; field: string; name: string; type: string; bytes: Buffer }> = [];
  const fileMethods: Record<string, string> = { sendPhoto: "photo", sendDocument: "document", sendVideo: "video", sendAudio: "audio", sendVoice: "voice" };
  const BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

  /** sendPhoto and friends, as multipart uploads (CONTRACTS §9: caption up to 1,024 characters). */
  async function sendFile(token: string, method: string, req: IncomingMessage, rawBytes: Buffer): Promise<Failure | { status: 200; body: unknown }> {
    const forced = failures.shift();
    if (forced) return forced;
    const form = await readForm(req.headers, rawBytes).catch(() => null);
    if (!form) return error(400, "Bad Request: expected multipart/form-data");
    const field = fileMethods[method]!;
    const file = form.files[field];
    if (!file) return error(400, `Bad Request: there is no ${field} in the request`);
    const chat = chats.get(Number(form.fields.chat_id));
    if (!chat) return error(400, "Bad Request: chat not found");
    if (blocked.has(chat.id)) return error(403, "Forbidden: bot was blocked by the user");
    const caption = form.fields.caption;
    if (caption !== undefined && [...caption].length > 1024) return error(400, "Bad Request: message caption is too long");
    if (form.fields.reply_parameters) {
      const id = JSON.parse(form.fields.reply_parameters).message_id;
      if (!messages.get(`${chat.id}:${id}`)) return error(400, "Bad Request: message to be replied not found");
    }
    sentFiles.push({ method, chatId: chat.id, caption, field, name: file.name, type: file.type, bytes: file.bytes });
    const sent: StoredMessage = { message_id: nextMessageId++, from: botUser(token), chat, date: Math.floor(Date.now() / 1000), ...(caption ? { caption } : {}) };
    messages.set(`${chat.id}:${sent.message_id}`, sent);
    return { status: 200, body: { ok: true, result: { ...sent, [field]: { file_id: `sent-${sent.message_id}`, file_size: file.bytes.length } } } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, rawBytes: Buffer) {
    const raw = rawBytes.toString("utf8");
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
      return { status, body };
    };
    // File downloads: /file/bot<token>/<file_path>.
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url?.split("?")[0] ?? "");
    if (download) {
      const file = tokens.has(download[1]!) ? [...files.values()].find((f) => f.path === decodeURIComponent(download[2]!)) : undefined;
      if (!file) return void answer(404, { ok: false, error_code: 404, description: "Not Found" });
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(file.bytes.length) });
      return void res.end(file.bytes);
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url?.split("?")[0] ?? "");
    if (!m || !tokens.has(m[1]!)) return void answer(m ? 401 : 404, { ok: false, error_code: m ? 401 : 404, description: m ? "Unauthorized" : "Not Found" });
    const [, token, method] = m as unknown as [string, string, string];
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      body = undefined;
    }
    let result: { status: number; body: unknown };
    if (method === "sendMessage") {
      const r = sendMessage(token, body);
      result = answer(r.status, r.body);
    } else if (fileMethods[method]) {
      const r = await sendFile(token, method, req, rawBytes);
      result = answer(r.status, r.body);
    } else if (method === "getFile") {
      const fileId = new URL(req.url ?? "", "http://fake").searchParams.get("file_id") ?? body?.file_id;
      const file = fileId ? files.get(fileId) : undefined;
      if (!file) result = answer(400, { ok: false, error_code: 400, description: "Bad Request: invalid file_id" });
      else if (file.size > BOT_DOWNLOAD_LIMIT) result = answer(400, { ok: false, error_code: 400, description: "Bad Request: file is too big" });
      else result = answer(200, { ok: true, result: { file_id: fileId, file_unique_id: `u-${fileId}`, file_size: file.size, file_path: file.path } });
    } else if (method === "setWebhook") {
      if (!body?.url) result = answer(400, { ok: false, error_code: 400, description: "Bad Request: bad webhook: URL is empty" });
      else {
        webhooks.set(token, { url: body.url, secretToken: body.secret_token });
        result = answer(200, { ok: true, result: true, description: "Webhook was set" });
      }
    } else if (method === "getWebhookInfo") {
      const hook = webhooks.get(token);
      result = answer(200, { ok: true, result: { url: hook?.url ?? "", pending_update_count: 0, ...(hook?.lastError ? { last_error_message: hook.lastError } : {}) } });
    } else {
      result = answer(404, { ok: false, error_code: 404, description: "Not Found: method not found" });
    }
    calls.push({ token, method, body, raw, at: Date.now(), status: result.status, answer: result.body });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => void handle(req, res, Buffer.concat(chunks)));
  });
  // port 0 (the default) picks a free port; a fixed one (npm run simulate) fails with EADDRINUSE when taken.
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(opts.port ?? 0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** POSTs one Update until a 2xx (or the attempts run out), as Telegram does. */
  async function post(token: string, raw: string, updateId: number | null, headers: Record<string, string>): Promise<Delivery> {
    const hook = webhooks.get(token);
    if (!hook) throw new Error("no webhook set for this bot: call setWebhook first");
    const maxAttempts = opts.maxAttempts ?? 5;
    let status = 0;
    let attempts = 0;
    while (attempts < maxAttempts) {
      attempts++;
      const res = await fetch(hook.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(hook.secretToken ? { "x-telegram-bot-api-secret-token": hook.secretToken } : {}), ...headers },
        body: raw,
      }).catch(() => null);
      status = res?.status ?? 0;
      const text = (await res?.text().catch(() => "")) ?? "";
      if (status >= 200 && status < 300) {
        // The webhook may answer with a method call (inline reply); Telegram runs it without a result.
        try {
          const inline = JSON.parse(text);
          if (inline && typeof inline.method === "string") calls.push({ token, method: inline.method, body: inline, raw: text, at: Date.now(), status: 200, answer: null, inline: true });
        } catch {
          // a non-JSON 2xx is a plain acknowledgement
        }
        break;
      }
      hook.lastError = `Wrong response from the webhook: ${status}`;
      await new Promise((r) => setTimeout(r, (opts.retryDelayMs ?? 30) * attempts));
    }
    const d = { updateId, status, attempts };
    deliveries.push(d);
    return d;
  }

  return {
    url,
    calls,
    deliveries,
    chats,
    sends: () => calls.filter((c) => c.method === "sendMessage"),
    sentFiles,
    /** A file a customer sent, known to getFile by this id; `size` pretends it is that large (for the 20 MB limit). */
    addFile(fileId: string, bytes: Buffer, o: { path?: string; size?: number } = {}) {
      files.set(fileId, { bytes, path: o.path ?? `photos/file_${files.size + 1}.jpg`, size: o.size ?? bytes.length });
    },
    /** The next sendMessage calls fail like this, in order (then the fake answers normally again). */
    failNext(...f: Array<{ kind: "429"; retryAfter: number } | { kind: "403-blocked" } | { kind: "status"; status: number; description: string }>) {
      for (const x of f) {
        if (x.kind === "429") {
          failures.push({ status: 429, body: { ...tooManyBody, description: `Too Many Requests: retry after ${x.retryAfter}`, parameters: { retry_after: x.retryAfter } } });
        } else if (x.kind === "403-blocked") failures.push({ status: 403, body: blockedBody });
        else failures.push(error(x.status, x.description));
      }
    },
    block: (chatId: number) => blocked.add(chatId),
    /** The token stops working, as when it is revoked in @BotFather: every call answers 401. */
    revoke: (token: string) => tokens.delete(token),
    nextUpdateId: () => nextUpdateId++,
    /**
     * Sends an Update (exact bytes when given a string) to the bot's webhook. Updates of one chat go
     * out one after the other, as Telegram does; other chats do not wait.
     */
    sendUpdate(token: string, update: string | object, headers: Record<string, string> = {}): Promise<Delivery> {
      const raw = typeof update === "string" ? update : JSON.stringify(update);
      const parsed = JSON.parse(raw);
      learn(parsed);
      const chat = parsed.message?.chat?.id ?? parsed.edited_message?.chat?.id ?? parsed.my_chat_member?.chat?.id ?? "none";
      const key = `${token}:${chat}`;
      const run = (queues.get(key) ?? Promise.resolve()).then(() => post(token, raw, parsed.update_id ?? null, headers));
      queues.set(key, run.catch(() => undefined));
      return run;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TelegramFake = Awaited<ReturnType<typeof startTelegramFake>>;
