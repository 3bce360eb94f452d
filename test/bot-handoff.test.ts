import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCallbackServer } from "./helpers/callback-server.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

describe("hand-offs, wrong answers and the supervisor's bot numbers", () => {
  let p: TestParley;
  let admin: ApiClient;
  let agent: ApiClient;
  let supervisor: ApiClient;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let channel: { id: string; secret: string };
  const convIds: Record<string, string> = {};

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    for (const role of ["agent", "supervisor"] as const) {
      await admin.post("/api/users", { email: `${role}@test.local`, name: `The ${role}`, role, password: `${role}-password-1` });
    }
    agent = await ApiClient.login(p.url, "agent@test.local", "agent-password-1");
    supervisor = await ApiClient.login(p.url, "supervisor@test.local", "supervisor-password-1");
    callback = await startCallbackServer(() => ({ status: 200 }));
    channel = await createApiChannel(admin, { botEnabled: true, callbackUrl: callback.url });
    await admin.post("/api/knowledge/articles", {
      title: "What happens if my parcel is left outside?",
      body: "If the delivery driver left your parcel outside and it is gone, tell us your order number by private message: we send a replacement.",
      tags: ["delivery", "parcel", "missing"],
    });
    const put = await admin.put(`/api/channels/${channel.id}/bot`, {
      rules: [
        { name: "Invoice copy", pattern: "invoice copy", reply: "You find every invoice in your account under Orders.", actions: { labels: ["billing"], priority: "high", resolve: true } },
        { name: "Hours", pattern: "opening hours", reply: "We are open 9 to 5." },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body.rules[0].actions).toEqual({ labels: ["billing"], priority: "high", resolve: true });
  });
  afterAll(async () => {
    await p?.stop();
    await callback?.close();
  });

  const say = (contact: string, text: string) => postWebhook(p.url, channel.id, channel.secret, customerEvent(contact, text));
  const conversationOf = async (contact: string) => {
    const c = await waitFor(async () => ((await admin.get("/api/conversations?limit=100")).body.items as any[]).find((x) => x.contact.name === `Customer ${contact}`), `conversation of ${contact}`);
    convIds[contact] = c.id;
    return c;
  };
  const messagesOf = async (id: string) => (await admin.get(`/api/conversations/${id}/messages`)).body.items as any[];
  const conversation = async (id: string) => (await admin.get(`/api/conversations/${id}`)).body.conversation;

  it("'my delivery agent left the parcel outside' is answered, 'Bitte einen Mitarbeiter, kein Bot!' hands off", async () => {
    await say("h-1", "my delivery agent left the parcel outside and now it's gone");
    const answered = await conversationOf("h-1");
    const reply = await waitFor(async () => (await messagesOf(answered.id)).find((m) => m.author === "bot"), "bot answer");
    expect(reply.bot.stage).toBe("knowledge");
    expect((await conversation(answered.id)).owner).toBe("bot");

    await say("h-2", "Bitte einen Mitarbeiter, kein Bot!");
    const asked = await conversationOf("h-2");
    const c = await waitFor(async () => {
      const x = await conversation(asked.id);
      return x.owner === "human" && x;
    }, "hand-off");
    expect(c.handoff).toMatchObject({ reason: "customer_request", reasonText: "The customer asked for a person" });
    expect(c.handoffReason).toBe("The customer asked for a person");
    // The notice goes to the customer as an automated system message; a note tells the agents why.
    const msgs = await messagesOf(asked.id);
    expect(msgs.find((m) => m.author === "system" && m.visibility === "private")?.text).toMatch(/passing you to a person/);
    expect(msgs.find((m) => m.visibility === "note")?.text).toMatch(/^Handed off to a person: The customer asked for a person \(asked for a person \("kein bot"\)\)\.$/);
  });

  it("sensitive topics go to a person at once", async () => {
    await say("h-3", "I disputed the payment with my bank, this is a chargeback");
    const conv = await conversationOf("h-3");
    const c = await waitFor(async () => {
      const x = await conversation(conv.id);
      return x.owner === "human" && x;
    }, "hand-off");
    expect(c.handoff).toMatchObject({ reason: "sensitive" });
    expect(c.handoff.summary).toContain("a payment dispute");
  });

  it("a rule's actions label, prioritise and resolve; thanks after an answer resolves too", async () => {
    await say("h-4", "can I get an invoice copy?");
    const conv = await conversationOf("h-4");
    const done = await waitFor(async () => {
      const x = await conversation(conv.id);
      return x.status === "resolved" && x;
    }, "resolved by the rule");
    expect(done).toMatchObject({ owner: "bot", labels: ["billing"], priority: "high" });
    expect((await messagesOf(conv.id)).find((m) => m.author === "bot")?.text).toBe("You find every invoice in your account under Orders.");

    await say("h-5", "what are your opening hours?");
    const thanks = await conversationOf("h-5");
    await waitFor(async () => (await messagesOf(thanks.id)).some((m) => m.author === "bot"), "rule answer");
    await say("h-5", "Perfect, thank you!");
    await waitFor(async () => (await conversation(thanks.id)).status === "resolved", "resolved after thanks");
    expect((await messagesOf(thanks.id)).filter((m) => m.author === "bot")).toHaveLength(1);
  });

  it("an agent marks a bot answer wrong; it shows on the message and in the supervisor's list, and can be taken back", async () => {
    const conv = convIds["h-1"]!;
    const reply = (await messagesOf(conv)).find((m) => m.author === "bot");
    const marked = await agent.post(`/api/conversations/${conv}/messages/${reply.id}/wrong-answer`, { note: "They had a tracking problem, not a lost parcel" });
    expect(marked.status).toBe(200);
    expect(marked.body.message.bot.wrongAnswer).toMatchObject({ userName: "The agent", note: "They had a tracking problem, not a lost parcel" });
    const list = (await supervisor.get("/api/bots/wrong-answers")).body.items;
    expect(list).toEqual([
      expect.objectContaining({ messageId: reply.id, conversationId: conv, stage: "knowledge", userName: "The agent", articles: [expect.objectContaining({ title: "What happens if my parcel is left outside?" })] }),
    ]);
    const customerMsg = (await messagesOf(conv)).find((m) => m.author === "customer");
    const refused = await agent.post(`/api/conversations/${conv}/messages/${customerMsg.id}/wrong-answer`, {});
    expect(refused).toMatchObject({ status: 409, body: { code: "not_a_bot_message" } });

    const report = (await supervisor.get("/api/bots/report")).body;
    expect(report.wrongAnswers).toEqual({ count: 1, conversationIds: [conv], messageIds: [reply.id] });

    const undone = await agent.request("DELETE", `/api/conversations/${conv}/messages/${reply.id}/wrong-answer`);
    expect(undone.body.message.bot.wrongAnswer).toBeNull();
    expect((await supervisor.get("/api/bots/wrong-answers")).body.items).toEqual([]);
    await agent.post(`/api/conversations/${conv}/messages/${reply.id}/wrong-answer`, {});
  });

  it("the supervisor's numbers: containment, hand-offs by reason, wrong answers, each with its conversations", async () => {
    // An agent takes one over too.
    await admin.patch(`/api/conversations/${convIds["h-1"]}`, { owner: "human" });
    const report = (await supervisor.get("/api/bots/report")).body;
    expect(report.botConversations.count).toBe(5);
    expect(new Set(report.botConversations.conversationIds)).toEqual(new Set(Object.values(convIds)));
    expect(report.contained).toMatchObject({ count: 2, rate: 0.4 });
    expect(new Set(report.contained.conversationIds)).toEqual(new Set([convIds["h-4"], convIds["h-5"]]));
    expect(report.handoffs.total).toBe(3);
    expect(report.handoffs.byReason.customer_request).toEqual({ count: 1, conversationIds: [convIds["h-2"]] });
    expect(report.handoffs.byReason.sensitive).toEqual({ count: 1, conversationIds: [convIds["h-3"]] });
    expect(report.handoffs.byReason.agent_takeover).toEqual({ count: 1, conversationIds: [convIds["h-1"]] });
    expect(report.handoffs.byReason.no_answer).toEqual({ count: 0, conversationIds: [] });
    expect(report.wrongAnswers.count).toBe(1);

    const other = await admin.post("/api/channels", { platform: "api", name: "Other" });
    expect((await supervisor.get(`/api/bots/report?channelId=${other.body.id}`)).body.botConversations.count).toBe(0);
    expect((await supervisor.get("/api/bots/report?from=2030-01-02&to=2030-01-01")).body.code).toBe("invalid_range");
  });

  it("handing back clears the hand-off card, and the bot answers the customer's next message", async () => {
    const conv = convIds["h-2"]!;
    await agent.patch(`/api/conversations/${conv}`, { owner: "bot" });
    expect((await conversation(conv)).handoff).toBeNull();
    await say("h-2", "what are your opening hours?");
    await waitFor(async () => (await messagesOf(conv)).some((m) => m.author === "bot" && m.text === "We are open 9 to 5."), "bot answers after hand-back");
  });
});
