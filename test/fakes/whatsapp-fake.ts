import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readForm } from "./media-files.js";

/**
 * A local WhatsApp Cloud API (docs/platform-contracts.md §5, §10.1): it checks POST /{phone-number-id}/messages as
 * strictly as Meta does, answers with a new wamid, fails on demand with the platform's error objects,
 * and POSTs signed webhooks (inbound messages, statuses) to Parley in Meta's wire style.
 */
export type FakeCall = { phoneNumberId: string; headers: IncomingMessage["headers"]; raw: string; body: any; wamid: string | null; status: number };
export type FakeOptions = { webhookUrl: string; appSecret: string; phoneNumberId: string; accessToken: string; wabaId?: string; displayPhone?: string; port?: number };
type Failure = { status: number; body: unknown; headers?: Record<string, string> };

/** Meta's wire style: compact JSON, non-ASCII as lowercase \uXXXX, "/" as "\/". Signatures cover these bytes. */
export function wireJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"))
    .replace(/\//g, "\\/");
}

export const metaSignatures = (secret: string, body: string | Buffer) => ({
  "x-hub-signature-256": "sha256=" + createHmac("sha256", secret).update(body).digest("hex"),
  "x-hub-signature": "sha1=" + createHmac("sha1", secret).update(body).digest("hex"),
});

const graphError = (code: number, message: string, details?: string) => ({
  error: { message, type: "OAuthException", code, ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}), fbtrace_id: "AFake" + randomBytes(6).toString("hex") },
});

/** Checks a send request like the Cloud API does; returns what is wrong, or null. */
function problemWith(body: any): string | null {
  if (!body || typeof body !== "object") return "the body must be a JSON object";
  if (body.messaging_product !== "whatsapp") return "messaging_product must be \"whatsapp\"";
  if (body.recipient_type !== undefined && body.recipient_type !== "individual") return "recipient_type must be \"individual\"";
  if (typeof body.to !== "string" || !/^\+?\d{6,20}$/.test(body.to)) return "to must be a phone number or wa_id";
  if (body.context !== undefined && (typeof body.context?.message_id !== "string" || !body.context.message_id)) return "context.message_id must be a message id";
  if (body.type === "text") {
    const t = body.text;
    if (!t || typeof t.body !== "string" || t.body.length === 0) return "text.body is required";
    if (t.body.length > 4096) return "text.body is longer than 4096 characters";
    if (t.preview_url !== undefined && typeof t.preview_url !== "boolean") return "text.preview_url must be a boolean";
    return null;
  }
  if (body.type === "template") {
    const t = body.template;
    if (!t || typeof t.name !== "string" || !t.name) return "template.name is required";
    if (typeof t.language?.code !== "string" || !t.language.code) return "template.language.code is required";
    if (t.components !== undefined) {
      if (!Array.isArray(t.components)) return "template.components must be an array";
      for (const c of t.components) {
        if (!["header", "body", "button"].includes(c?.type)) return "template.components[].type must be header, body or button";
        if (!Array.isArray(c.parameters) || c.parameters.some((p: any) => p?.type !== "text" || typeof p.text !== "string")) {
          return "template.components[].parameters must be [{type:\"text\", text}]";
        }
      }
    }
    return null;
  }
  if (["image", "video", "audio", "document", "sticker"].includes(body.type)) {
    const m = body[body.type];
    if (!m || typeof m.id !== "string") return `${body.type}.id must be a media id (or link)`;
    if (m.caption !== undefined && (body.type === "audio" || typeof m.caption !== "string" || m.caption.length > 1024)) return `${body.type}.caption is not allowed or longer than 1024`;
    return null;
  }
  return `type ${String(body.type)} is not supported by this fake`;
}

