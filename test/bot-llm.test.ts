import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botTurns, llmSettings } from "../server/db/schema.js";
import { rateLimited, serverError, startOpenAiFake } from "./fakes/openai-fake.js";
import { startCallbackServer } from "./helpers/callback-server.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { logCollector } from "./helpers/logs.js";

const KEY = "sk-test-Parl3yS3cretK3y-0123456789abcdef";

const articles = [
  { id: "delivery", title: "How long does delivery take?", body: "Standard delivery takes 2 to 4 working days within Germany. Express delivery costs 9.90 EUR.", tags: ["shipping", "delivery"] },
  { id: "gift-cards", title: "Do you sell gift cards?", body: "Digital gift cards from 10 to 500 EUR are sent by email and valid for 3 years.", tags: ["voucher", "gift card"] },
  { id: "returns", title: "How do I return an item?", body: "Return unworn items within 30 days in your account under Orders.", tags: ["returns"] },
];

describe("the LLM agent, end to end with a fake OpenAI-compatible server", () => {
  let p: TestParley;
  let admin: ApiClient;
  let llm: Awaited<ReturnType<typeof startOpenAiFake>>;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let channel: { id: string; secret: string };
  let ids: Record<string, string>;
  const logs = logCollector();

  beforeAll(async () => {
    p = await startTestParley({ env: { LLM_TIMEOUT_MS: "1500" }, logs: logs.stream });
    llm = await startOpenAiFake({ apiKey: KEY });
    callback = await startCallbackServer(() => ({ status: 200 }));
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    channel = await createApiChannel(admin, { botEnabled: true, callbackUrl: callback.url });
    // The knowledge stage answers confident matches by itself; off here, so every turn asks the model.
    expect((await admin.put(`/api/channels/${channel.id}/bot`, { pipeline: { knowledge: { enabled: false } } })).status).toBe(200);
    expect((await admin.put("/api/bots/llm", { baseUrl: llm.url, model: "fake-model", apiKey: KEY, instructions: "Be brief." })).status).toBe(200);
    const imported = await admin.post("/api/knowledge/import", { format: "json", files: [{ name: "kb.json", content: JSON.stringify(articles) }] });
    expect(imported.status).toBe(200);
    ids = Object.fromEntries(imported.body.articles.map((a: any) => [a.externalId, a.id]));
  });
  afterAll(async () => {
    await p?.stop();
    await llm?.close();
    await callback?.close();
  });

  const say = (contact: string, text: string) => postWebhook(p.url, channel.id, channel.secret, customerEvent(contact, text));
  const conversationOf = (contact: string) =>
    waitFor(async () => ((await admin.get("/api/conversations?limit=100")).body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`), `conversation of ${contact}`);
  const messagesOf = async (id: string) => (await admin.get(`/api/conversations/${id}/messages`)).body.items as any[];
  const turnsOf = async (id: string) => (await admin.get(`/api/bots/turns?conversationId=${id}`)).body.items as any[];
  const handedOff = (id: string) =>
    waitFor(async () => {
      const c = (await admin.get(`/api/conversations/${id}`)).body.conversation;
      return c.owner === "human" && c.handoff && c;
    }, "hand-off");

  it("answers through the model with the three tools, citing a retrieved article, and audits the turn", async () => {
    const before = llm.requests.length;
    await say("l-1", "how long does delivery take to Berlin?");
    const conv = await conversationOf("l-1");
    const reply = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.author === "bot" && m.status === "sent"), "bot reply sent");
    expect(reply.text).toBe("Here is what our help centre says about this.");
    expect(reply.bot).toEqual({ stage: "llm", articles: [{ id: ids.delivery, title: "How long does delivery take?" }], wrongAnswer: null });
    expect(callback.received.map((r) => r.body.text)).toContain(reply.text);

    const req = llm.requests[before]!;
    expect(req.toolNames).toEqual(["search_knowledge_base", "reply_to_customer", "handoff_to_human"]);
    expect(req.toolChoice).toBe("required");
    expect(req.model).toBe("fake-model");
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.articleIds[0]).toBe(ids.delivery);
    expect(JSON.stringify(req.body.messages)).toContain("Be brief.");

    const [turn] = await turnsOf(conv.id);
    expect(turn).toMatchObject({ outcome: "reply", stage: "llm", model: "fake-model", modelCalls: 1, citedArticleIds: [ids.delivery], replyMessageId: reply.id });
    expect(turn.retrievedArticleIds).toContain(ids.delivery);
    expect(turn.toolCalls).toEqual([{ round: 1, name: "reply_to_customer", arguments: expect.stringContaining(ids.delivery!) }]);
    expect(JSON.stringify(turn.prompt)).toContain("how long does delivery take to Berlin?");
    expect(turn.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("runs the model's extra searches and accepts an answer citing an article one of them found", async () => {
    llm.on("got anything for a birthday?", { search: "gift card voucher" }, { reply: "We sell digital gift cards from 10 to 500 EUR.", cite: [ids["gift-cards"]!] });
    await say("l-2", "got anything for a birthday?");
    const conv = await conversationOf("l-2");
    const reply = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.author === "bot"), "bot reply");
    expect(reply.bot.articles).toEqual([{ id: ids["gift-cards"], title: "Do you sell gift cards?" }]);
    const [turn] = await turnsOf(conv.id);
    expect(turn.modelCalls).toBe(2);
    expect(turn.toolCalls.map((c: any) => c.name)).toEqual(["search_knowledge_base", "reply_to_customer"]);
    const second = llm.requests.filter((r) => r.lastUser === "got anything for a birthday?")[1]!;
    expect(second.body.messages.at(-1)).toMatchObject({ role: "tool" });
    expect(second.articleIds).toContain(ids["gift-cards"]);
  });

  it("does not send an answer whose articles were not retrieved: hands off with no_answer", async () => {
    llm.on("what is the meaning of life?", { reply: "42, as our policy says.", cite: ["00000000-0000-4000-8000-000000000001"] });
    await say("l-3", "what is the meaning of life?");
    const conv = await conversationOf("l-3");
    const c = await handedOff(conv.id);
    expect(c.handoff).toMatchObject({ reason: "no_answer", reasonText: "The bot could not answer" });
    expect((await messagesOf(conv.id)).filter((m) => m.author === "bot")).toEqual([]);
    expect((await turnsOf(conv.id))[0]).toMatchObject({ outcome: "handoff", reason: "no_answer", detail: "the model's answer cited an article it was not given" });
  });

  const failures = [
    { name: "429 with retry-after", answer: rateLimited(7), detail: /rate limited \(429\), retry after 7 s/ },
    { name: "500", answer: serverError, detail: /server failed \(500\)/ },
    { name: "malformed tool arguments", answer: { tool: "reply_to_customer", arguments: '{"text": "Hi", articleIds: [' }, detail: /malformed output: reply_to_customer arguments/ },
    { name: "an answer without a tool call", answer: { text: "Sure, happy to help!" }, detail: /without calling a tool/ },
    { name: "a hanging answer", answer: { hang: true as const }, detail: /did not answer within 1500 ms/ },
  ];
  for (const [i, f] of failures.entries()) {
    it(`hands off with bot_unavailable on ${f.name}, keeping the customer's message`, async () => {
      const text = `Where is my parcel? (case ${i})`;
      llm.on(text, f.answer);
      await say(`l-f${i}`, text);
      const conv = await conversationOf(`l-f${i}`);
      const c = await handedOff(conv.id);
      expect(c.handoff.reason).toBe("bot_unavailable");
      const msgs = await messagesOf(conv.id);
      expect(msgs.find((m) => m.author === "customer")?.text).toBe(text);
      expect(msgs.filter((m) => m.author === "bot")).toEqual([]);
      expect(msgs.find((m) => m.visibility === "note")?.text).toMatch(/The AI model did not answer in time or failed/);
      expect((await turnsOf(conv.id))[0].detail).toMatch(f.detail);
    });
  }

  it("never shows the API key: not in answers, audit rows or logs, even when the provider echoes it", async () => {
    llm.setApiKey("sk-the-key-the-server-expects");
    try {
      await say("l-key", "do you ship to Austria?");
      const conv = await conversationOf("l-key");
      const c = await handedOff(conv.id);
      expect(c.handoff.reason).toBe("bot_unavailable");
      const [turn] = await turnsOf(conv.id);
      expect(turn.detail).toMatch(/refused the API key \(401\)/);
      const test = await admin.post("/api/bots/llm/test", {});
      expect(test.body).toMatchObject({ ok: false, steps: expect.arrayContaining([{ step: "authenticate", ok: false, detail: expect.stringContaining("[redacted]") }]) });
      const answers = [
        test.body,
        turn,
        c,
        (await admin.get("/api/bots/llm")).body,
        await messagesOf(conv.id),
        await turnsOf(conv.id),
        (await admin.get(`/api/channels/${channel.id}/bot`)).body,
      ];
      expect(JSON.stringify(answers)).not.toContain(KEY);
      expect(JSON.stringify(await p.ctx.db.select().from(botTurns))).not.toContain(KEY);
      // Stored encrypted, like channel secrets.
      expect(JSON.stringify(await p.ctx.db.select().from(llmSettings))).not.toContain(KEY);
      expect(logs.text().length).toBeGreaterThan(0);
      expect(logs.text()).not.toContain(KEY);
    } finally {
      llm.setApiKey(KEY);
    }
  });

  it("sends nothing when an agent takes over while the model is still answering", async () => {
    const text = "Can you check my order status please";
    llm.on(text, { reply: "A late answer that must never be sent.", cite: "first", delayMs: 1200 });
    const before = llm.requests.length;
    await say("l-slow", text);
    const conv = await conversationOf("l-slow");
    await waitFor(async () => llm.requests.slice(before).some((r) => r.lastUser === text), "model call in flight");
    expect((await admin.patch(`/api/conversations/${conv.id}`, { owner: "human" })).body.conversation.owner).toBe("human");
    const turn = await waitFor(async () => (await turnsOf(conv.id))[0], "turn recorded", 10_000);
    expect(turn).toMatchObject({ outcome: "superseded", modelCalls: 1 });
    expect((await messagesOf(conv.id)).filter((m) => m.author === "bot")).toEqual([]);
    expect(callback.received.map((r) => r.body.text)).not.toContain("A late answer that must never be sent.");
  });

  it("a model hand-off carries its summary; then the agent gets a written summary and a suggested reply", async () => {
    const text = "My tent ripped on day one and I want my money back right now";
    llm.on(text, { handoff: "sensitive", summary: "Wants a refund for a tent that ripped on the first day." });
    await say("l-h", text);
    const conv = await conversationOf("l-h");
    const c = await handedOff(conv.id);
    expect(c.handoff).toMatchObject({ reason: "sensitive", reasonText: "A sensitive topic: a person must answer" });
    expect(["Wants a refund for a tent that ripped on the first day.", "The customer wants to know about their order."]).toContain(c.handoff.summary);
    const drafted = await waitFor(async () => {
      const x = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
      return x.handoff?.suggestedReply && x;
    }, "suggested reply");
    expect(drafted.handoff).toMatchObject({ summary: "The customer wants to know about their order.", suggestedReply: "Hello! Thanks for waiting, I am looking into this for you now." });
    const notes = llm.requests.find((r) => r.toolNames.includes("write_handoff_notes") && JSON.stringify(r.body.messages).includes(text))!;
    expect(notes.toolChoice).toEqual({ type: "function", function: { name: "write_handoff_notes" } });
    // Handed back, the card goes: the bot owns the conversation again.
    await admin.patch(`/api/conversations/${conv.id}`, { owner: "bot" });
    expect((await admin.get(`/api/conversations/${conv.id}`)).body.conversation.handoff).toBeNull();
  });

  it("hands off with max_turns once the bot has replied the workspace's maximum", async () => {
    expect((await admin.put("/api/bots/llm", { maxBotTurns: 2 })).body.maxBotTurns).toBe(2);
    try {
      for (const [n, text] of ["delivery times please", "and express delivery?"].entries()) {
        await say("l-max", text);
        const conv = await conversationOf("l-max");
        await waitFor(async () => (await messagesOf(conv.id)).filter((m) => m.author === "bot").length === n + 1, `bot reply ${n + 1}`);
      }
      await say("l-max", "and returns?");
      const conv = await conversationOf("l-max");
      expect((await handedOff(conv.id)).handoff.reason).toBe("max_turns");
    } finally {
      await admin.put("/api/bots/llm", { maxBotTurns: 10 });
    }
  });

  it("LLM settings: the key is never returned, test connection says what worked or failed", async () => {
    const settings = (await admin.get("/api/bots/llm")).body;
    expect(settings).toMatchObject({ baseUrl: llm.url, model: "fake-model", apiKeySet: true, instructions: "Be brief.", effective: { apiKey: "workspace", configured: true, timeoutMs: 1500 } });
    expect(JSON.stringify(settings)).not.toContain(KEY);

    const ok = (await admin.post("/api/bots/llm/test", {})).body;
    expect(ok).toMatchObject({ ok: true, model: "fake-model", message: expect.stringMatching(/^Connected to .* can call functions\.$/) });
    expect(ok.steps.map((s: any) => s.step)).toEqual(["configuration", "reach", "authenticate", "model", "tools"]);

    const unreachable = (await admin.post("/api/bots/llm/test", { baseUrl: "http://127.0.0.1:9/v1" })).body;
    expect(unreachable).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not reach the model/) });
    expect(unreachable.steps.at(-1)).toMatchObject({ step: "reach", ok: false });

    llm.next({ text: "Connection works!" });
    const noTools = (await admin.post("/api/bots/llm/test", {})).body;
    expect(noTools).toMatchObject({ ok: false, message: expect.stringMatching(/did not call a function/) });

    const noModel = (await admin.post("/api/bots/llm/test", { model: null })).body;
    expect(noModel).toMatchObject({ ok: false, steps: [{ step: "configuration", ok: false }] });

    const removed = (await admin.put("/api/bots/llm", { apiKey: null })).body;
    expect(removed).toMatchObject({ apiKeySet: false, effective: { apiKey: "none", configured: true } });
    await admin.put("/api/bots/llm", { apiKey: KEY });
  });
});
