import { createServer, type Server } from "node:http";
import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channels, messages } from "../server/db/schema.js";
import { isPublicAddress } from "../server/security/address-policy.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { privateUrlCorpus } from "./helpers/ssrf-corpus.js";

/** A local HTTP server that counts what reaches it and answers as told. */
async function target(answer: (res: import("node:http").ServerResponse) => void = (res) => res.end("{}")) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, url: `http://127.0.0.1:${port}`, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function replyAndSettle(p: TestParley, admin: ApiClient, channel: { id: string; secret: string }, contact: string) {
  await postWebhook(p.url, channel.id, channel.secret, customerEvent(contact, "Hello"));
  const conv = await waitFor(async () => ((await admin.get("/api/conversations?limit=100")).body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`), "conversation");
  const sent = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "Our answer" });
  return waitFor(async () => {
    const m = ((await admin.get(`/api/conversations/${conv.id}/messages`)).body.items as any[]).find((x) => x.id === sent.body.message.id);
    return m && m.status !== "queued" && m;
  }, "the reply settled");
}

describe("SSRF: with the default policy (ALLOW_PRIVATE_TARGETS off)", () => {
  let p: TestParley;
  let admin: ApiClient;
  beforeAll(async () => {
    p = await startTestParley({ env: { ALLOW_PRIVATE_TARGETS: "0" } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => p?.stop());

  it("refuses every private, loopback, link-local, metadata and unspecified form as a callback URL, at once", async () => {
    const accepted: string[] = [];
    for (const url of privateUrlCorpus) {
      const res = await admin.post("/api/channels", { platform: "api", name: "Hook", config: { callbackUrl: url } });
      if (res.status !== 400 || res.body.code !== "target_not_allowed") accepted.push(`${url} → ${res.status}`);
    }
    expect(accepted).toEqual([]);
    const ok = await createApiChannel(admin, { callbackUrl: "https://example.com/parley" });
    const patch = await admin.patch(`/api/channels/${ok.id}`, { config: { callbackUrl: "http://[::ffff:169.254.169.254]/latest" } });
    expect(patch).toMatchObject({ status: 400, body: { code: "target_not_allowed" } });
  });

  it("checks the address again when sending: a callback that now points at this machine is refused, and nothing reaches it", async () => {
    const local = await target();
    try {
      const channel = await createApiChannel(admin, { callbackUrl: "https://example.com/hook" });
      // As if the stored URL's name now resolved to a private address (DNS rebinding), or it was saved before the check existed.
      await p.ctx.db
        .update(channels)
        .set({ settings: sql`${channels.settings} || ${JSON.stringify({ callbackUrl: `${local.url}/callback` })}::jsonb` })
        .where(eq(channels.id, channel.id));
      const m = await replyAndSettle(p, admin, channel, "ssrf-literal");
      expect(m.status).toBe("failed");
      expect(m.failureReason).toMatch(/not allowed/);
      const [row] = await p.ctx.db.select({ attempts: messages.attempts }).from(messages).where(eq(messages.id, m.id));
      expect(row!.attempts).toBe(1); // refused for good, not retried

      // A host name that resolves to a loopback address is refused at connect time (the DNS answer is checked).
      const name = hostname();
      const resolved = await lookup(name, { all: true }).catch(() => []);
      if (resolved.length && resolved.every((a) => !isPublicAddress(a.address))) {
        await p.ctx.db
          .update(channels)
          .set({ settings: sql`${channels.settings} || ${JSON.stringify({ callbackUrl: `http://${name}:${local.port}/callback` })}::jsonb` })
          .where(eq(channels.id, channel.id));
        const byName = await replyAndSettle(p, admin, channel, "ssrf-name");
        expect(byName.status).toBe("failed");
        expect(byName.failureReason).toMatch(/resolves to a private/);
      }
      expect(local.hits).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it("a platform API address cannot be set on a channel: only the environment says where a connector calls", async () => {
    const evil = await target();
    try {
      const res = await admin.post("/api/channels", {
        platform: "telegram",
        name: "Bot",
        config: { botToken: "8000000009:AAsomethingSomethingFake1", apiBaseUrl: evil.url },
      });
      expect(res.status).toBe(201);
      expect(res.body.config.apiBaseUrl).toBeUndefined();
      const [row] = await p.ctx.db.select().from(channels).where(eq(channels.id, res.body.id));
      expect(JSON.stringify(row!.settings)).not.toContain(evil.url);
      const { connectorEnv } = await import("../server/connectors/runtime.js");
      const env = connectorEnv(p.ctx);
      const runtime = { id: row!.id, workspaceId: row!.workspaceId, platform: "telegram" as const, accountId: null, settings: { apiBaseUrl: evil.url }, secrets: {} };
      expect(env.baseUrl(runtime)).toBe(p.ctx.config.TELEGRAM_API_URL);
      expect(env.targets(runtime)).toEqual({ allowPrivate: false });
    } finally {
      await evil.close();
    }
  });
});

describe("SSRF: even where private targets are allowed (on-premise)", () => {
  let p: TestParley;
  let admin: ApiClient;
  beforeAll(async () => {
    p = await startTestParley({ env: { ALLOW_PRIVATE_TARGETS: "1" } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => p?.stop());

  it("redirects are not followed", async () => {
    const inside = await target();
    const redirecting = await target((res) => {
      res.writeHead(302, { location: `${inside.url}/admin` });
      res.end();
    });
    try {
      const channel = await createApiChannel(admin, { callbackUrl: `${redirecting.url}/callback` });
      const m = await replyAndSettle(p, admin, channel, "redirect");
      expect(m.status).toBe("failed");
      expect(m.failureReason).toMatch(/redirect/);
      expect(redirecting.hits).toHaveLength(1);
      expect(inside.hits).toEqual([]);
    } finally {
      await inside.close();
      await redirecting.close();
    }
  });

  it("an error page's body never reaches the agent, only its status", async () => {
    const leaky = await target((res) => {
      res.writeHead(500, { "content-type": "text/html" });
      res.end("<html><body>internal-banner root:x:0:0 db_password=hunter2</body></html>");
    });
    try {
      const channel = await createApiChannel(admin, { callbackUrl: `${leaky.url}/callback` });
      const m = await replyAndSettle(p, admin, channel, "leaky");
      expect(m.failureReason).toBe("Callback answered 500");
    } finally {
      await leaky.close();
    }
  });
});
