import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { outboundSendJob } from "../server/pipeline/outbound-send.job.js";
import { enqueue } from "../server/context.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { startCallbackServer } from "./helpers/callback-server.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

describe("an agent's reply", () => {
  let p: TestParley;
  let admin: ApiClient;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let answer: (n: number) => { status: number; body?: unknown } = () => ({ status: 200, body: { externalId: "ext-1" } });
  let channel: { id: string; secret: string };

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    callback = await startCallbackServer((n) => answer(n));
    channel = await createApiChannel(admin, { callbackUrl: callback.url });
  });
  afterAll(async () => {
    await p?.stop();
    await callback?.close();
  });

  const openConversation = async (contact: string) => {
    await postWebhook(p.url, channel.id, channel.secret, customerEvent(contact, "Hi there"));
    return waitFor(async () => ((await admin.get("/api/conversations")).body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`), "conversation");
  };
  const message = async (convId: string, id: string) =>
    ((await admin.get(`/api/conversations/${convId}/messages`)).body.items as any[]).find((m) => m.id === id);

  it("reaches the callback URL, signed, and its status updates live", async () => {
    const conv = await openConversation("o-1");
    const ws = await admin.socket();
    try {
      const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "Hello from support" });
      expect(res.status).toBe(201);
      expect(res.body.message).toMatchObject({ direction: "out", author: "agent", visibility: "private", surface: "reply", status: "queued", authorName: "Admin" });
      const id = res.body.message.id;
      const got = await waitFor(async () => callback.received.find((r) => r.body.messageId === id), "callback");
      expect(got.body).toEqual({ conversationId: conv.id, messageId: id, contact: { externalId: "o-1" }, text: "Hello from support" });
      const expected = "sha256=" + createHmac("sha256", channel.secret).update(got.raw).digest("hex");
      expect(got.headers["x-parley-signature"]).toBe(expected);
      const update = await waitFor(async () => ws.events.find((e) => e.name === "message.updated" && e.payload.message.id === id && e.payload.message.status === "sent"), "live status");
      expect(update.payload.message.externalId).toBe("ext-1");
      // The source system reports the delivery back with a signed receipt.
      await postWebhook(p.url, channel.id, channel.secret, { eventId: `r-${id}`, receipt: { messageId: id, status: "delivered" } });
      await waitFor(async () => ws.events.find((e) => e.name === "message.updated" && e.payload.message.id === id && e.payload.message.status === "delivered"), "delivered");
      expect((await admin.get(`/api/conversations/${conv.id}`)).body.conversation.waitingSince).toBeNull();
    } finally {
      ws.close();
    }
  });

  it("is retried while the callback fails, then ends failed with the reason", async () => {
    answer = () => ({ status: 500, body: { error: "database on fire" } });
    const conv = await openConversation("o-2");
    const before = callback.received.length;
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "Will this arrive?" });
    const failed = await waitFor(async () => {
      const m = await message(conv.id, res.body.message.id);
      return m.status === "failed" && m;
    }, "failed status");
    // Only the JSON error message, sanitised: never the raw body.
    expect(failed.failureReason).toBe("Callback answered 500: database on fire");
    expect(callback.received.length - before).toBe(3); // OUTBOUND_MAX_ATTEMPTS in the test settings
  });

  it("recovers when the callback comes back during the retries", async () => {
    answer = (n) => (n % 2 === 1 ? { status: 502 } : { status: 200 });
    const conv = await openConversation("o-3");
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "Second try works" });
    await waitFor(async () => (await message(conv.id, res.body.message.id)).status === "sent", "sent after a retry");
  });

  it("a retried or redelivered job never sends twice", async () => {
    answer = () => ({ status: 200 });
    const conv = await openConversation("o-4");
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "Exactly once" });
    const id = res.body.message.id;
    await waitFor(async () => (await message(conv.id, id)).status === "sent", "sent");
    await outboundSendJob.handle({ messageId: id }, p.ctx, { attempt: 2, maxAttempts: 3, isLastAttempt: false, readyAt: Date.now(), log: p.ctx.log });
    await enqueue(p.ctx, outboundSendJob, { messageId: id }, { jobId: id });
    await new Promise((r) => setTimeout(r, 300));
    expect(callback.received.filter((r) => r.body.messageId === id)).toHaveLength(1);
  });

  it("a note is never sent, and a channel without callback fails with a clear reason", async () => {
    const conv = await openConversation("o-5");
    const before = callback.received.length;
    const note = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "internal only", visibility: "note" });
    expect(note.body.message).toMatchObject({ visibility: "note", author: "agent" });
    const bare = await createApiChannel(admin, { name: "No callback" });
    await postWebhook(p.url, bare.id, bare.secret, customerEvent("o-6", "hello"));
    const conv2 = await waitFor(async () => ((await admin.get(`/api/conversations?channelId=${bare.id}`)).body.items as any[])[0], "conversation");
    const res = await admin.post(`/api/conversations/${conv2.id}/messages`, { text: "nowhere to go" });
    const failed = await waitFor(async () => {
      const m = await message(conv2.id, res.body.message.id);
      return m.status === "failed" && m;
    }, "failed");
    expect(failed.failureReason).toMatch(/no callback URL/);
    expect(callback.received.length).toBe(before);
  });

  it("answers 400 with what was wrong for an invalid reply", async () => {
    const conv = await openConversation("o-7");
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "   " });
    expect(res.status).toBe(400);
    expect(res.body.issues[0]).toMatchObject({ path: "text" });
    const bad = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "x", visibility: "shout" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/visibility/);
  });
});
