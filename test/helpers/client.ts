import { createHmac } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { ServerEventName } from "../../shared/schemas/realtime.js";

export type Json = any; // responses are checked against their schemas by the server in tests

/** A logged-in user of the REST API, holding the session cookie as a browser would. */
export class ApiClient {
  cookie = "";
  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(this.base + path, {
      method,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0]!;
    const text = await res.text();
    let json: Json;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  }

  get = (path: string) => this.request("GET", path);
  post = (path: string, body?: unknown) => this.request("POST", path, body ?? {});
  patch = (path: string, body: unknown) => this.request("PATCH", path, body);
  put = (path: string, body: unknown) => this.request("PUT", path, body);

  static async login(base: string, email: string, password: string): Promise<ApiClient> {
    const c = new ApiClient(base);
    const res = await c.post("/api/auth/login", { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return c;
  }

  /** A Socket.IO client with this user's cookie, collecting every event it receives. */
  async socket(): Promise<{ socket: Socket; events: Array<{ name: ServerEventName; payload: Json }>; close(): void }> {
    const events: Array<{ name: ServerEventName; payload: Json }> = [];
    const socket = io(this.base, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie: this.cookie }, reconnection: false });
    socket.onAny((name, payload) => events.push({ name, payload }));
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return { socket, events, close: () => socket.close() };
  }
}

export const sign = (secret: string, body: string) => "sha256=" + createHmac("sha256", secret).update(body).digest("hex");

let seq = 0;
export function customerEvent(contactId: string, text: string, opts: { name?: string; eventId?: string; messageId?: string } = {}) {
  seq++;
  return {
    eventId: opts.eventId ?? `evt-${Date.now()}-${seq}`,
    contact: { externalId: contactId, name: opts.name ?? `Customer ${contactId}` },
    message: { externalId: opts.messageId ?? `msg-${Date.now()}-${seq}`, text },
  };
}

/** POSTs a signed event to an API channel's webhook, as a source system does. */
export async function postWebhook(base: string, channelId: string, secret: string | null, payload: unknown, rawBody?: string) {
  const body = rawBody ?? JSON.stringify(payload);
  const res = await fetch(`${base}/webhooks/api/${channelId}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret ? { "x-parley-signature": sign(secret, body) } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}

/** Creates an API channel as the given admin; returns its id and secret. */
export async function createApiChannel(admin: ApiClient, opts: { botEnabled?: boolean; callbackUrl?: string; name?: string } = {}) {
  const res = await admin.post("/api/channels", {
    platform: "api",
    name: opts.name ?? "Test channel",
    botEnabled: opts.botEnabled ?? false,
    config: opts.callbackUrl ? { callbackUrl: opts.callbackUrl } : {},
  });
  if (res.status !== 201) throw new Error(`channel creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, secret: res.body.config.secret as string, body: res.body };
}
