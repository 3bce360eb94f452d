import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGE_TEXT_BOUND, NOTE_TEXT_MAX } from "../shared/schemas/conversations.js";
import { availablePlatforms, connectorFor } from "../server/connectors/registry.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { startXFake, type XFake } from "./fakes/x-fake.js";

const BRAND = "1500000000000000001";
const SECRET = "x-consumer-secret-for-limits";

/** The composer counts against replyOptions.maxLength; the server must take exactly that much, no less and no more. */
describe("reply length limits come from the reply options", () => {
  let p: TestParley;
  let admin: ApiClient;
  let fake: XFake;
  let xChannel: string;

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    fake = await startXFake({ consumerSecret: SECRET, userId: BRAND, accessToken: "x-user-token-1", webhookUrl: `${p.url}/webhooks/x` });
    p.usePlatforms({ X_API_URL: fake.url });
    const res = await admin.post("/api/channels", { platform: "x", name: "Acme on X", config: { userId: BRAND, consumerSecret: SECRET, accessToken: "x-user-token-1" } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    xChannel = res.body.id;
  });
  afterAll(async () => {
    await p?.stop();
    await fake?.close();
  });

  const conversation = (name: string, kind: string, channel: string) =>
    waitFor(async () => ((await admin.get(`/api/conversations?channelId=${channel}&limit=100`)).body.items as any[]).find((c) => c.contact.name === name && c.kind === kind), `${kind} of ${name}`);
  const reply = (id: string, text: string, visibility = "public") => admin.post(`/api/conversations/${id}/messages`, { text, visibility });

  it("no platform's cap is above what the API accepts at all", () => {
    for (const platform of availablePlatforms()) {
      const caps = connectorFor(platform).capabilities;
      for (const cap of [caps.maxLength, ...Object.values(caps.maxLengthByKind ?? {})]) expect(cap, platform).toBeLessThanOrEqual(MESSAGE_TEXT_BOUND);
    }
  });

  it("an X DM takes the 10,000 characters its counter shows, and reaches X; one more is 400 text_too_long", async () => {
    expect((await fake.deliver(fake.dm({ id: "1500000000000000031", name: "Long Writer" }, "tell me everything"))).status).toBe(200);
    const dm = await conversation("Long Writer", "dm", xChannel);
    const detail = (await admin.get(`/api/conversations/${dm.id}`)).body.conversation;
    expect(detail.replyOptions).toMatchObject({ maxLength: 10_000, lengthUnit: "characters" });

    const long = "a".repeat(detail.replyOptions.maxLength);
    const sent = await reply(dm.id, long);
    expect(sent.status, JSON.stringify(sent.body).slice(0, 300)).toBe(201);
    await waitFor(async () => fake.requests.find((r) => r.path.includes("/dm_conversations/") && r.body?.text === long && r.status === 201), "the long DM at X");

    const over = await reply(dm.id, "b".repeat(detail.replyOptions.maxLength + 1));
    expect(over.status).toBe(400);
    expect(over.body.code).toBe("text_too_long");
    expect(over.body.error).toContain("10000");
  });

  it("a public reply on X is held to 280 characters as X counts them: CJK characters 2, any link 23; what passes here, X takes", async () => {
    expect((await fake.deliver(fake.post({ id: "1500000000000000032", name: "Poster" }, "@brand is the shop open?"))).status).toBe(200);
    const mention = await conversation("Poster", "mention", xChannel);
    const detail = (await admin.get(`/api/conversations/${mention.id}`)).body.conversation;
    expect(detail.replyOptions).toMatchObject({ maxLength: 280, lengthUnit: "weighted" });
    const over = await reply(mention.id, "c".repeat(281));
    expect(over.status).toBe(400);
    expect(over.body.code).toBe("text_too_long");
    expect((await reply(mention.id, "c".repeat(280))).status).toBe(201);
    // 141 Japanese characters weigh 282: refused here, not by X after the agent has moved on.
    const japanese = await reply(mention.id, "返".repeat(141));
    expect(japanese.status).toBe(400);
    expect(japanese.body.error).toContain("as X counts them");
    expect((await reply(mention.id, "返".repeat(140))).status).toBe(201);
    // A link counts 23 however long it is: 334 characters here, 34 as X counts them.
    const linked = `See https://shop.example.com/returns/${"p".repeat(290)} thanks`;
    expect((await reply(mention.id, linked)).status).toBe(201);
    // The fake refuses posts over X's limit as X does: each reply taken here is sent, none fails there.
    const statusOf = async (text: string) => ((await admin.get(`/api/conversations/${mention.id}/messages`)).body.items as any[]).find((m) => m.text === text)?.status;
    for (const text of ["c".repeat(280), "返".repeat(140), linked]) {
      await waitFor(async () => ["sent", "failed"].includes(await statusOf(text)), "the reply's outcome at X");
      expect(await statusOf(text)).toBe("sent");
    }
  });

  it("the API channel holds replies to its own cap, while a note keeps the note limit", async () => {
    const channel = await createApiChannel(admin);
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("limit-1", "hello"));
    const conv = await conversation("Customer limit-1", "dm", channel.id);
    const { maxLength } = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation.replyOptions;
    expect(maxLength).toBe(4000);
    expect((await reply(conv.id, "d".repeat(maxLength + 1))).body.code).toBe("text_too_long");
    expect((await reply(conv.id, "d".repeat(maxLength))).status).toBe(201);
    expect((await reply(conv.id, "e".repeat(NOTE_TEXT_MAX), "note")).status).toBe(201);
    const longNote = await reply(conv.id, "e".repeat(NOTE_TEXT_MAX + 1), "note");
    expect(longNote.status).toBe(400);
    expect(longNote.body.code).toBe("validation_failed");
  });
});