export async function startWhatsappFake(opts: FakeOptions) {
  const calls: FakeCall[] = [];
  const failures: Failure[] = [];
  /** Ids the next successful sends answer with (e.g. a fixture's wamid), before generated ones. */
  const nextIds: string[] = [];
  const deliveries: Array<{ body: string; status: number }> = [];
  let counter = 0;
  const newWamid = () => "wamid." + Buffer.from(`FAKE-${Date.now()}-${++counter}-${randomBytes(3).toString("hex")}`).toString("base64");

  /** Media by id: customers' files (added by tests) and Parley's uploads. */
  const media = new Map<string, { bytes: Buffer; type: string; name?: string }>();
  let mediaSeq = 1480000000000900;

  /** The Media API (CONTRACTS §5.2): GET /{media-id} → a short-lived URL; that URL → the bytes (both with the token); uploads. */
  async function mediaRoute(req: IncomingMessage, res: ServerResponse, rawBytes: Buffer, answer: (s: number, b: unknown) => void): Promise<boolean> {
    const path = (req.url ?? "").split("?")[0]!;
    const download = /^\/media-download\/(\d+)$/.exec(path);
    const info = /^\/(?:v\d+\.\d+\/)?(\d{10,})$/.exec(path);
    const upload = /^\/(?:v\d+\.\d+\/)?([^/]+)\/media$/.exec(path);
    if (!download && !(info && req.method === "GET") && !upload) return false;
    if (req.headers.authorization !== `Bearer ${opts.accessToken}`) {
      answer(401, graphError(190, "Invalid OAuth access token - Cannot parse access token"));
      return true;
    }
    if (download || info) {
      const id = (download ?? info)![1]!;
      const m = media.get(id);
      if (!m) {
        answer(404, graphError(100, `Unsupported get request. Object with ID '${id}' does not exist`));
        return true;
      }
      if (download) {
        calls.push({ phoneNumberId: "", headers: req.headers, raw: "", body: { download: id }, wamid: null, status: 200 });
        res.writeHead(200, { "content-type": m.type, "content-length": String(m.bytes.length) });
        res.end(m.bytes);
        return true;
      }
      answer(200, { messaging_product: "whatsapp", url: `${url}/media-download/${id}`, mime_type: m.type, sha256: "fake", file_size: m.bytes.length, id });
      return true;
    }
    if (decodeURIComponent(upload![1]!) !== opts.phoneNumberId) {
      answer(400, graphError(100, `Unsupported post request. Object with ID '${upload![1]}' does not exist`));
      return true;
    }
    const form = await readForm(req.headers, rawBytes).catch(() => null);
    const file = form?.files.file;
    if (!form || form.fields.messaging_product !== "whatsapp" || !file || !form.fields.type) {
      answer(400, graphError(100, "(#100) Invalid parameter", "an upload needs messaging_product=whatsapp, type and file"));
      return true;
    }
    const id = String(++mediaSeq);
    media.set(id, { bytes: file.bytes, type: form.fields.type, name: file.name });
    uploads.push({ id, type: form.fields.type, name: file.name, bytes: file.bytes });
    answer(200, { id });
    return true;
  }
  const uploads: Array<{ id: string; type: string; name: string; bytes: Buffer }> = [];
  /** A failure for a later send: `after` sends succeed first. */
  const laterFailures: Array<Failure & { after: number }> = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const rawBytes = Buffer.concat(chunks);
      const raw = rawBytes.toString("utf8");
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      if (await mediaRoute(req, res, rawBytes, answer)) return;
      const match = /^\/(?:v\d+\.\d+\/)?([^/]+)\/messages$/.exec(req.url ?? "");
      let body: any = null;
      try {
        body = JSON.parse(raw);
      } catch {
        // reported below
      }
      const record = (status: number, wamid: string | null) => calls.push({ phoneNumberId: match?.[1] ?? "", headers: req.headers, raw, body, wamid, status });
      if (req.method !== "POST" || !match) {
        record(400, null);
        return answer(400, graphError(100, `Unsupported ${req.method} request. Unknown path ${req.url}`));
      }
      if (req.headers.authorization !== `Bearer ${opts.accessToken}`) {
        record(401, null);
        return answer(401, graphError(190, "Invalid OAuth access token - Cannot parse access token"));
      }
      if (decodeURIComponent(match[1]!) !== opts.phoneNumberId) {
        record(400, null);
        return answer(400, graphError(100, `Unsupported post request. Object with ID '${match[1]}' does not exist`));
      }
      const failure = laterFailures.length && laterFailures[0]!.after-- === 0 ? laterFailures.shift() : failures.shift();
      if (failure) {
        record(failure.status, null);
        return answer(failure.status, failure.body, failure.headers);
      }
      const problem = problemWith(body) ?? (["image", "video", "audio", "document"].includes(body.type) && !media.has(body[body.type].id) ? `${body.type}.id ${body[body.type].id} is not an uploaded media id` : null);
      if (problem) {
        record(400, null);
        return answer(400, graphError(100, "(#100) Invalid parameter", problem));
      }
      const wamid = nextIds.shift() ?? newWamid();
      record(200, wamid);
      return answer(200, { messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: String(body.to).replace(/^\+/, "") }], messages: [{ id: wamid }] });
    });
  });
  // port 0 (the default) picks a free port; a fixed one (npm run simulate) fails with EADDRINUSE when taken.
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(opts.port ?? 0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const metadata = (phoneNumberId = opts.phoneNumberId) => ({ display_phone_number: opts.displayPhone ?? "15550001111", phone_number_id: phoneNumberId });
  const envelope = (value: Record<string, unknown>) => ({
    object: "whatsapp_business_account",
    entry: [{ id: opts.wabaId ?? "102000000000003", changes: [{ value: { messaging_product: "whatsapp", ...value }, field: "messages" }] }],
  });

  /** POSTs these exact bytes to Parley, signed with the app secret (or the given one). */
  async function deliver(raw: string, secret = opts.appSecret) {
    const res = await fetch(opts.webhookUrl, { method: "POST", headers: { "content-type": "application/json", ...metaSignatures(secret, raw) }, body: raw });
    const result = { status: res.status, body: (await res.json().catch(() => null)) as any };
    deliveries.push({ body: raw, status: res.status });
    return result;
  }

  return {
    url,
    calls,
    nextIds,
    /** Files Parley uploaded for its replies. */
    uploads,
    /** A customer's file, as WhatsApp holds it: answers the media id a webhook carries. */
    addMedia(bytes: Buffer, type: string) {
      const id = String(++mediaSeq);
      media.set(id, { bytes, type });
      return id;
    },
    /** Successful sends only, oldest first. */
    sent: () => calls.filter((c) => c.status === 200),
    /** The next send answers with this error (a fixture's body, e.g. whatsapp-error-rate-limit.json). */
    failNext(status: number, body: unknown, headers?: Record<string, string>) {
      failures.push({ status, body, headers });
    },
    /** The send after the next `after` successful ones fails with this answer (a reply sent in parts failing halfway). */
    failLater(after: number, status: number, body: unknown) {
      laterFailures.push({ status, body, after });
    },
    deliver,
    /** Sends the last delivered bytes again, as Meta does after a non-200 or a timeout. */
    redeliverLast: () => deliver(deliveries.at(-1)!.body),
    /** A customer's text message, in wire style; returns its wamid and the bytes sent. */
    async inboundText(from: string, name: string, text: string, extra: { contextId?: string; phoneNumberId?: string } = {}) {
      const id = newWamid();
      const raw = wireJson(
        envelope({
          metadata: metadata(extra.phoneNumberId),
          contacts: [{ profile: { name }, wa_id: from }],
          messages: [
            {
              ...(extra.contextId ? { context: { from: opts.displayPhone ?? "15550001111", id: extra.contextId } } : {}),
              from,
              id,
              timestamp: String(Math.floor(Date.now() / 1000)),
              type: "text",
              text: { body: text },
            },
          ],
        }),
      );
      return { id, raw, res: await deliver(raw) };
    },
    /** Any inbound message object (reaction, interactive, …) from this customer. */
    async inboundMessage(from: string, name: string, message: Record<string, unknown>) {
      const id = newWamid();
      const raw = wireJson(
        envelope({ metadata: metadata(), contacts: [{ profile: { name }, wa_id: from }], messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }] }),
      );
      return { id, raw, res: await deliver(raw) };
    },
    /** A status webhook for one of our sent messages (sent, delivered, read, failed with errors). */
    async status(wamid: string, status: "sent" | "delivered" | "read" | "failed", extra: { errors?: unknown[]; phoneNumberId?: string; recipient?: string } = {}) {
      const call = calls.find((c) => c.wamid === wamid);
      const recipient = extra.recipient ?? String(call?.body?.to ?? "15557654321").replace(/^\+/, "");
      const raw = wireJson(
        envelope({
          metadata: metadata(extra.phoneNumberId),
          statuses: [{ id: wamid, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: recipient, ...(extra.errors ? { errors: extra.errors } : {}) }],
        }),
      );
      return { raw, res: await deliver(raw) };
    },
    /** Meta's subscription handshake against Parley. */
    async handshake(verifyToken: string, challenge = String(Math.floor(Math.random() * 1e9))) {
      const q = new URLSearchParams({ "hub.mode": "subscribe", "hub.challenge": challenge, "hub.verify_token": verifyToken });
      const res = await fetch(`${opts.webhookUrl}?${q}`);
      return { status: res.status, body: await res.text(), challenge };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type WhatsappFake = Awaited<ReturnType<typeof startWhatsappFake>>;
