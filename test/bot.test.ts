import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botReplyJob } from "../bots/bot-reply.job.js";
import { addMessage, lockConversation } from "../server/domain/conversation-commands.js";
import { sweep } from "../server/pipeline/sweeper.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { startCallbackServer } from "./helpers/callback-server.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

describe("the rule bot", () => {
  let p: TestParley;
  let admin: ApiClient;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let failing = false;
  const delivered: string[] = []; // message ids the callback accepted (answered 2xx)
  let channel: { id: string; secret: string };

  beforeAll(async () => {
    p = await startTestParley({ env: { OUTBOUND_RETRY_BASE_MS: "300", OUTBOUND_MAX_ATTEMPTS: "4" } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    callback = await startCallbackServer((_n, r) => {
      if (failing) return { status: 503, body: { error: "down" } };
      delivered.push(r.body.messageId);
      return { status: 200 };
    });
    channel = await createApiChannel(admin, { botEnabled: true, callbackUrl: callback.url });
    const put = await admin.put(`/api/channels/${channel.id}/bot`, {
      settings: { handoffAfterMisses: 2, fallbackReply: "Sorry, could you rephrase?" },
      rules: [
        { name: "Hours", matchType: "keyword", pattern: "opening hours, open", reply: "We are open 9 to 5." },
        { name: "Refunds", matchType: "regex", pattern: "refund(s|ed)?", reply: "Refunds take 5 days." },
      ],
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await p?.stop();
    await callback?.close();
  });

  const say = async (contact: string, text: string) => {
    await postWebhook(p.url, channel.id, channel.secret, customerEvent(contact, text));
  };
  const conversationOf = (contact: string) =>
    waitFor(async () => ((await admin.get("/api/conversations?limit=100")).body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`), `conversation of ${contact}`);
  const messagesOf = async (id: string) => (await admin.get(`/api/conversations/${id}/messages`)).body.items as any[];

  it("answers a matching rule and the reply reaches the callback", async () => {
    await say("b-1", "What are your opening hours?");
    const conv = await conversationOf("b-1");
    expect(conv.owner).toBe("bot");
    const reply = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.author === "bot" && m.status === "sent"), "bot reply sent");
    expect(reply).toMatchObject({ text: "We are open 9 to 5.", direction: "out" });
    expect(callback.received.map((r) => r.body.text)).toContain("We are open 9 to 5.");
    await say("b-1", "Was my order refunded?");
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.text === "Refunds take 5 days."), "regex rule reply");
    expect((await admin.get(`/api/conversations/${conv.id}`)).body.conversation).toMatchObject({ owner: "bot", waitingSince: null });
  });

  it("hands off when the customer asks for a person, with the reason", async () => {
    await say("b-2", "Can I talk to a real person please");
    const conv = await conversationOf("b-2");
    const handed = await waitFor(async () => {
      const c = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
      return c.owner === "human" && c;
    }, "hand-off");
    expect(handed).toMatchObject({ status: "open", handoffReason: "The customer asked for a person" });
    const msgs = await messagesOf(conv.id);
    expect(msgs.filter((m) => m.author === "bot")).toHaveLength(0);
    expect(msgs.find((m) => m.author === "system" && m.visibility === "note")?.text).toMatch(/asked for a person/);
    // The automated hand-off notice still goes out: it is not the bot speaking after the hand-off.
    await waitFor(async () => callback.received.some((r) => r.body.conversationId === conv.id && /passing you to a person/.test(r.body.text)), "hand-off notice");
  });

  it("hands off after N messages in a row that match no rule", async () => {
    await say("b-3", "blue elephants");
    const conv = await conversationOf("b-3");
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.text === "Sorry, could you rephrase?"), "fallback");
    expect((await admin.get(`/api/conversations/${conv.id}`)).body.conversation.owner).toBe("bot");
    await say("b-3", "purple giraffes");
    const handed = await waitFor(async () => {
      const c = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
      return c.owner === "human" && c;
    }, "hand-off after misses");
    expect(handed.handoffReason).toBe("The bot could not answer");
    // A human owns it now: a matching message gets no bot answer.
    await say("b-3", "what are your opening hours");
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.text === "what are your opening hours"), "message stored");
    await new Promise((r) => setTimeout(r, 300));
    expect((await messagesOf(conv.id)).filter((m) => m.text === "We are open 9 to 5.")).toHaveLength(0);
  });

  it("sends nothing after a human takes over, even with its job already queued or its reply waiting to be sent", async () => {
    failing = true; // the bot's reply cannot leave yet: it stays queued, retrying
    await say("b-4", "are you open today?");
    const conv = await conversationOf("b-4");
    const pending = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.author === "bot"), "bot reply queued");
    expect(pending.status).toBe("queued");
    const customerMsg = (await messagesOf(conv.id)).find((m) => m.author === "customer");

    const takeover = await admin.patch(`/api/conversations/${conv.id}`, { owner: "human" });
    expect(takeover.body.conversation.owner).toBe("human");
    failing = false;
    const cancelled = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.id === pending.id && m.status === "cancelled"), "bot reply cancelled");
    expect(cancelled.failureReason).toMatch(/took over/);

    // A bot job for a new message that was queued before the take-over runs now: it must do nothing.
    await say("b-4", "and are you open on sunday?");
    const second = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.text === "and are you open on sunday?"), "second message");
    await botReplyJob.handle({ conversationId: conv.id, messageId: second.id }, p.ctx, { attempt: 1, maxAttempts: 1, isLastAttempt: true, readyAt: Date.now(), log: p.ctx.log });
    await botReplyJob.handle({ conversationId: conv.id, messageId: customerMsg.id }, p.ctx, { attempt: 2, maxAttempts: 2, isLastAttempt: true, readyAt: Date.now(), log: p.ctx.log });
    await new Promise((r) => setTimeout(r, 300));
    const bots = (await messagesOf(conv.id)).filter((m) => m.author === "bot");
    expect(bots.map((m) => m.status)).toEqual(["cancelled"]);
    expect(delivered).not.toContain(pending.id);

    // Handed back, the bot answers again.
    await admin.patch(`/api/conversations/${conv.id}`, { owner: "bot" });
    await say("b-4", "opening hours?");
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.author === "bot" && m.status === "sent"), "bot answers after hand-back");
  });

  it("answers a customer message whose bot job was lost, once the sweeper finds it", async () => {
    await say("b-6", "hello there");
    const conv = await conversationOf("b-6");
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.author === "bot"), "first bot answer");
    // The state a lost job leaves: the message committed, its bot job never enqueued (the domain
    // events of this transaction are dropped instead of published).
    const workspaceId = (await admin.get("/api/me")).body.workspace.id;
    await p.ctx.db.transaction(async (tx) => {
      const row = await lockConversation(tx, workspaceId, conv.id);
      await addMessage(tx, [], row, { direction: "in", author: "customer", visibility: "private", text: "what are your opening hours", status: "received", externalId: "lost-bot-job-1" }, new Date(Date.now() - 120_000));
    });
    await new Promise((r) => setTimeout(r, 200));
    expect((await messagesOf(conv.id)).filter((m) => m.text === "We are open 9 to 5.")).toHaveLength(0);
    const swept = await sweep(p.ctx);
    expect(swept.bot).toBe(1);
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.text === "We are open 9 to 5."), "bot answer after the sweep");
    expect((await sweep(p.ctx)).bot).toBe(0);
  });

  it("after a hand-back, the bot starts from the customer's next message, not from what a person handled", async () => {
    await say("b-7", "I want to talk to a human about opening hours");
    const conv = await conversationOf("b-7");
    await waitFor(async () => (await admin.get(`/api/conversations/${conv.id}`)).body.conversation.owner === "human", "hand-off");
    // Written while a person owns it: the bot never handled it, and must not answer it later.
    await say("b-7", "what are your opening hours?");
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.text === "what are your opening hours?"), "message while human-owned");
    await admin.post(`/api/conversations/${conv.id}/messages`, { text: "Hi, a person here: we open at 9." });
    await admin.patch(`/api/conversations/${conv.id}`, { owner: "bot" });
    expect((await sweep({ ...p.ctx, config: { ...p.ctx.config, SWEEP_AFTER_MS: 0 } })).bot).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect((await messagesOf(conv.id)).filter((m) => m.author === "bot")).toHaveLength(0);
    await say("b-7", "and your shipping times?");
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.author === "bot"), "bot answers the next message");
  });
});
