import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { inboundEvents } from "../server/db/schema.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { reviewFromEvent, startTrustpilotFake, type TrustpilotFake } from "./fakes/trustpilot-fake.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/platforms/${name}`, import.meta.url), "utf8");
const json = (name: string) => JSON.parse(fixture(name));

const TOKEN = "tp-business-user-token-0123456789";
const BUSINESS_UNIT = "5f1e0000aaaabbbbcccc0001";
const BUSINESS_USER = "65a0f00dfa4e0000000000b1";
const REVIEW_ID = "65a0f00dfa4e000000000001";

/** A webhook body for a review like the created fixture's, with changes. */
function eventBody(eventName: string, changes: Record<string, unknown> = {}) {
  const created = json("trustpilot-service-review-created.json");
  return { events: [{ ...created.events[0], eventName, eventData: { ...created.events[0].eventData, ...changes } }] };
}

describe("Trustpilot reviews", () => {
  let p: TestParley;
  let admin: ApiClient;
  let tp: TrustpilotFake;
  let channelId: string;
  let hookUrl: string;
  let webhookToken: string;

  const conversations = async () => ((await admin.get(`/api/conversations?channelId=${channelId}`)).body.items as any[]) ?? [];
  const conversationOf = (name: string) => waitFor(async () => (await conversations()).find((c) => c.kind === "review" && c.contact.name === name), `review by ${name}`);
  const detail = async (id: string) => (await admin.get(`/api/conversations/${id}`)).body.conversation;
  const messages = async (id: string) => (await admin.get(`/api/conversations/${id}/messages`)).body.items as any[];
  const deliveries = () => p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.channelId, channelId));
  const processed = (raw: string) =>
    waitFor(async () => {
      const id = `sha256:${createHash("sha256").update(raw).digest("hex")}`;
      const [d] = await p.ctx.db.select().from(inboundEvents).where(and(eq(inboundEvents.channelId, channelId), eq(inboundEvents.externalEventId, id)));
      return d && d.status !== "pending" && d;
    }, "delivery processed");

  beforeAll(async () => {
    tp = await startTrustpilotFake({ accessToken: TOKEN });
    p = await startTestParley({ env: { TRUSTPILOT_API_URL: tp.url } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    const res = await admin.post("/api/channels", {
      platform: "trustpilot",
      name: "Trustpilot",
      config: { businessUnitId: BUSINESS_UNIT, accessToken: TOKEN, businessUserId: BUSINESS_USER },
    });
    expect(res.status).toBe(201);
    channelId = res.body.id;
    webhookToken = res.body.generated.webhookToken;
    expect(webhookToken).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(res.body.webhookUrl).toBe(`${p.ctx.config.publicUrl}/webhooks/trustpilot/${channelId}/${webhookToken}`);
    hookUrl = `${p.url}/webhooks/trustpilot/${channelId}/${webhookToken}`;
  });
  afterAll(async () => {
    await p?.stop();
    await tp?.close();
  });

  it("a new review (the fixture's exact bytes) is re-fetched and becomes a review conversation with its stars", async () => {
    const body = fixture("trustpilot-service-review-created.json");
    tp.setReview(reviewFromEvent(JSON.parse(body).events[0].eventData, BUSINESS_UNIT));
    expect(await tp.sendWebhook(hookUrl, body)).toEqual({ status: 200, body: { status: "accepted" } });

    const conv = await conversationOf("Alex Fake");
    const full = await detail(conv.id);
    expect(full.context).toMatchObject({ rating: 2, title: "Slow delivery" });
    expect(full.replyOptions).toMatchObject({ surfaces: ["reply"], moderation: [], maxLength: 2048, blockedReason: null });
    const [m] = await messages(conv.id);
    expect(m).toMatchObject({
      direction: "in",
      visibility: "public",
      text: "Slow delivery\n\nOrder took three weeks and support never answered my email.",
      rating: 2,
      externalId: REVIEW_ID,
      editedAt: null,
    });
    const get = tp.calls.find((c) => c.method === "GET");
    expect(get).toMatchObject({ path: `/v1/reviews/${REVIEW_ID}` });
    expect(get!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    // The same delivery again is acknowledged and creates nothing.
    const gets = tp.calls.length;
    expect(await tp.sendWebhook(hookUrl, body)).toEqual({ status: 200, body: { status: "duplicate" } });
    expect(await messages(conv.id)).toHaveLength(1);
    expect(tp.calls.length).toBe(gets);
  });

  it("an updated review changes the stored text and stars, shown as edited", async () => {
    const changes = { stars: 4, title: "Sorted in the end", text: "Support called me back and refunded the shipping.", updatedAt: "2026-01-02T10:00:00.000Z" };
    tp.setReview(reviewFromEvent(eventBody("service-review-updated", changes).events[0]!.eventData, BUSINESS_UNIT));
    expect((await tp.sendWebhook(hookUrl, eventBody("service-review-updated", changes))).status).toBe(200);
    const conv = await conversationOf("Alex Fake");
    const m = await waitFor(async () => (await messages(conv.id)).find((x) => x.editedAt), "edited");
    expect(m).toMatchObject({ text: "Sorted in the end\n\nSupport called me back and refunded the shipping.", rating: 4 });
    // The stars follow the edit; the context's title does not (see the report: edits refresh only the rating).
    expect((await detail(conv.id)).context.rating).toBe(4);
    expect(await messages(conv.id)).toHaveLength(1);
  });

  it("an agent's reply is POSTed in the exact shape of trustpilot-reply-request.json", async () => {
    const expected = json("trustpilot-reply-request.json");
    const conv = await conversationOf("Alex Fake");
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: expected.body.message });
    expect(res.status).toBe(201);
    const call = await waitFor(async () => tp.calls.find((c) => c.method === "POST" && c.path.endsWith("/reply")), "reply POST");
    expect(call.path).toBe(expected.path);
    expect(call.body).toEqual(expected.body);
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call.headers["content-type"]).toMatch(/^application\/json/);
    await waitFor(async () => (await messages(conv.id)).find((m) => m.id === res.body.message.id && m.status === "sent"), "sent");

    // A later update re-fetches the review, now carrying Parley's reply: it is matched, not shown twice.
    const count = (await messages(conv.id)).length;
    const update = JSON.stringify(eventBody("service-review-updated", { stars: 4, title: "Sorted in the end", text: "Support called me back and refunded the shipping." }));
    expect((await tp.sendWebhook(hookUrl, update)).status).toBe(200);
    expect((await processed(update)).status).toBe("processed");
    expect(await messages(conv.id)).toHaveLength(count);
  });

  it("a reply longer than Trustpilot accepts is refused before sending", async () => {
    const conv = await conversationOf("Alex Fake");
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "x".repeat(2049) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("text_too_long");
    expect(res.body.error).toMatch(/at most 2048/);
  });

  it("a failing review fetch is retried until Trustpilot answers; an update for an unknown review creates it", async () => {
    const body = eventBody("service-review-updated", { id: "65a0f00dfa4e000000000002", consumer: { id: "c-2", name: "Riley Retry" }, stars: 5, title: "Great", text: "Fast." });
    tp.setReview(reviewFromEvent(body.events[0]!.eventData, BUSINESS_UNIT));
    tp.failures.get.push({ status: 503, body: { message: "Service unavailable" } }, { status: 500 });
    const before = tp.calls.filter((c) => c.method === "GET").length;
    expect((await tp.sendWebhook(hookUrl, body)).status).toBe(200);
    const conv = await conversationOf("Riley Retry");
    expect((await messages(conv.id))[0]).toMatchObject({ text: "Great\n\nFast.", rating: 5, editedAt: null });
    expect(tp.calls.filter((c) => c.method === "GET").length - before).toBe(3);
  });

  it("unknown event names are recorded as ignored", async () => {
    const before = (await conversations()).length;
    const raw = JSON.stringify({ events: [{ eventName: "product-review-created", version: "1", eventData: { id: "p-1" } }] });
    expect((await tp.sendWebhook(hookUrl, raw)).status).toBe(200);
    expect((await processed(raw)).reason).toMatch(/ignored: Trustpilot event product-review-created/);
    expect(await conversations()).toHaveLength(before);
  });

  it("refuses a wrong token (401), an unknown channel (404) and a body without events (400), storing nothing", async () => {
    const before = (await deliveries()).length;
    const body = fixture("trustpilot-service-review-created.json");
    const wrong = webhookToken.slice(0, -1) + (webhookToken.endsWith("a") ? "b" : "a");
    expect((await tp.sendWebhook(`${p.url}/webhooks/trustpilot/${channelId}/${wrong}`, body)).status).toBe(401);
    expect((await tp.sendWebhook(`${p.url}/webhooks/trustpilot/${channelId}/short`, body)).status).toBe(401);
    const channel = (await admin.get("/api/channels")).body.items.find((c: any) => c.id === channelId);
    expect(channel.health.lastError).toMatch(/webhookToken/);
    expect(JSON.stringify(channel)).not.toContain(webhookToken);
    expect((await tp.sendWebhook(`${p.url}/webhooks/trustpilot/${randomUUID()}/${webhookToken}`, body)).status).toBe(404);
    expect((await tp.sendWebhook(hookUrl, '{"event":{}}')).status).toBe(400);
    expect((await tp.sendWebhook(hookUrl, "not json")).status).toBe(400);
    expect(await deliveries()).toHaveLength(before);
  });

  describe("reply errors", () => {
    const reply = async (text: string) => {
      const conv = await conversationOf("Riley Retry");
      const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text });
      expect(res.status).toBe(201);
      return { conv, id: res.body.message.id as string };
    };
    const settled = (convId: string, id: string) =>
      waitFor(async () => (await messages(convId)).find((m) => m.id === id && ["sent", "failed"].includes(m.status)), "settled", 15_000);

    it("a server error is retried, then the reply is sent", async () => {
      tp.failures.reply.push({ status: 502, body: { message: "Bad gateway" } });
      const { conv, id } = await reply("Thanks Riley!");
      expect((await settled(conv.id, id)).status).toBe("sent");
    });

    it("a rate limit waits for Retry-After, then the reply is sent", async () => {
      tp.failures.reply.push({ status: 429, body: { message: "Too many requests" }, headers: { "retry-after": "1" } });
      const { conv, id } = await reply("Thanks again.");
      const waiting = await waitFor(async () => (await messages(conv.id)).find((m) => m.id === id && m.failureReason), "retrying");
      expect(waiting.failureReason).toMatch(/^Retrying: Trustpilot's rate limit/);
      expect((await settled(conv.id, id)).status).toBe("sent");
    });

    it("another refusal fails at once with Trustpilot's reason", async () => {
      tp.failures.reply.push({ status: 400, body: { message: "Review already has a reply pending moderation" } });
      const { conv, id } = await reply("Bad request test");
      const failed = await settled(conv.id, id);
      expect(failed.status).toBe("failed");
      expect(failed.failureReason).toMatch(/Trustpilot rejected the reply.*already has a reply pending moderation/);
    });

    it("a refused token marks the channel as needing reconnection", async () => {
      tp.failures.reply.push({ status: 401, body: { message: "Unauthorized" } });
      const { conv, id } = await reply("Token test");
      expect((await settled(conv.id, id)).failureReason).toMatch(/Reconnect the Trustpilot channel/);
      const full = await waitFor(async () => {
        const c = await detail(conv.id);
        return c.channelStatus === "needs_reconnect" && c;
      }, "needs reconnect");
      expect(full.replyOptions.surfaces).toEqual([]);
      // New credentials bring the channel back.
      expect((await admin.patch(`/api/channels/${channelId}`, { config: { accessToken: TOKEN } })).status).toBe(200);
      expect((await detail(conv.id)).channelStatus).toBe("active");
    });
  });

  it("a deleted review (the fixture's exact bytes) marks the message deleted", async () => {
    const conv = await conversationOf("Alex Fake");
    expect((await tp.sendWebhook(hookUrl, fixture("trustpilot-service-review-deleted.json"))).status).toBe(200);
    const m = await waitFor(async () => (await messages(conv.id)).find((x) => x.externalId === REVIEW_ID && x.deletedAt), "deleted");
    expect(m.direction).toBe("in");
  });
});
