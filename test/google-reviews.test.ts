import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { inboundEvents } from "../server/db/schema.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { startGoogleFake, type GoogleFake } from "./fakes/google-fake.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/platforms/${name}`, import.meta.url), "utf8");
const json = (name: string) => JSON.parse(fixture(name));

const TOKEN = "gbp-access-token-0123456789";
const ACCOUNT = "112233445566778899001";
const LOCATION = "9876543210123456789";
const LOCATION_NAME = `accounts/${ACCOUNT}/locations/${LOCATION}`;
const REVIEW_ID = "AbFvOqmFAKEREVIEWID0001";
const REVIEW_NAME = `${LOCATION_NAME}/reviews/${REVIEW_ID}`;
// A second channel, whose pushes must carry a Google-signed token.
const SECURE_LOCATION = "5550001";
const AUDIENCE = "https://parley.example.test/webhooks/google";
const PUSHER = "pubsub-push@fake-inbox-project.iam.gserviceaccount.com";

describe("Google Business Profile reviews", () => {
  let p: TestParley;
  let admin: ApiClient;
  let google: GoogleFake;
  let channelId: string;
  let secureId: string;

  /** The channel's secret webhook URL token, from the creation answer (absent: the URL without it). */
  const tokens = new Map<string, string>();
  const hook = (id: string) => `${p.url}/webhooks/google/${id}${tokens.has(id) ? `/${tokens.get(id)}` : ""}`;
  const conversations = async (id: string) => ((await admin.get(`/api/conversations?channelId=${id}`)).body.items as any[]) ?? [];
  const conversationOf = (id: string, key: string) =>
    waitFor(async () => (await conversations(id)).find((c) => c.kind === "review" && c.contact.name === key), `review conversation by ${key}`);
  const detail = async (convId: string) => (await admin.get(`/api/conversations/${convId}`)).body.conversation;
  const messages = async (convId: string) => (await admin.get(`/api/conversations/${convId}/messages`)).body.items as any[];
  const deliveries = (id: string) => p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.channelId, id));
  const delivery = (id: string, messageId: string) =>
    waitFor(async () => {
      const [d] = await p.ctx.db.select().from(inboundEvents).where(and(eq(inboundEvents.channelId, id), eq(inboundEvents.externalEventId, `pubsub:${messageId}`)));
      return d && d.status !== "pending" && d;
    }, `delivery ${messageId} processed`);
  const notification = (type: string, reviewName: string, location = LOCATION_NAME) => ({ notificationType: type, locationName: location, reviewName });

  beforeAll(async () => {
    google = await startGoogleFake({ accessToken: TOKEN });
    p = await startTestParley({ env: { GOOGLE_CERTS_URL: google.certsUrl, GOOGLE_BUSINESS_URL: google.url } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    const res = await admin.post("/api/channels", {
      platform: "google_reviews",
      name: "Downtown store",
      config: { accountId: ACCOUNT, locationId: LOCATION, accessToken: TOKEN },
    });
    expect(res.status).toBe(201);
    // Shown once, with the generated secret token in it; every push must come to this URL.
    expect(res.body.webhookUrl).toBe(`${p.ctx.config.publicUrl}/webhooks/google/${res.body.id}/${res.body.generated.webhookToken}`);
    channelId = res.body.id;
    tokens.set(channelId, res.body.generated.webhookToken);
    const secure = await admin.post("/api/channels", {
      platform: "google_reviews",
      name: "Airport store",
      config: { accountId: ACCOUNT, locationId: SECURE_LOCATION, accessToken: TOKEN, pushAudience: AUDIENCE, pushServiceAccount: PUSHER },
    });
    expect(secure.status).toBe(201);
    secureId = secure.body.id;
  });
  afterAll(async () => {
    await p?.stop();
    await google?.close();
  });

  it("a new review pushed by Pub/Sub (the fixture's exact bytes) becomes a review conversation with its stars", async () => {
    google.setReview(json("gbp-review.json"));
    const body = fixture("gbp-pubsub-push-new-review.json");
    // The fixture's data is the decoded fixture, base64-encoded.
    expect(JSON.parse(Buffer.from(JSON.parse(body).message.data, "base64").toString())).toEqual(
      Object.fromEntries(Object.entries(json("gbp-notification-decoded.json")).filter(([k]) => k !== "_comment")),
    );
    expect(await google.push(hook(channelId), body)).toEqual([200]);

    const conv = await conversationOf(channelId, "Morgan Fake");
    const full = await detail(conv.id);
    expect(full.context).toMatchObject({ rating: 2, reviewer: "Morgan Fake", locationName: LOCATION_NAME });
    expect(full.replyOptions).toMatchObject({ surfaces: ["reply"], moderation: [], maxLength: 4096, lengthUnit: "bytes", window: null, blockedReason: null });
    const [m] = await messages(conv.id);
    expect(m).toMatchObject({ direction: "in", author: "customer", visibility: "public", text: "Waited 40 minutes and the staff ignored us.", rating: 2, externalId: REVIEW_ID, editedAt: null });
    const get = google.calls.find((c) => c.method === "GET");
    expect(get).toMatchObject({ path: `/v4/${REVIEW_NAME}` });
    expect(get!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    // Pub/Sub redelivers at least once: the same messageId is acked and creates nothing.
    const gets = google.calls.length;
    const again = await fetch(hook(channelId), { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate" });
    expect(await messages(conv.id)).toHaveLength(1);
    expect(google.calls.length).toBe(gets);
  });

  it("an updated review changes the stored text and stars, shown as edited", async () => {
    const edited = { ...json("gbp-review.json"), starRating: "FOUR", comment: "Update: the manager called and sorted it out.", updateTime: "2026-01-01T01:00:00Z" };
    google.setReview(edited);
    const envelope = google.envelope(notification("UPDATED_REVIEW", REVIEW_NAME));
    expect(await google.push(hook(channelId), envelope)).toEqual([200]);
    const conv = await conversationOf(channelId, "Morgan Fake");
    const m = await waitFor(async () => (await messages(conv.id)).find((x) => x.editedAt), "edited message");
    expect(m).toMatchObject({ text: "Update: the manager called and sorted it out.", rating: 4, externalId: REVIEW_ID });
    expect((await detail(conv.id)).context.rating).toBe(4);
    expect(await messages(conv.id)).toHaveLength(1);
  });

  it("a reply the brand made in Google's own app shows up as a reply, without marking the review edited again", async () => {
    const conv = await conversationOf(channelId, "Morgan Fake");
    const before = (await messages(conv.id))[0];
    google.setReview(json("gbp-review-with-reply.json"));
    const envelope = google.envelope(notification("UPDATED_REVIEW", REVIEW_NAME));
    expect(await google.push(hook(channelId), envelope)).toEqual([200]);
    const reply = await waitFor(async () => (await messages(conv.id)).find((x) => x.direction === "out"), "native reply");
    expect(reply).toMatchObject({ author: "agent", visibility: "public", status: "sent", text: json("gbp-review-with-reply.json").reviewReply.comment });
    const review = (await messages(conv.id))[0];
    // The reply bumped the review's updateTime; the customer's text and stars stay as they were.
    expect(review).toMatchObject({ text: before.text, rating: before.rating, editedAt: before.editedAt });
  });

  it("an agent's reply is PUT to the review in Google's exact shape, and its echo is not shown twice", async () => {
    const expected = json("gbp-reply-request.json");
    // A fresh review of the fixture, so the reply is the first.
    google.setReview(json("gbp-review.json"));
    const conv = await conversationOf(channelId, "Morgan Fake");
    const text = "Thanks Morgan - we have spoken to the team and fixed our queueing.";
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({ visibility: "public", surface: "reply", status: "queued" });
    const put = await waitFor(async () => google.calls.find((c) => c.method === "PUT" && c.body?.comment === text), "PUT reply");
    expect(put.path).toBe(expected.path);
    expect(Object.keys(put.body)).toEqual(Object.keys(expected.body));
    expect(put.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(put.headers["content-type"]).toMatch(/^application\/json/);
    const sent = await waitFor(async () => (await messages(conv.id)).find((m) => m.id === res.body.message.id && m.status === "sent"), "sent");
    expect(sent.externalId).toMatch(new RegExp(`^reply:${REVIEW_ID}:`));

    // Google notifies the update its own reply caused: the fetched reply is Parley's, matched, not added.
    const count = (await messages(conv.id)).length;
    const envelope = google.envelope(notification("UPDATED_REVIEW", REVIEW_NAME));
    const messageId = JSON.parse(envelope).message.messageId;
    expect(await google.push(hook(channelId), envelope)).toEqual([200]);
    const d = await delivery(channelId, messageId);
    expect(d.status).toBe("processed");
    expect(await messages(conv.id)).toHaveLength(count);
  });

  it("the fixture's reply text goes out byte for byte as gbp-reply-request.json", async () => {
    const expected = json("gbp-reply-request.json");
    google.setReview(json("gbp-review.json"));
    const conv = await conversationOf(channelId, "Morgan Fake");
    await admin.post(`/api/conversations/${conv.id}/messages`, { text: expected.body.comment });
    const put = await waitFor(async () => google.calls.find((c) => c.method === "PUT" && c.body?.comment === expected.body.comment), "PUT reply");
    expect({ method: put.method, path: put.path, body: put.body }).toEqual({ method: expected.method, path: expected.path, body: expected.body });
    expect(put.raw).toBe(JSON.stringify(expected.body));
  });

  it("a reply is held to Google's 4,096 bytes, not characters: multi-byte text over them is 400, text within them reaches Google", async () => {
    google.setReview(json("gbp-review.json"));
    const conv = await conversationOf(channelId, "Morgan Fake");
    expect((await detail(conv.id)).replyOptions).toMatchObject({ maxLength: 4096, lengthUnit: "bytes" });
    // 1,366 Japanese characters are 4,098 bytes: far under 4,096 characters, over Google's limit.
    const over = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "返".repeat(1366) });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: "text_too_long" });
    expect(over.body.error).toContain("4098 bytes");
    expect(over.body.error).toContain("4096 bytes");
    // 1,365 of them and an "x" are exactly 4,096 bytes: taken and sent.
    const fits = `${"返".repeat(1365)}x`;
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: fits });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    const put = await waitFor(async () => google.calls.find((c) => c.method === "PUT" && c.body?.comment === fits), "PUT reply");
    expect(Buffer.byteLength(put.body.comment)).toBe(4096);
    await waitFor(async () => (await messages(conv.id)).find((m) => m.id === res.body.message.id && m.status === "sent"), "sent");
  });

  it("a rating-only review is stored with its stars and no text", async () => {
    const id = "AbFvOqmFAKEREVIEWID0002";
    const review = { ...json("gbp-review.json"), name: `${LOCATION_NAME}/reviews/${id}`, reviewId: id, starRating: "FIVE", reviewer: { displayName: "Sam Stars", isAnonymous: false } };
    delete review.comment;
    google.setReview(review);
    expect(await google.push(hook(channelId), google.envelope(notification("NEW_REVIEW", review.name)))).toEqual([200]);
    const conv = await conversationOf(channelId, "Sam Stars");
    expect((await detail(conv.id)).context.rating).toBe(5);
    expect((await messages(conv.id))[0]).toMatchObject({ text: "", rating: 5 });
  });

  it("a failing review fetch is retried until Google answers", async () => {
    const id = "AbFvOqmFAKEREVIEWID0003";
    const review = { ...json("gbp-review.json"), name: `${LOCATION_NAME}/reviews/${id}`, reviewId: id, reviewer: { displayName: "Riley Retry" } };
    google.setReview(review);
    google.failures.get.push({ status: 503, body: { error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } } }, { status: 500 });
    const before = google.calls.filter((c) => c.method === "GET").length;
    expect(await google.push(hook(channelId), google.envelope(notification("NEW_REVIEW", review.name)))).toEqual([200]);
    const conv = await conversationOf(channelId, "Riley Retry");
    expect((await messages(conv.id))[0]).toMatchObject({ rating: 2 });
    expect(google.calls.filter((c) => c.method === "GET").length - before).toBe(3);
  });

  it("other notification types and reviews of other locations are recorded as ignored", async () => {
    const before = (await conversations(channelId)).length;
    const q = google.envelope({ notificationType: "NEW_QUESTION", locationName: LOCATION_NAME, questionName: `${LOCATION_NAME}/questions/q1` });
    const other = google.envelope(notification("NEW_REVIEW", "accounts/1/locations/2/reviews/x", "accounts/1/locations/2"));
    expect(await google.push(hook(channelId), q)).toEqual([200]);
    expect(await google.push(hook(channelId), other)).toEqual([200]);
    expect((await delivery(channelId, JSON.parse(q).message.messageId)).reason).toMatch(/ignored: Google notification NEW_QUESTION/);
    expect((await delivery(channelId, JSON.parse(other).message.messageId)).reason).toMatch(/ignored: review of another location/);
    expect(await conversations(channelId)).toHaveLength(before);
  });

  it("refuses unknown channels (404) and malformed pushes (400), storing nothing", async () => {
    const before = (await deliveries(channelId)).length;
    expect(await google.push(hook(randomUUID()), fixture("gbp-pubsub-push-new-review.json"), { attempts: 1 })).toEqual([404]);
    expect(await google.push(hook(channelId), "not json", { attempts: 1 })).toEqual([400]);
    expect(await google.push(hook(channelId), JSON.stringify({ subscription: "x" }), { attempts: 1 })).toEqual([400]);
    const notB64 = JSON.stringify({ message: { data: "%%%not base64%%%", messageId: "m-1" } });
    expect(await google.push(hook(channelId), notB64, { attempts: 1 })).toEqual([400]);
    const notJson = JSON.stringify({ message: { data: Buffer.from("plain text").toString("base64"), messageId: "m-2" } });
    expect(await google.push(hook(channelId), notJson, { attempts: 1 })).toEqual([400]);
    expect(await deliveries(channelId)).toHaveLength(before);
  });

  describe("with push authentication", () => {
    const secureReview = () => {
      const id = "AbFvOqmFAKEREVIEWSEC001";
      return { ...json("gbp-review.json"), name: `accounts/${ACCOUNT}/locations/${SECURE_LOCATION}/reviews/${id}`, reviewId: id, reviewer: { displayName: "Jordan Secure" } };
    };
    const push = (token: string | undefined) =>
      google.push(hook(secureId), google.envelope(notification("NEW_REVIEW", secureReview().name, `accounts/${ACCOUNT}/locations/${SECURE_LOCATION}`)), { token, attempts: 2 });

    it("refuses a missing, mis-addressed, expired or forged token with 401, storing nothing", async () => {
      google.setReview(secureReview());
      const now = Math.floor(Date.now() / 1000);
      const refused = [
        undefined,
        google.token({ aud: "https://someone-else.example/push", email: PUSHER }),
        google.token({ aud: AUDIENCE, email: PUSHER, exp: now - 3600 }),
        google.token({ aud: AUDIENCE, email: PUSHER }, "rogue"),
        google.token({ aud: AUDIENCE, email: "intruder@evil.example" }),
        google.token({ aud: AUDIENCE, email: PUSHER, email_verified: false }),
        google.token({ aud: AUDIENCE, email: PUSHER, iss: "https://evil.example" }),
      ];
      for (const token of refused) expect(await push(token)).toEqual([401, 401]); // Pub/Sub redelivers a nack
      expect(await deliveries(secureId)).toHaveLength(0);
      expect(await conversations(secureId)).toHaveLength(0);
      const channel = (await admin.get("/api/channels")).body.items.find((c: any) => c.id === secureId);
      expect(channel.health.lastError).toMatch(/Pub\/Sub push token refused/);
    });

    it("accepts a valid Google-signed token for the channel's audience", async () => {
      google.setReview(secureReview());
      expect(await push(google.token({ aud: AUDIENCE, email: PUSHER }))).toEqual([200]);
      const conv = await conversationOf(secureId, "Jordan Secure");
      expect((await messages(conv.id))[0]).toMatchObject({ rating: 2 });
    });
  });

  describe("reply errors", () => {
    const open = async () => conversationOf(channelId, "Sam Stars");
    const reply = async (text: string) => {
      const conv = await open();
      const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text });
      expect(res.status).toBe(201);
      return { conv, id: res.body.message.id as string };
    };
    const settled = (convId: string, id: string) =>
      waitFor(async () => (await messages(convId)).find((m) => m.id === id && ["sent", "failed"].includes(m.status)), "settled", 15_000);

    it("a server error is retried, then the reply is sent", async () => {
      google.failures.put.push({ status: 503, body: { error: { code: 503, message: "Backend error", status: "UNAVAILABLE" } } });
      const { conv, id } = await reply("Thank you for the five stars!");
      expect((await settled(conv.id, id)).status).toBe("sent");
    });

    it("a quota error (gbp-error.json) waits for Retry-After, then the reply is sent", async () => {
      google.failures.put.push({ status: 429, body: json("gbp-error.json"), headers: { "retry-after": "1" } });
      const { conv, id } = await reply("Thanks again, Sam.");
      const waiting = await waitFor(async () => (await messages(conv.id)).find((m) => m.id === id && m.failureReason), "retrying");
      expect(waiting.failureReason).toMatch(/^Retrying: Google's request quota is used up/);
      expect((await settled(conv.id, id)).status).toBe("sent");
    });

    it("a permission or not-found refusal fails at once with a clear reason", async () => {
      google.failures.put.push({ status: 403, body: { error: { code: 403, message: "The caller does not have permission", status: "PERMISSION_DENIED" } } });
      const first = await reply("Permission test");
      const failed = await settled(first.conv.id, first.id);
      expect(failed.status).toBe("failed");
      expect(failed.failureReason).toMatch(/Google did not allow the reply.*not verified/);
      google.failures.put.push({ status: 404, body: { error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND" } } });
      const second = await reply("Not found test");
      expect((await settled(second.conv.id, second.id)).failureReason).toMatch(/could not find this review/);
    });

    it("a refused token marks the channel as needing reconnection, and replies are blocked", async () => {
      google.failures.put.push({ status: 401, body: { error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } } });
      const { conv, id } = await reply("Token test");
      const failed = await settled(conv.id, id);
      expect(failed.failureReason).toMatch(/Reconnect the Google channel/);
      const full = await waitFor(async () => {
        const c = await detail(conv.id);
        return c.channelStatus === "needs_reconnect" && c;
      }, "needs reconnect");
      expect(full.replyOptions.surfaces).toEqual([]);
      expect(full.replyOptions.blockedReason).toMatch(/needs reconnecting/);
      expect((await admin.post(`/api/conversations/${conv.id}/messages`, { text: "blocked?" })).status).toBe(409);
    });
  });
});
