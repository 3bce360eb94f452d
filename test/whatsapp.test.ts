import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { conversations, inboundEvents, messages } from "../server/db/schema.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { startWhatsappFake, type WhatsappFake } from "./fakes/whatsapp-fake.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/platforms/${name}`, import.meta.url), "utf8");
const fixtureJson = (name: string) => {
  const { _comment, ...rest } = JSON.parse(fixture(name));
  return rest;
};
const vectors = JSON.parse(fixture("signature-test-vectors.json")).meta as Record<string, Record<string, string>>;

const APP_SECRET = "fake_meta_app_secret_123";
const PHONE_ID = "106000000000004";
const TOKEN = "fake-wa-access-token-0001";
const CUSTOMER = "15557654321";
const TEXT_WAMID = "wamid.HBgLMTU1NTc2NTQzMjEVAgASGBRGQUtFMDAwMDAwMDAwMDAwMDAwMQA=";
const IMAGE_WAMID = "wamid.HBgLMTU1NTc2NTQzMjEVAgASGBRGQUtFMDAwMDAwMDAwMDAwMDAwMgA=";
const OUT_1 = "wamid.HBgLMTU1NTc2NTQzMjEVAgARGBJGQUtFT1VUQk9VTkQwMDAwMQA="; // whatsapp-send-response.json, whatsapp-status-delivered.json
const OUT_2 = "wamid.HBgLMTU1NTc2NTQzMjEVAgARGBJGQUtFT1VUQk9VTkQwMDAwMgA="; // whatsapp-status-failed-131047.json
const templates = [{ name: "order_update_followup", language: "es", body: "Hola, hay novedades sobre su pedido {{1}}." }];

describe("WhatsApp Cloud API channel", () => {
  let p: TestParley;
  let admin: ApiClient;
  let fake: WhatsappFake;
  let channelId: string;

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    fake = await startWhatsappFake({ webhookUrl: `${p.url}/webhooks/meta`, appSecret: APP_SECRET, phoneNumberId: PHONE_ID, accessToken: TOKEN });
    p.usePlatforms({ META_GRAPH_URL: fake.url });
    const res = await admin.post("/api/channels", {
      platform: "whatsapp",
      name: "WhatsApp support",
      config: { phoneNumberId: PHONE_ID, appSecret: APP_SECRET, verifyToken: "wa-verify-token-1", accessToken: TOKEN, templates },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ accountId: PHONE_ID, secrets: ["appSecret", "accessToken"] });
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    channelId = res.body.id;
  });
  afterAll(async () => {
    await p?.stop();
    await fake?.close();
  });

  /** POSTs a fixture's exact bytes with the signatures of the test vectors, as Meta would. */
  const postFixture = async (name: string) => {
    const res = await fetch(`${p.url}/webhooks/meta`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": vectors[name]!["X-Hub-Signature-256"]!, "x-hub-signature": vectors[name]!["X-Hub-Signature"]! },
      body: fixture(name),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const conversationOf = (name: string) =>
    waitFor(async () => ((await admin.get(`/api/conversations?channelId=${channelId}&limit=100`)).body.items as any[]).find((c) => c.contact.name === name), `conversation of ${name}`);
  const messagesOf = async (convId: string) => (await admin.get(`/api/conversations/${convId}/messages`)).body.items as any[];
  const messageWhen = (convId: string, id: string, ok: (m: any) => boolean, what: string) =>
    waitFor(async () => {
      const m = (await messagesOf(convId)).find((x) => x.id === id);
      return m && ok(m) && m;
    }, what);
  const reply = (convId: string, body: unknown) => admin.post(`/api/conversations/${convId}/messages`, body);

  it("answers Meta's subscription handshake with the challenge for the channel's verify token only", async () => {
    const ok = await fake.handshake("wa-verify-token-1");
    expect(ok).toMatchObject({ status: 200, body: ok.challenge });
    expect((await fake.handshake("not-the-token")).status).toBe(403);
  });

  it("stores the text fixture as a DM with the contact's profile name, checking the signature on the exact bytes", async () => {
    // The same JSON re-serialised (here: "ó" unescaped) is other bytes: the fixture's signature must not match it.
    const reserialised = JSON.stringify(JSON.parse(fixture("whatsapp-message-text.json")));
    const forged = await fetch(`${p.url}/webhooks/meta`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": vectors["whatsapp-message-text.json"]!["X-Hub-Signature-256"]! },
      body: reserialised,
    });
    expect(forged.status).toBe(401);

    const res = await postFixture("whatsapp-message-text.json");
    expect(res).toMatchObject({ status: 200, body: { status: "accepted", accepted: 1 } });
    const conv = await conversationOf("Jordan Fake");
    expect(conv).toMatchObject({ platform: "whatsapp", kind: "dm", status: "open" });
    const [msg] = await waitFor(async () => {
      const items = await messagesOf(conv.id);
      return items.length > 0 && items;
    }, "message");
    expect(msg).toMatchObject({ direction: "in", author: "customer", visibility: "private", text: "Hola, mi pedido llegó dañado", externalId: TEXT_WAMID });
    const [row] = await p.ctx.db.select().from(conversations).where(eq(conversations.id, conv.id));
    expect(row!.threadKey).toBe(`contact:${CUSTOMER}`);
  });

  it("creates nothing new when Meta redelivers the same bytes", async () => {
    const again = await postFixture("whatsapp-message-text.json");
    expect(again).toMatchObject({ status: 200, body: { status: "duplicate", accepted: 0, duplicates: 1 } });
    const conv = await conversationOf("Jordan Fake");
    // A generated message, then the fake's own redelivery of the same bytes.
    const first = await fake.inboundText("15550000001", "Redelivery Test", "¿Hay alguien? / hello");
    expect(first.raw).toContain("\\u00bfHay alguien? \\/ hello");
    const convR = await conversationOf("Redelivery Test");
    expect((await fake.redeliverLast()).body.status).toBe("duplicate");
    await new Promise((r) => setTimeout(r, 150));
    expect((await messagesOf(convR.id)).map((m) => m.text)).toEqual(["¿Hay alguien? / hello"]);
    expect((await messagesOf(conv.id)).filter((m) => m.direction === "in")).toHaveLength(1);
  });

  it("sends a reply in the fixture's exact shape, and status webhooks move it sent → delivered → read, never back", async () => {
    const conv = await conversationOf("Jordan Fake");
    const ws = await admin.socket();
    try {
      fake.nextIds.push(OUT_1);
      const res = await reply(conv.id, { text: "Lo sentimos mucho. Enviamos un reemplazo hoy." });
      expect(res.status).toBe(201);
      const id = res.body.message.id;
      const call = await waitFor(async () => fake.sent().find((c) => c.wamid === OUT_1), "send at the fake");
      expect(call.body).toEqual(fixtureJson("whatsapp-send-text-request.json"));
      expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
      const live = (status: string) =>
        waitFor(async () => ws.events.find((e) => e.name === "message.updated" && e.payload.message.id === id && e.payload.message.status === status), `live ${status}`);
      expect((await live("sent")).payload.message.externalId).toBe(OUT_1);

      expect((await postFixture("whatsapp-status-delivered.json")).status).toBe(200);
      await live("delivered");
      await fake.status(OUT_1, "read");
      await live("read");
      // Statuses arrive in any order: a late "delivered" must not move it back.
      const late = await fake.status(OUT_1, "delivered");
      await waitFor(async () => {
        const [e] = await p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.payload, JSON.stringify(JSON.parse(late.raw))));
        return e?.status === "processed";
      }, "late status processed");
      expect((await messageWhen(conv.id, id, () => true, "message")).status).toBe("read");
    } finally {
      ws.close();
    }
  });

  it("stores the image reply fixture with its caption, attachment and quoted message in the same DM", async () => {
    expect((await postFixture("whatsapp-message-image-reply.json")).status).toBe(200);
    const conv = await conversationOf("Jordan Fake");
    const msg = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.externalId === IMAGE_WAMID), "image message");
    expect(msg).toMatchObject({ direction: "in", text: "foto del paquete", attachments: [{ type: "image", url: null, id: expect.any(String), mimeType: "image/jpeg" }] });
    const [row] = await p.ctx.db.select().from(messages).where(eq(messages.id, msg.id));
    expect(row!.parentExternalId).toBe(OUT_1);
    const list = (await admin.get(`/api/conversations?channelId=${channelId}&limit=100`)).body.items as any[];
    expect(list.filter((c) => c.contact.name === "Jordan Fake")).toHaveLength(1);
  });

  it("marks a sent message failed with words for the agent when a failed status (131047) arrives", async () => {
    const conv = await conversationOf("Jordan Fake");
    fake.nextIds.push(OUT_2);
    const res = await reply(conv.id, { text: "¿Sigue ahí?" });
    await messageWhen(conv.id, res.body.message.id, (m) => m.status === "sent", "sent");
    expect((await postFixture("whatsapp-status-failed-131047.json")).status).toBe(200);
    const failed = await messageWhen(conv.id, res.body.message.id, (m) => m.status === "failed", "failed");
    expect(failed.failureReason).toMatch(/24-hour window has closed: send an approved template/);
  });

  it("after 24 hours refuses free text (409), offers only the channel's templates, and sends a template in the fixture's shape", async () => {
    const conv = await conversationOf("Jordan Fake");
    await p.ctx.db
      .update(conversations)
      .set({ lastCustomerMessageAt: new Date(Date.now() - 25 * 3600_000) })
      .where(eq(conversations.id, conv.id));
    const refused = await reply(conv.id, { text: "Hola de nuevo" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/24-hour window has closed/);
    const options = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation.replyOptions;
    expect(options).toMatchObject({ surfaces: ["template"], templates, window: { hours: 24, open: false } });

    const before = fake.calls.length;
    const res = await reply(conv.id, { template: { name: "order_update_followup", params: ["4411"] } });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({ surface: "template", text: "Hola, hay novedades sobre su pedido 4411." });
    const call = await waitFor(async () => fake.calls.slice(before).find((c) => c.body?.type === "template"), "template at the fake");
    expect(call.body).toEqual(fixtureJson("whatsapp-send-template-request.json"));
    await messageWhen(conv.id, res.body.message.id, (m) => m.status === "sent" && m.externalId === call.wamid, "template sent");
  });

  it("shows the agent why a reply failed when WhatsApp answers 131047", async () => {
    await fake.inboundText("15550000002", "Window Closed", "hola");
    const conv = await conversationOf("Window Closed");
    fake.failNext(400, JSON.parse(fixture("whatsapp-error-reengagement.json")));
    const before = fake.calls.length;
    const res = await reply(conv.id, { text: "Le escribimos tarde" });
    const failed = await messageWhen(conv.id, res.body.message.id, (m) => m.status === "failed", "failed");
    expect(failed.failureReason).toBe("The 24-hour window has closed: send an approved template. WhatsApp only accepts templates until the customer writes again.");
    expect(fake.calls.length - before).toBe(1); // not retried
  });

  it("waits and retries after a rate limit (130429), then sends", async () => {
    await fake.inboundText("15550000003", "Rate Limited", "hola");
    const conv = await conversationOf("Rate Limited");
    fake.failNext(400, JSON.parse(fixture("whatsapp-error-rate-limit.json")));
    const before = fake.calls.length;
    const started = Date.now();
    const res = await reply(conv.id, { text: "Un momento por favor" });
    const retrying = await messageWhen(conv.id, res.body.message.id, (m) => m.status === "queued" && Boolean(m.failureReason), "retrying");
    expect(retrying.failureReason).toMatch(/^Retrying: WhatsApp rate limit/);
    const sent = await messageWhen(conv.id, res.body.message.id, (m) => m.status === "sent", "sent after the wait");
    expect(sent.failureReason).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // the throughput limit resets each second
    expect(fake.calls.slice(before).map((c) => c.status)).toEqual([400, 200]);
  });

  it("records a status for another phone number as ignored", async () => {
    const other = await fake.status("wamid.OTHERPHONE0001", "delivered", { phoneNumberId: "999000000000001" });
    expect(other.res).toMatchObject({ status: 200, body: { ignored: 1, accepted: 0 } });
    const [row] = await p.ctx.db
      .select()
      .from(inboundEvents)
      .where(and(eq(inboundEvents.status, "ignored"), sql`${inboundEvents.payload} like ${"%999000000000001%"}`));
    expect(row).toMatchObject({ platform: "whatsapp", channelId: null });
    expect(row!.reason).toMatch(/no connected whatsapp channel/);
  });

  it("ignores reactions and reads button replies as text", async () => {
    await fake.inboundText("15550000004", "Buttons", "hola");
    const conv = await conversationOf("Buttons");
    const reaction = await fake.inboundMessage("15550000004", "Buttons", { type: "reaction", reaction: { message_id: OUT_1, emoji: "👍" } });
    await waitFor(async () => {
      const [e] = await p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.payload, JSON.stringify(JSON.parse(reaction.raw))));
      return e?.status === "processed" && e.reason?.includes("reaction");
    }, "reaction ignored");
    await fake.inboundMessage("15550000004", "Buttons", { type: "interactive", interactive: { type: "button_reply", button_reply: { id: "yes", title: "Sí, gracias" } } });
    await waitFor(async () => (await messagesOf(conv.id)).length === 2, "button reply");
    expect((await messagesOf(conv.id)).map((m) => m.text)).toEqual(["hola", "Sí, gracias"]);
  });

  it("refuses a webhook signed with another secret", async () => {
    const body = JSON.stringify({ object: "whatsapp_business_account", entry: [] });
    const res = await fake.deliver(body, "some-other-secret");
    expect(res.status).toBe(401);
  });

  it("marks the channel needs_reconnect when the token is refused, and new credentials bring it back", async () => {
    await fake.inboundText("15550000005", "Token Expired", "hola");
    const conv = await conversationOf("Token Expired");
    fake.failNext(401, JSON.parse(fixture("meta-error-invalid-token.json")));
    const res = await reply(conv.id, { text: "¿Me lee?" });
    const failed = await messageWhen(conv.id, res.body.message.id, (m) => m.status === "failed", "failed");
    expect(failed.failureReason).toMatch(/access token .*expired or revoked/);
    const channel = ((await admin.get("/api/channels")).body.items as any[]).find((c) => c.id === channelId);
    expect(channel).toMatchObject({ status: "needs_reconnect" });
    const options = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation.replyOptions;
    expect(options.surfaces).toEqual([]);
    expect(options.blockedReason).toMatch(/needs reconnecting/);

    expect((await admin.patch(`/api/channels/${channelId}`, { config: { accessToken: TOKEN } })).body.status).toBe("active");
    const again = await reply(conv.id, { text: "¿Me lee ahora?" });
    await messageWhen(conv.id, again.body.message.id, (m) => m.status === "sent", "sent after reconnecting");
  });
});
