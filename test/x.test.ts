import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { inboundEvents } from "../server/db/schema.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { startXFake, type XFake } from "./fakes/x-fake.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/platforms/${name}`, import.meta.url), "utf8");
const vectors = JSON.parse(fixture("signature-test-vectors.json"));
const BRAND = "1500000000000000001";
const RILEY = "1500000000000000002";
const SECRET: string = vectors.x_consumer_secret;

describe("an X channel (Account Activity)", () => {
  let p: TestParley;
  let admin: ApiClient;
  let fake: XFake;
  let channelId: string;

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    fake = await startXFake({ consumerSecret: SECRET, userId: BRAND, accessToken: "x-user-token-1", webhookUrl: `${p.url}/webhooks/x` });
    p.usePlatforms({ X_API_URL: fake.url });
    channelId = await createXChannel("Acme on X", { userId: BRAND, consumerSecret: SECRET, accessToken: "x-user-token-1" });
  });
  afterAll(async () => {
    await p?.stop();
    await fake?.close();
  });

  async function createXChannel(name: string, config: Record<string, unknown>) {
    const res = await admin.post("/api/channels", { platform: "x", name, config });
    if (res.status !== 201) throw new Error(`channel creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    expect(JSON.stringify(res.body)).not.toContain(config.accessToken as string);
    return res.body.id as string;
  }
  const conversation = (name: string, kind: string, channel = channelId) =>
    waitFor(async () => {
      const items = (await admin.get(`/api/conversations?channelId=${channel}&limit=100`)).body.items as any[];
      return items.find((c) => c.contact.name === name && c.kind === kind);
    }, `${kind} conversation with ${name}`);
  const messagesOf = async (convId: string) => (await admin.get(`/api/conversations/${convId}/messages`)).body.items as any[];
  const messageOf = async (convId: string, id: string) => (await messagesOf(convId)).find((m) => m.id === id);
  const settled = () =>
    waitFor(async () => (await p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.status, "pending"))).length === 0, "every delivery ingested");
  const storedCount = async () => (await p.ctx.db.select().from(inboundEvents)).length;
  /** Waits until every webhook the fake sent (echoes included) is answered and ingested. */
  const echoesIngested = async (count: number) => {
    await waitFor(async () => fake.webhooksSent.length >= count, `${count} webhooks sent by X`);
    await settled();
  };

  it("answers X's CRC with the consumer secret, as the test vector says", async () => {
    const crc = await fake.crc(vectors.x_crc.crc_token);
    expect(crc).toMatchObject({ status: 200, valid: true, body: { response_token: vectors.x_crc.response_token } });
    const spec = JSON.parse(fixture("x-crc-request.json"));
    expect(crc.body).toEqual(spec.expected_response.body);
    expect((await fetch(`${p.url}/webhooks/x`)).status).toBe(400);
  });

  it("turns the DM fixture, signed as the vector says, into a DM conversation", async () => {
    const raw = fixture("x-account-activity-dm.json");
    const signature = vectors.x["x-account-activity-dm.json"]["x-twitter-webhooks-signature"];
    expect(fake.sign(raw)).toBe(signature);
    expect(await fake.deliver(raw, signature)).toEqual({ status: 200, body: { status: "accepted" } });
    const conv = await conversation("Riley Fake", "dm");
    expect(conv).toMatchObject({ platform: "x", status: "open", lastMessage: { text: "My refund still hasn't shown up", direction: "in" } });
    const [m] = await messagesOf(conv.id);
    expect(m).toMatchObject({ direction: "in", author: "customer", visibility: "private", externalId: "1900000000000000101" });
    const detail = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
    expect(detail.replyOptions).toMatchObject({ surfaces: ["reply"], moderation: [], window: null, maxLength: 10000 });
  });

  it("turns the mention fixture into a public mention conversation about that post", async () => {
    const raw = fixture("x-account-activity-tweet-mention.json");
    expect(await fake.deliver(raw, vectors.x["x-account-activity-tweet-mention.json"]["x-twitter-webhooks-signature"])).toMatchObject({ status: 200 });
    const conv = await conversation("Riley Fake", "mention");
    const [m] = await messagesOf(conv.id);
    expect(m).toMatchObject({ direction: "in", visibility: "public", text: "@AcmeSupportFake my package is stuck in customs, help?", externalId: "1900000000000000201" });
    const detail = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
    expect(detail.context).toMatchObject({ postId: "1900000000000000201", author: "riley_fake", postUrl: "https://x.com/riley_fake/status/1900000000000000201" });
  });

  it("refuses a forged, missing or re-serialised signature with 401 and stores nothing", async () => {
    const before = await storedCount();
    const raw = fake.dm({ id: "1500000000000000077", name: "Mallory" }, "forged");
    expect((await fake.deliver(raw, "sha256=" + Buffer.from("nope").toString("base64"))).status).toBe(401);
    const missing = await fake.deliver(raw, null);
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatch(/missing/);
    // Signed over the compact bytes but sent pretty-printed: the same JSON, other bytes.
    const pretty = JSON.stringify(JSON.parse(raw), null, 2);
    expect((await fake.deliver(pretty, fake.sign(raw))).status).toBe(401);
    // Signed with another app's secret.
    const other = "sha256=" + (await import("node:crypto")).createHmac("sha256", "another-secret").update(raw).digest("base64");
    expect((await fake.deliver(raw, other)).status).toBe(401);
    expect(await storedCount()).toBe(before);
  });

  it("a redelivered event creates nothing new", async () => {
    await settled();
    const before = await storedCount();
    const conv = await conversation("Riley Fake", "dm");
    const again = await fake.deliver(fixture("x-account-activity-dm.json"), vectors.x["x-account-activity-dm.json"]["x-twitter-webhooks-signature"]);
    expect(again).toEqual({ status: 200, body: { status: "duplicate" } });
    expect(await storedCount()).toBe(before);
    expect(await messagesOf(conv.id)).toHaveLength(1);
  });

  it("an event for an account no channel connects is recorded as ignored", async () => {
    const raw = JSON.stringify({ ...JSON.parse(fake.dm({ id: "1500000000000000088", name: "Nobody Knows" }, "hello?")), for_user_id: "4242" });
    expect(await fake.deliver(raw)).toEqual({ status: 200, body: { status: "ignored" } });
    const [row] = await p.ctx.db.select().from(inboundEvents).where(and(eq(inboundEvents.payload, raw)));
    expect(row).toMatchObject({ status: "ignored", channelId: null, reason: "no connected X channel for user 4242" });
    const items = (await admin.get(`/api/conversations?limit=100`)).body.items as any[];
    expect(items.find((c) => c.contact.name === "Nobody Knows")).toBeUndefined();
  });

  it("a DM reply reaches X in its shape; X's echo is matched, and a DM sent from the X app shows as an agent reply", async () => {
    const conv = await conversation("Riley Fake", "dm");
    const spec = JSON.parse(fixture("x-dm-send-request.json"));
    const sentBefore = fake.webhooksSent.length;
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: spec.body.text });
    expect(res.status).toBe(201);
    const id = res.body.message.id;
    const req = await waitFor(async () => fake.requests.find((r) => r.path === spec.path && r.body?.text === spec.body.text), "DM at X");
    expect(req.body).toEqual(spec.body);
    expect(req.headers.authorization).toBe("Bearer x-user-token-1");
    const sent = await waitFor(async () => {
      const m = await messageOf(conv.id, id);
      return m.status === "sent" && m;
    }, "sent");
    expect(sent.externalId).toMatch(/^\d+$/);
    await echoesIngested(sentBefore + 1);
    const echo = JSON.parse(fake.webhooksSent.at(-1)!.body);
    expect(echo.direct_message_events[0]).toMatchObject({ id: sent.externalId, message_create: { sender_id: BRAND, target: { recipient_id: RILEY } } });
    expect((await messagesOf(conv.id)).map((m) => [m.direction, m.text])).toEqual([
      ["in", "My refund still hasn't shown up"],
      ["out", spec.body.text],
    ]);

    await fake.deliver(fake.brandDm(RILEY, "Hi Riley, Sam here from the phone app"));
    const native = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.text === "Hi Riley, Sam here from the phone app"), "native DM");
    expect(native).toMatchObject({ direction: "out", author: "agent", status: "sent", visibility: "private" });
    expect(await messagesOf(conv.id)).toHaveLength(3);
  });

  it("a mention reply is a post answering the customer's post, and its echo is not shown twice", async () => {
    const conv = await conversation("Riley Fake", "mention");
    const spec = JSON.parse(fixture("x-tweet-reply-request.json"));
    const sentBefore = fake.webhooksSent.length;
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: spec.body.text });
    expect(res.status).toBe(201);
    const req = await waitFor(async () => fake.requests.find((r) => r.path === "/2/tweets" && r.status === 201), "reply at X");
    expect(req.body).toEqual(spec.body);
    const sent = await waitFor(async () => {
      const m = await messageOf(conv.id, res.body.message.id);
      return m.status === "sent" && m;
    }, "sent");
    expect(sent).toMatchObject({ visibility: "public", externalId: expect.stringMatching(/^\d+$/) });
    await echoesIngested(sentBefore + 1);
    expect((await messagesOf(conv.id)).map((m) => m.direction)).toEqual(["in", "out"]);
  });

  it("a reply X refuses (self-serve, post does not mention the account) fails with X's reason", async () => {
    await fake.deliver(
      fake.post({ id: "1500000000000000003", name: "Sam Other" }, "your update broke my app", { inReplyTo: { id: "1900000000000000500", userId: BRAND }, mention: false }),
    );
    const conv = await conversation("Sam Other", "mention");
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "Sorry Sam, DM us?" });
    const failed = await waitFor(async () => {
      const m = await messageOf(conv.id, res.body.message.id);
      return m.status === "failed" && m;
    }, "failed");
    expect(failed.failureReason).toBe(
      "X refused the reply: You are not permitted to perform this action. (self-serve plans may only reply to posts that mention the account). Answer by DM instead.",
    );
    expect(fake.requests.filter((r) => r.body?.text === "Sorry Sam, DM us?")).toHaveLength(1); // not retried
  });

  it("a 429 waits until X's reset time, then sends (problem body and legacy code 88)", async () => {
    await fake.deliver(fake.dm({ id: "1500000000000000004", name: "Pat Busy" }, "anyone there?"));
    const conv = await conversation("Pat Busy", "dm");
    const limited = JSON.parse(fixture("x-error-429.json"));
    for (const body of [limited.body, { errors: [{ code: 88, message: "Rate limit exceeded" }] }]) {
      const reset = Math.ceil(Date.now() / 1000) + 1;
      fake.failNext({ status: 429, body, headers: { ...limited.headers, "x-rate-limit-reset": String(reset) } });
      const text = `still here ${body.errors ? "legacy" : "v2"}`;
      const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text });
      const waiting = await waitFor(async () => {
        const m = await messageOf(conv.id, res.body.message.id);
        return m.failureReason && m;
      }, "retry noted");
      expect(waiting).toMatchObject({ status: "queued", failureReason: expect.stringMatching(/^Retrying: X rate limit reached/) });
      await waitFor(async () => (await messageOf(conv.id, res.body.message.id)).status === "sent", "sent after the reset", 8000);
      const calls = fake.requests.filter((r) => r.body?.text === text);
      expect(calls.map((c) => c.status)).toEqual([429, 201]);
      expect(calls[1]!.at).toBeGreaterThanOrEqual(reset * 1000 - 1000);
    }
  });

  it("a 5xx from X is retried", async () => {
    const conv = await conversation("Pat Busy", "dm");
    fake.failNext({ status: 503, body: { title: "Service Unavailable", detail: "Service Unavailable", type: "about:blank", status: 503 } });
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "after the outage" });
    await waitFor(async () => (await messageOf(conv.id, res.body.message.id)).status === "sent", "sent after a retry");
    expect(fake.requests.filter((r) => r.body?.text === "after the outage").map((r) => r.status)).toEqual([503, 201]);
  });

  it("a DM echo that overtakes X's answer is still shown once", async () => {
    const conv = await conversation("Pat Busy", "dm");
    fake.setEchoFirst(true);
    try {
      const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "echo races the answer" });
      const sent = await waitFor(async () => {
        const m = await messageOf(conv.id, res.body.message.id);
        return m.status === "sent" && m.externalId && m;
      }, "sent");
      await settled();
      const echo = JSON.parse(fake.webhooksSent.at(-1)!.body);
      expect(echo.direct_message_events[0].id).toBe(sent.externalId);
      expect((await messagesOf(conv.id)).filter((m) => m.text === "echo races the answer")).toHaveLength(1);
    } finally {
      fake.setEchoFirst(false);
    }
  });

  it("reads a long post's full text, and a deleted post is marked deleted", async () => {
    const full = "@brand " + "my order #123 never arrived and support has not answered. ".repeat(4).trim();
    await fake.deliver(fake.post({ id: "1500000000000000005", name: "Lee Long" }, full.slice(0, 140) + "…", { id: "1900000000000000777", full }));
    const conv = await conversation("Lee Long", "mention");
    const [m] = await messagesOf(conv.id);
    expect(m.text).toBe(full);
    await fake.deliver(fake.deletePost("1900000000000000777", "1500000000000000005"));
    await waitFor(async () => (await messageOf(conv.id, m.id)).deletedAt, "deleted");
  });

  it("a customer continuing their own thread stays in the same conversation; reposts and other events are ignored", async () => {
    const lee = { id: "1500000000000000005", name: "Lee Long" };
    await fake.deliver(fake.post(lee, "@brand also the tracking link is dead", { inReplyTo: { id: "1900000000000000777", userId: lee.id } }));
    const conv = await conversation("Lee Long", "mention");
    await waitFor(async () => (await messagesOf(conv.id)).length === 2, "second post in the thread");
    const favorite = JSON.stringify({ for_user_id: BRAND, favorite_events: [{ id: "f1" }] });
    const repost = fake.post(lee, "RT @brand: our new app is out", { repost: true });
    await fake.deliver(favorite);
    await fake.deliver(repost);
    await settled();
    const reasonOf = async (payload: string) => (await p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.payload, payload)))[0]?.reason;
    expect(await reasonOf(favorite)).toBe("ignored: X favorite_events not used by Parley");
    expect(await reasonOf(repost)).toMatch(/^ignored: X repost \d+$/);
    expect(await messagesOf(conv.id)).toHaveLength(2);
  });

  it("a mention from a user who has blocked the account closes DMs to them", async () => {
    const kim = { id: "1500000000000000011", name: "Kim Blocked" };
    await fake.deliver(fake.dm(kim, "hello"));
    const dm = await conversation("Kim Blocked", "dm");
    await fake.deliver(fake.post(kim, "@brand worst service ever", { userHasBlocked: true }));
    await conversation("Kim Blocked", "mention");
    const options = await waitFor(async () => {
      const o = (await admin.get(`/api/conversations/${dm.id}`)).body.conversation.replyOptions;
      return o.surfaces.length === 0 && o;
    }, "DMs closed");
    expect(options.blockedReason).toBe("This X user has blocked the account: X will refuse direct messages to them.");
  });

  it("routes by account among several X channels, answers CRC per app, and a revoked token asks for a reconnect", async () => {
    const second = await createXChannel("Acme Billing on X", { userId: "1500000000000000009", consumerSecret: SECRET, accessToken: "revoked-token" });
    const third = await createXChannel("Other app", { userId: "1500000000000000010", consumerSecret: "other-app-secret", accessToken: "t3" });
    // Each app answers X's CRC at its own URL, shown on its channels; the shared URL no longer can.
    const list = (await admin.get("/api/channels")).body;
    const urlOf = (id: string) => (Array.isArray(list) ? list : list.items).find((c: any) => c.id === id).webhookUrl as string;
    expect(urlOf(second)).toBe(urlOf(channelId));
    expect(urlOf(third)).not.toBe(urlOf(channelId));
    const crc = await (await fetch(`${urlOf(third)}?crc_token=abc`)).json();
    expect(crc.response_token).toBe("sha256=" + (await import("node:crypto")).createHmac("sha256", "other-app-secret").update("abc").digest("base64"));
    const first = await (await fetch(`${urlOf(channelId)}?crc_token=abc`)).json();
    expect(first.response_token).toBe("sha256=" + (await import("node:crypto")).createHmac("sha256", SECRET).update("abc").digest("base64"));
    expect((await fetch(`${p.url}/webhooks/x?crc_token=abc`)).status).toBe(400);

    const raw = JSON.stringify({ ...JSON.parse(fake.dm({ id: "1500000000000000006", name: "Billing Customer" }, "invoice wrong")), for_user_id: "1500000000000000009" });
    await fake.deliver(raw);
    const conv = await conversation("Billing Customer", "dm", second);
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "Looking into it" });
    const failed = await waitFor(async () => {
      const m = await messageOf(conv.id, res.body.message.id);
      return m.status === "failed" && m;
    }, "failed");
    expect(failed.failureReason).toMatch(/X refused the channel's access token.*reconnect/);
    const channels = (await admin.get("/api/channels")).body;
    const row = (Array.isArray(channels) ? channels : channels.items).find((c: any) => c.id === second);
    expect(row.status).toBe("needs_reconnect");
    const detail = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
    expect(detail.replyOptions.surfaces).toEqual([]);
    expect(detail.replyOptions.blockedReason).toMatch(/needs reconnecting/);
  });
});
