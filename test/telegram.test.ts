import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundEvents } from "../server/db/schema.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { startTelegramFake, type TelegramFake } from "./fakes/telegram-fake.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/platforms/${name}`, import.meta.url), "utf8");
const vectors = JSON.parse(fixture("signature-test-vectors.json")).telegram as Record<string, { "X-Telegram-Bot-Api-Secret-Token": string }>;
const SECRET = vectors["telegram-update-message.json"]!["X-Telegram-Bot-Api-Secret-Token"];
const TOKEN = "8000000001:AAFakeBotTokenForParleyTests_x1";
const OTHER_TOKEN = "8000000002:AAOtherFakeBotToken_revoked_y2";
const KIM = 7000000001;

const BLOCKED_REASON = "The customer blocked the bot: Telegram will not deliver messages until they restart it.";

describe("Telegram channel", () => {
  let p: TestParley;
  let admin: ApiClient;
  let fake: TelegramFake;
  let channel: { id: string; webhookUrl: string };

  const createChannel = async (name: string, botToken: string, secretToken?: string) => {
    const res = await admin.post("/api/channels", {
      platform: "telegram",
      name,
      config: { botToken, ...(secretToken ? { secretToken } : {}) },
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  /** What the admin does after connecting: setWebhook with the channel's URL and secret token. */
  const setWebhook = async (token: string, url: string, secret: string) => {
    const res = await fetch(`${fake.url}/bot${token}/setWebhook`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url, secret_token: secret }) });
    expect(res.status).toBe(200);
  };
  const post = (channelId: string, body: string, headers: Record<string, string>) =>
    fetch(`${p.url}/webhooks/telegram/${channelId}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  const conversationOf = (chatId: number, channelId = channel.id) =>
    waitFor(async () => {
      const items = (await admin.get(`/api/conversations?channelId=${channelId}`)).body.items as any[];
      for (const c of items) {
        const full = (await admin.get(`/api/conversations/${c.id}`)).body.conversation;
        const msgs = (await admin.get(`/api/conversations/${c.id}/messages`)).body.items as any[];
        if (msgs.some((m) => m.externalId?.startsWith(`${chatId}:`))) return full;
      }
      return undefined;
    }, `conversation of chat ${chatId}`);
  const messagesOf = async (convId: string) => (await admin.get(`/api/conversations/${convId}/messages`)).body.items as any[];
  const messageById = async (convId: string, id: string) => (await messagesOf(convId)).find((m) => m.id === id);
  const waitStatus = (convId: string, id: string, status: string, timeoutMs?: number) =>
    waitFor(async () => {
      const m = await messageById(convId, id);
      return m?.status === status && m;
    }, `message ${status}`, timeoutMs);

  let updateSeq = 0;
  const textUpdate = (chatId: number, messageId: number, text: string, chat: Record<string, unknown> = {}) => ({
    update_id: 910000000 + ++updateSeq,
    message: {
      message_id: messageId,
      from: { id: chatId, is_bot: false, first_name: `User${chatId}` },
      chat: { id: chatId, first_name: `User${chatId}`, type: "private", ...chat },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  });
  /** A customer in a fresh private chat writes; returns the conversation. */
  const customerWrites = async (chatId: number, text = "Hello, I need help") => {
    const d = await fake.sendUpdate(TOKEN, textUpdate(chatId, 10, text));
    expect(d.status).toBe(200);
    return conversationOf(chatId);
  };
  const reply = (convId: string, text: string) => admin.post(`/api/conversations/${convId}/messages`, { text });
  const sendsTo = (chatId: number) => fake.sends().filter((c) => c.body?.chat_id === chatId);

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    fake = await startTelegramFake({ bots: [TOKEN, OTHER_TOKEN] });
    p.usePlatforms({ TELEGRAM_API_URL: fake.url });
    const created = await createChannel("Acme Telegram", TOKEN, SECRET);
    channel = { id: created.id, webhookUrl: created.webhookUrl };
    await setWebhook(TOKEN, created.webhookUrl, SECRET);
  });
  afterAll(async () => {
    await p?.stop();
    await fake?.close();
  });

  it("is connected with the bot id as account, secrets hidden, and setWebhook in the setup steps", async () => {
    const listed = ((await admin.get("/api/channels")).body.items as any[]).find((c) => c.id === channel.id);
    expect(listed).toMatchObject({ platform: "telegram", accountId: "8000000001", webhookUrl: `${p.url}/webhooks/telegram/${channel.id}` });
    expect(listed.secrets).toEqual(["botToken", "secretToken"]);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    expect(listed.setup.steps.join("\n")).toContain(`setWebhook with url=${channel.webhookUrl}`);
    // Without a secret token, Parley makes one and shows it once.
    const generated = await createChannel("Generated secret", "8000000003:AAThirdFakeBotToken_z3");
    expect(generated.generated.secretToken).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    // The same bot cannot be connected twice.
    const twice = await admin.post("/api/channels", { platform: "telegram", name: "Again", config: { botToken: TOKEN } });
    expect(twice.status).toBe(409);
  });

  it("stores the customer's messages and the agent's reply reaches Telegram as a reply to them", async () => {
    for (const f of ["telegram-update-message-start.json", "telegram-update-message.json"]) {
      expect((await fake.sendUpdate(TOKEN, fixture(f))).status).toBe(200);
    }
    const conv = await conversationOf(KIM);
    expect(conv).toMatchObject({ platform: "telegram", kind: "dm", contact: { name: "Kim Fake" } });
    expect(conv.replyOptions).toMatchObject({ surfaces: ["reply"], moderation: [], maxLength: 4096, lengthUnit: "characters", window: null, blockedReason: null });
    const inbound = await waitFor(async () => {
      const m = await messagesOf(conv.id);
      return m.length === 2 && m;
    }, "both messages");
    expect(inbound.map((m) => [m.externalId, m.text, m.direction, m.visibility])).toEqual([
      ["7000000001:1201", "/start", "in", "private"],
      ["7000000001:1202", "My card was charged twice for order 4411", "in", "private"],
    ]);

    const expected = JSON.parse(fixture("telegram-sendmessage-request.json"));
    delete expected._comment;
    const res = await reply(conv.id, expected.text);
    expect(res.status).toBe(201);
    const sent = await waitStatus(conv.id, res.body.message.id, "sent");
    const call = sendsTo(KIM).at(-1)!;
    expect(call.token).toBe(TOKEN);
    expect(call.body).toEqual(expected);
    const response = JSON.parse(fixture("telegram-sendmessage-response.json"));
    expect(call.answer).toMatchObject({ ok: true, result: { message_id: response.result.message_id, text: expected.text, reply_to_message: { message_id: 1202 } } });
    expect(sent.externalId).toBe(`${KIM}:${response.result.message_id}`);
  });

  it("stores a photo with its caption, and the next reply answers it", async () => {
    expect((await fake.sendUpdate(TOKEN, fixture("telegram-update-photo-reply.json"))).status).toBe(200);
    const conv = await conversationOf(KIM);
    const photo = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.externalId === `${KIM}:1203`), "photo message");
    expect(photo).toMatchObject({ text: "receipt", direction: "in", attachments: [{ type: "image", url: null, id: expect.any(String) }] });
    const res = await reply(conv.id, "Thanks, got the receipt.");
    await waitStatus(conv.id, res.body.message.id, "sent");
    expect(sendsTo(KIM).at(-1)!.body).toEqual({ chat_id: KIM, text: "Thanks, got the receipt.", reply_parameters: { message_id: 1203 } });
  });

  it("an edited message updates the stored text", async () => {
    const conv = await conversationOf(KIM);
    const edit = {
      update_id: fake.nextUpdateId(),
      edited_message: {
        message_id: 1202,
        from: { id: KIM, is_bot: false, first_name: "Kim" },
        chat: { id: KIM, first_name: "Kim", last_name: "Fake", type: "private" },
        date: 1767226660,
        edit_date: 1767226900,
        text: "My card was charged twice for order 4412",
      },
    };
    expect((await fake.sendUpdate(TOKEN, edit)).status).toBe(200);
    const edited = await waitFor(async () => {
      const m = (await messagesOf(conv.id)).find((x) => x.externalId === `${KIM}:1202`);
      return m?.editedAt && m;
    }, "edited message");
    expect(edited.text).toBe("My card was charged twice for order 4412");
    expect((await messagesOf(conv.id)).filter((m) => m.direction === "in")).toHaveLength(3);
  });

  it("a redelivered update creates nothing new", async () => {
    const conv = await conversationOf(KIM);
    const before = await messagesOf(conv.id);
    const again = await post(channel.id, fixture("telegram-update-message.json"), { "x-telegram-bot-api-secret-token": SECRET });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate" });
    const stored = await p.ctx.db.select().from(inboundEvents).where(and(eq(inboundEvents.channelId, channel.id), eq(inboundEvents.externalEventId, "update:900000002")));
    expect(stored).toHaveLength(1);
    expect(await messagesOf(conv.id)).toHaveLength(before.length);
  });

  it("refuses a wrong or missing secret token (401, stored nothing, shown on the channel), a malformed body (400) and an unknown channel (404)", async () => {
    const body = JSON.stringify(textUpdate(7000000050, 1, "forged"));
    const wrong = await post(channel.id, body, { "x-telegram-bot-api-secret-token": "not-the-secret" });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toMatch(/does not match/);
    const missing = await post(channel.id, body, {});
    expect(missing.status).toBe(401);
    expect((await missing.json()).error).toMatch(/missing X-Telegram-Bot-Api-Secret-Token/);
    const { update_id } = JSON.parse(body);
    expect(await p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.externalEventId, `update:${update_id}`))).toHaveLength(0);
    const health = ((await admin.get("/api/channels")).body.items as any[]).find((c) => c.id === channel.id).health;
    expect(health.lastError).toMatch(/^Webhook rejected: .*X-Telegram-Bot-Api-Secret-Token/);

    const secret = { "x-telegram-bot-api-secret-token": SECRET };
    expect((await post(channel.id, "{not json", secret)).status).toBe(400);
    expect((await post(channel.id, JSON.stringify({ message: { text: "no update id" } }), secret)).status).toBe(400);
    expect((await post(channel.id, JSON.stringify({ update_id: "12" }), secret)).status).toBe(400);
    expect((await post("00000000-0000-4000-8000-000000000000", body, secret)).status).toBe(404);
    expect((await post("not-a-channel", body, secret)).status).toBe(404);
    // The forged chat never became a conversation.
    const convs = (await admin.get(`/api/conversations?channelId=${channel.id}`)).body.items as any[];
    expect(convs.map((c) => c.contact.name)).not.toContain("User7000000050");
  });

  it("a refused update is retried by Telegram and shows in getWebhookInfo; one chat's updates arrive in order", async () => {
    await setWebhook(TOKEN, channel.webhookUrl, "stale_secret_token");
    const lost = await fake.sendUpdate(TOKEN, textUpdate(7000000105, 1, "lost"));
    expect(lost).toMatchObject({ status: 401, attempts: 5 });
    const info = await (await fetch(`${fake.url}/bot${TOKEN}/getWebhookInfo`)).json();
    expect(info.result.last_error_message).toBe("Wrong response from the webhook: 401");
    await setWebhook(TOKEN, channel.webhookUrl, SECRET);

    const chat = 7000000106;
    const updates = ["one", "two", "three"].map((text, i) => textUpdate(chat, 20 + i, text));
    const results = await Promise.all(updates.map((u) => fake.sendUpdate(TOKEN, u)));
    expect(results.map((r) => [r.updateId, r.status])).toEqual(updates.map((u) => [u.update_id, 200]));
    const order = fake.deliveries.filter((d) => updates.some((u) => u.update_id === d.updateId)).map((d) => d.updateId);
    expect(order).toEqual(updates.map((u) => u.update_id));
    const conv = await conversationOf(chat);
    const texts = await waitFor(async () => {
      const m = (await messagesOf(conv.id)).map((x) => x.text);
      return m.length === 3 && m;
    }, "three messages");
    expect([...texts].sort()).toEqual(["one", "three", "two"]);
  });

  it("honours 429 retry_after exactly: the reply is sent again after the wait", async () => {
    const chat = 7000000101;
    const conv = await customerWrites(chat);
    fake.failNext({ kind: "429", retryAfter: 1 });
    const res = await reply(conv.id, "This one gets rate limited first");
    await waitFor(async () => (await messageById(conv.id, res.body.message.id))?.failureReason?.startsWith("Retrying: Telegram is rate limiting"), "retry noted");
    const sent = await waitStatus(conv.id, res.body.message.id, "sent", 10_000);
    const calls = sendsTo(chat);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(sent).toMatchObject({ failureReason: null, externalId: `${chat}:${calls[1]!.answer.result.message_id}` });
  });

  it("retries a 5xx, and fails a 400 at once with Telegram's description", async () => {
    const chat = 7000000102;
    const conv = await customerWrites(chat);
    fake.failNext({ kind: "status", status: 502, description: "Bad Gateway" });
    const first = await reply(conv.id, "Through a hiccup");
    await waitStatus(conv.id, first.body.message.id, "sent");
    expect(sendsTo(chat).map((c) => c.status)).toEqual([502, 200]);

    fake.failNext({ kind: "status", status: 400, description: "Bad Request: can't parse entities" });
    const second = await reply(conv.id, "Refused");
    const failed = await waitStatus(conv.id, second.body.message.id, "failed");
    expect(failed.failureReason).toBe("Telegram refused the message: Bad Request: can't parse entities.");
    expect(sendsTo(chat).map((c) => c.status)).toEqual([502, 200, 400]);
    // A plain refusal does not block the conversation.
    expect((await admin.get(`/api/conversations/${conv.id}`)).body.conversation.replyOptions.surfaces).toEqual(["reply"]);
  });

  it("when the customer's message is gone on Telegram, the reply is sent without quoting it", async () => {
    const chat = 7000000107;
    const conv = await customerWrites(chat);
    // A message Telegram no longer has (deleted by the customer): Parley stored it, the fake does not know it.
    const gone = await post(channel.id, JSON.stringify(textUpdate(chat, 99, "never mind")), { "x-telegram-bot-api-secret-token": SECRET });
    expect(gone.status).toBe(200);
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.externalId === `${chat}:99`), "stored message");
    const res = await reply(conv.id, "Still here to help");
    await waitStatus(conv.id, res.body.message.id, "sent");
    expect(sendsTo(chat).map((c) => [c.status, c.body.reply_parameters ?? null])).toEqual([
      [400, { message_id: 99 }],
      [200, null],
    ]);
  });

  it("the bot-blocked update blocks replies with the reason; restarting the bot allows them again", async () => {
    const conv = await conversationOf(KIM);
    const sendsBefore = fake.sends().length;
    expect((await fake.sendUpdate(TOKEN, fixture("telegram-update-bot-blocked.json"))).status).toBe(200);
    const blocked = await waitFor(async () => {
      const c = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
      return c.replyOptions.surfaces.length === 0 && c;
    }, "blocked conversation");
    expect(blocked.replyOptions.blockedReason).toBe(BLOCKED_REASON);
    expect((await messagesOf(conv.id)).at(-1)).toMatchObject({ author: "system", visibility: "note", text: BLOCKED_REASON });
    const refused = await reply(conv.id, "Are you still there?");
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe(BLOCKED_REASON);
    expect(fake.sends().length).toBe(sendsBefore);

    const restarted = JSON.parse(fixture("telegram-update-bot-blocked.json"));
    restarted.update_id = fake.nextUpdateId();
    restarted.my_chat_member.old_chat_member.status = "kicked";
    restarted.my_chat_member.new_chat_member = { ...restarted.my_chat_member.new_chat_member, status: "member" };
    delete restarted.my_chat_member.new_chat_member.until_date;
    expect((await fake.sendUpdate(TOKEN, restarted)).status).toBe(200);
    await waitFor(async () => (await admin.get(`/api/conversations/${conv.id}`)).body.conversation.replyOptions.surfaces.includes("reply"), "unblocked");
    const res = await reply(conv.id, "Welcome back");
    expect(res.status).toBe(201);
    await waitStatus(conv.id, res.body.message.id, "sent");
  });

  it("a 403 blocked from sendMessage fails the reply with the reason, once, and blocks further replies", async () => {
    const chat = 7000000103;
    const conv = await customerWrites(chat);
    fake.block(chat); // blocked on Telegram's side, before Parley heard of it
    const res = await reply(conv.id, "Anyone there?");
    const failed = await waitStatus(conv.id, res.body.message.id, "failed");
    expect(failed.failureReason).toMatch(/^The customer blocked the bot; Telegram will not deliver messages/);
    expect(sendsTo(chat)).toHaveLength(1);
    const after = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
    expect(after.replyOptions).toMatchObject({ surfaces: [], blockedReason: failed.failureReason });
    const refused = await reply(conv.id, "Second try");
    expect(refused.status).toBe(409);
    expect(sendsTo(chat)).toHaveLength(1);
  });

  it("a revoked bot token fails the reply and marks the channel as needing reconnection", async () => {
    const other = await createChannel("Revoked bot", OTHER_TOKEN, "other_secret_token-1");
    await setWebhook(OTHER_TOKEN, other.webhookUrl, "other_secret_token-1");
    const chat = 7000000104;
    expect((await fake.sendUpdate(OTHER_TOKEN, textUpdate(chat, 5, "Hello other bot"))).status).toBe(200);
    const conv = await conversationOf(chat, other.id);
    fake.revoke(OTHER_TOKEN);
    const res = await reply(conv.id, "This will not go");
    const failed = await waitStatus(conv.id, res.body.message.id, "failed");
    expect(failed.failureReason).toMatch(/Telegram does not accept the bot token \(Unauthorized\).*@BotFather/);
    const ch = ((await admin.get("/api/channels")).body.items as any[]).find((c) => c.id === other.id);
    expect(ch.status).toBe("needs_reconnect");
    const c = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
    expect(c.replyOptions.surfaces).toEqual([]);
    expect(c.replyOptions.blockedReason).toMatch(/needs reconnecting/);
    expect(JSON.stringify(ch)).not.toContain(OTHER_TOKEN);
  });

  it("a group chat is one conversation named after the group; channel posts and other updates are ignored", async () => {
    const group = -1001234567890;
    const update = {
      update_id: fake.nextUpdateId(),
      message: {
        message_id: 77,
        from: { id: 7000000201, is_bot: false, first_name: "Ana" },
        chat: { id: group, title: "Acme customers", type: "supergroup" },
        date: Math.floor(Date.now() / 1000),
        text: "Is the shop open today?",
      },
    };
    expect((await fake.sendUpdate(TOKEN, update)).status).toBe(200);
    const conv = await conversationOf(group);
    expect(conv.contact.name).toBe("Acme customers");
    const res = await reply(conv.id, "Yes, until 6 pm.");
    await waitStatus(conv.id, res.body.message.id, "sent");
    expect(sendsTo(group).at(-1)!.body).toEqual({ chat_id: group, text: "Yes, until 6 pm.", reply_parameters: { message_id: 77 } });

    const post = { update_id: fake.nextUpdateId(), channel_post: { message_id: 5, chat: { id: -1009999, title: "Acme news", type: "channel" }, date: 1767226600, text: "Sale!" } };
    const callback = { update_id: fake.nextUpdateId(), callback_query: { id: "42", from: { id: KIM, is_bot: false, first_name: "Kim" }, data: "x" } };
    for (const u of [post, callback]) expect((await fake.sendUpdate(TOKEN, u)).status).toBe(200);
    for (const u of [post, callback]) {
      const row = await waitFor(async () => {
        const [r] = await p.ctx.db.select().from(inboundEvents).where(and(eq(inboundEvents.channelId, channel.id), eq(inboundEvents.externalEventId, `update:${u.update_id}`)));
        return r?.status === "processed" && r;
      }, "processed delivery");
      expect(row.reason).toMatch(/^ignored: /);
    }
  });
});
