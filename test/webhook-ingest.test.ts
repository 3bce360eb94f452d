import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { inboundEvents, messages } from "../server/db/schema.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook, sign } from "./helpers/client.js";
import { ADMIN, freshStorage, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

describe("a signed event on the API channel", () => {
  let p: TestParley;
  let admin: ApiClient;
  let channel: { id: string; secret: string };

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    channel = await createApiChannel(admin);
  });
  afterAll(() => p?.stop());

  const conversationsOf = async (externalContact: string) => {
    const list = await admin.get("/api/conversations?limit=100");
    return (list.body.items as any[]).filter((c) => c.contact.name === `Customer ${externalContact}`);
  };

  it("becomes a conversation visible through the API and pushed over a socket", async () => {
    const ws = await admin.socket();
    try {
      const event = customerEvent("c-1", "Hello, is my order on its way?");
      const res = await postWebhook(p.url, channel.id, channel.secret, event);
      expect(res).toEqual({ status: 200, body: { status: "accepted", eventId: event.eventId } });

      const pushed = await waitFor(async () => ws.events.find((e) => e.name === "message.created" && e.payload.message.text === event.message.text), "socket push");
      expect(pushed.payload.message).toMatchObject({ direction: "in", author: "customer", visibility: "private", externalId: event.message.externalId });
      const update = await waitFor(async () => ws.events.find((e) => e.name === "conversation.updated"), "conversation push");
      expect(update.payload.conversation.contact.name).toBe("Customer c-1");

      const [conv] = await conversationsOf("c-1");
      expect(conv).toMatchObject({ channelId: channel.id, platform: "api", kind: "dm", status: "open", owner: "human", assigneeId: null });
      expect(conv.lastMessage).toMatchObject({ text: event.message.text, direction: "in" });
      expect(conv.waitingSince).not.toBeNull();
      const msgs = await admin.get(`/api/conversations/${conv.id}/messages`);
      expect(msgs.body.items.map((m: any) => m.text)).toEqual([event.message.text]);
    } finally {
      ws.close();
    }
  });

  it("sent again creates nothing new, and a second message joins the same conversation", async () => {
    const event = customerEvent("c-2", "first");
    expect((await postWebhook(p.url, channel.id, channel.secret, event)).body.status).toBe("accepted");
    const conv = await waitFor(async () => (await conversationsOf("c-2"))[0], "conversation");
    const again = await postWebhook(p.url, channel.id, channel.secret, event);
    expect(again).toEqual({ status: 200, body: { status: "duplicate", eventId: event.eventId } });
    // The same platform message under a new event id (a platform retrying differently) is not stored twice either.
    await postWebhook(p.url, channel.id, channel.secret, { ...event, eventId: event.eventId + "-retry" });
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("c-2", "second"));
    const texts = await waitFor(async () => {
      const items = (await admin.get(`/api/conversations/${conv.id}/messages`)).body.items.map((m: any) => m.text);
      return items.length >= 2 && items;
    }, "second message");
    await new Promise((r) => setTimeout(r, 200));
    expect((await admin.get(`/api/conversations/${conv.id}/messages`)).body.items.map((m: any) => m.text)).toEqual(["first", "second"]);
    expect(texts).toEqual(["first", "second"]);
    expect(await conversationsOf("c-2")).toHaveLength(1);
  });

  it("with a wrong or missing signature answers 401 and stores nothing", async () => {
    const event = customerEvent("c-3", "forged");
    const forged = await postWebhook(p.url, channel.id, "not-the-secret-at-all", event);
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatch(/signature/i);
    const unsigned = await postWebhook(p.url, channel.id, null, event);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error).toMatch(/missing/i);
    // Signed over other bytes than those sent: re-serialising must not make it pass.
    const body = JSON.stringify(event);
    const res = await fetch(`${p.url}/webhooks/api/${channel.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-parley-signature": sign(channel.secret, body) },
      body: JSON.stringify(event, null, 2),
    });
    expect(res.status).toBe(401);
    const stored = await p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.externalEventId, event.eventId));
    expect(stored).toHaveLength(0);
    expect(await p.ctx.db.select().from(messages).where(eq(messages.externalId, event.message.externalId))).toHaveLength(0);
    const channels = await admin.get("/api/channels");
    expect(channels.body.items[0].health.lastError).toMatch(/signature/i);
  });

  it("with a malformed body answers 400 with what was wrong", async () => {
    const notJson = await postWebhook(p.url, channel.id, channel.secret, null, "{not json");
    expect(notJson).toMatchObject({ status: 400, body: { error: expect.stringMatching(/JSON/) } });
    const missing = await postWebhook(p.url, channel.id, channel.secret, { eventId: "x", contact: { externalId: "c" } });
    expect(missing.status).toBe(400);
    expect(missing.body.issues.map((i: any) => i.path).join(",")).toMatch(/message/);
  });

  it("for an unknown channel answers 404", async () => {
    const res = await postWebhook(p.url, "00000000-0000-4000-8000-000000000000", channel.secret, customerEvent("c-4", "hi"));
    expect(res.status).toBe(404);
    expect((await postWebhook(p.url, "not-a-uuid", channel.secret, customerEvent("c-4", "hi"))).status).toBe(404);
  });
});

describe("the sweeper", () => {
  it("recovers a stored delivery whose queue job was lost, and restarting keeps all data", async () => {
    const storage = freshStorage();
    try {
      // A server process alone stores and acknowledges the delivery; then it stops, and with it the
      // job it enqueued is gone (the in-process queue dies with it; in Redis we drop it below).
      const first = await startTestParley({ storage, role: "server" });
      const admin = await ApiClient.login(first.url, ADMIN.email, ADMIN.password);
      const channel = await createApiChannel(admin);
      const event = customerEvent("lost-1", "Did anyone get this?");
      expect((await postWebhook(first.url, channel.id, channel.secret, event)).status).toBe(200);
      await first.close();
      if (storage.env.REDIS_URL) {
        const { Redis } = await import("ioredis");
        const redis = new Redis(storage.env.REDIS_URL);
        const keys = await redis.keys(`${storage.env.REDIS_PREFIX}:ingest:*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      }

      const second = await startTestParley({ storage, env: { SWEEP_AFTER_MS: "0" } });
      try {
        const again = await ApiClient.login(second.url, ADMIN.email, ADMIN.password);
        const conv = await waitFor(async () => (await again.get("/api/conversations")).body.items[0], "swept conversation");
        expect(conv.lastMessage.text).toBe("Did anyone get this?");
        const [stored] = await second.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.externalEventId, event.eventId));
        expect(stored?.status).toBe("processed");
        expect((await again.get("/api/channels")).body.items.map((c: any) => c.id)).toEqual([channel.id]);
      } finally {
        await second.close();
      }
    } finally {
      await storage.dispose();
    }
  });
});
