import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { conversations, inboundEvents } from "../server/db/schema.js";
import { fixtureJson } from "./fakes/meta-fake.js";
import { allMessages, PAGE_ID, startMetaEnv, waitForMessage, waitForStatus, type MetaEnv } from "./fakes/meta-test-setup.js";
import { waitFor } from "./helpers/parley.js";

const PSID = "6100000000000011";
const COMMENT = "122100000000000077_1200000000000555";
const REPLY_COMMENT = "122100000000000077_1200000000000556";
const HOUR = 3600_000;

/** The keys of a fixture request body, without its notes and canned response. */
const shapeOf = (name: string) => {
  const { _comment, response, path, query, ...body } = fixtureJson(name);
  return body;
};

describe("a Facebook Page", () => {
  let env: MetaEnv;
  beforeAll(async () => {
    env = await startMetaEnv();
  });
  afterAll(() => env?.stop());

  const dmConversation = async () => (await waitForMessage(env.admin, env.fb.id, "m_AbCdEfGhIjKlMnOpQrStUv0001")).conversation;
  const graphCalls = (path: string) => env.fake.requests.filter((r) => r.path === path);
  const reply = (convId: string, text: string, visibility?: string) =>
    env.admin.post(`/api/conversations/${convId}/messages`, { text, ...(visibility ? { visibility } : {}) });
  const newDm = async (psid: string, text: string) => {
    const now = Date.now();
    const mid = `m_${psid}_${now}`;
    await env.fake.sendWebhook({
      object: "page",
      entry: [{ id: PAGE_ID, time: now, messaging: [{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: now, message: { mid, text } }] }],
    });
    return (await waitForMessage(env.admin, env.fb.id, mid)).conversation;
  };
  const ageLastCustomerMessage = (convId: string, ms: number) =>
    env.p.ctx.db.update(conversations).set({ lastCustomerMessageAt: new Date(Date.now() - ms) }).where(eq(conversations.id, convId));

  it("shows Messenger messages, quick replies and attachments in one DM conversation", async () => {
    for (const f of ["messenger-message.json", "messenger-message-quick-reply.json", "messenger-message-attachment.json"]) {
      expect((await env.fake.sendFixture(f)).status).toBe(200);
    }
    const first = await waitForMessage(env.admin, env.fb.id, "m_AbCdEfGhIjKlMnOpQrStUv0001");
    expect(first).toMatchObject({ direction: "in", author: "customer", visibility: "private", text: "Hi, my order #4411 hasn't arrived. Ça va être livré quand ?" });
    expect(first.conversation).toMatchObject({ kind: "dm", platform: "facebook", contact: { name: PSID } });
    const quick = await waitForMessage(env.admin, env.fb.id, "m_AbCdEfGhIjKlMnOpQrStUv0003");
    expect(quick.text).toBe("Track my order");
    const photo = await waitForMessage(env.admin, env.fb.id, "m_AbCdEfGhIjKlMnOpQrStUv0002");
    // The photo is fetched from Meta's CDN after ingest (see test/attachments-platforms.test.ts); its link is never handed to the console.
    expect(photo.attachments).toMatchObject([{ type: "image", id: expect.any(String) }]);
    expect(["pending", "unavailable"]).toContain(photo.attachments[0].status);
    expect(new Set([quick.conversation.id, photo.conversation.id])).toEqual(new Set([first.conversation.id]));
  });

  it("names a Messenger customer from the User Profile API, and keeps the id when the profile is hidden", async () => {
    env.fake.setProfile("6100000000000077", { name: "Jamie Rivera" });
    const now = Date.now();
    const dm = (psid: string, mid: string) => ({
      object: "page",
      entry: [{ id: PAGE_ID, time: now, messaging: [{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: now, message: { mid, text: "hello?" } }] }],
    });
    expect((await env.fake.sendWebhook(dm("6100000000000077", "m_profile_1"))).status).toBe(200);
    expect((await env.fake.sendWebhook(dm("6100000000000078", "m_profile_2"))).status).toBe(200);
    expect((await waitForMessage(env.admin, env.fb.id, "m_profile_1")).conversation.contact.name).toBe("Jamie Rivera");
    expect((await waitForMessage(env.admin, env.fb.id, "m_profile_2")).conversation.contact.name).toBe("6100000000000078");
    expect(env.fake.requests.filter((r) => r.method === "GET" && r.path === "/6100000000000077").map((r) => r.query)).toEqual([{ fields: "name" }]);
  });

  it("sends a reply to the Send API, and its echo is matched instead of shown twice", async () => {
    const conv = await dmConversation();
    const res = await reply(conv.id, "Thanks! Your parcel ships tomorrow.");
    expect(res.status).toBe(201);
    const id = res.body.message.id;
    const sent = await waitForStatus(env.admin, conv.id, id, "sent");
    const call = env.fake.requests.find((r) => r.path === `/${PAGE_ID}/messages` && r.body?.message?.metadata === id)!;
    expect(call.method).toBe("POST");
    expect(call.headers.authorization).toBe("Bearer fb-page-token-0001");
    const expected = shapeOf("messenger-send-request.json");
    expect(call.body).toEqual({ ...expected, message: { ...expected.message, metadata: id } });
    expect(sent.externalId).toMatch(/^m_fake_/);
    // The fake's echo webhook comes back with our id as metadata.
    await env.fake.settled();
    await waitFor(async () => {
      const rows = await env.p.ctx.db.select().from(inboundEvents);
      return rows.some((e) => e.reason?.includes(`echo matched message ${id}`) || e.reason?.includes(`echo of ${sent.externalId} already stored`));
    }, "echo processed");
    expect((await allMessages(env.admin, env.fb.id)).filter((m) => m.text === "Thanks! Your parcel ships tomorrow.")).toHaveLength(1);
  });

  it("stores an echo of a reply typed in the Page inbox as an agent reply, then its delivery and read", async () => {
    await env.fake.sendFixture("messenger-echo.json");
    const echo = await waitForMessage(env.admin, env.fb.id, "m_AbCdEfGhIjKlMnOpQrStUv0004");
    expect(echo).toMatchObject({ direction: "out", author: "agent", text: "Thanks! Your parcel ships tomorrow.", status: "sent" });
    expect(echo.conversation.id).toBe((await dmConversation()).id);

    await env.fake.sendFixture("messenger-delivery.json");
    await waitForStatus(env.admin, echo.conversation.id, echo.id, "delivered");
    // The fixture's read watermark predates every message here: processed, nothing moves backwards.
    await env.fake.sendFixture("messenger-read.json");
    await waitFor(async () => (await env.p.ctx.db.select().from(inboundEvents)).every((e) => e.status !== "pending"), "read processed");
    expect((await allMessages(env.admin, env.fb.id)).find((m) => m.id === echo.id).status).toBe("delivered");
    // A read watermark of now covers everything sent to this customer.
    const now = Date.now();
    await env.fake.sendWebhook({ object: "page", entry: [{ id: PAGE_ID, time: now, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: now, read: { watermark: now } }] }] });
    await waitForStatus(env.admin, echo.conversation.id, echo.id, "read");
  });

  it("shows Page comments as comment threads with their post, and edits update the stored text", async () => {
    await env.fake.sendFixture("facebook-feed-comment-add.json");
    const root = await waitForMessage(env.admin, env.fb.id, COMMENT);
    expect(root).toMatchObject({ direction: "in", visibility: "public", text: "Is the blue one back in stock? 💙" });
    expect(root.conversation).toMatchObject({ kind: "comment", contact: { name: "Dana Example" } });
    const detail = await env.admin.get(`/api/conversations/${root.conversation.id}`);
    expect(detail.body.conversation.context).toEqual({
      postId: "108000000000001_122100000000000077",
      postUrl: "https://www.facebook.com/108000000000001/posts/pfbid0FakePermalink",
    });
    expect(detail.body.conversation.replyOptions).toMatchObject({ surfaces: ["reply", "private_reply"], moderation: ["hide", "unhide", "delete"] });

    await env.fake.sendFixture("facebook-feed-comment-reply-add.json");
    const second = await waitForMessage(env.admin, env.fb.id, REPLY_COMMENT);
    expect(second).toMatchObject({ text: "Same question here", conversation: { id: root.conversation.id } });

    await env.fake.sendFixture("facebook-feed-comment-edited.json");
    const edited = await waitFor(async () => {
      const m = (await allMessages(env.admin, env.fb.id)).find((x) => x.externalId === COMMENT);
      return m.editedAt && m;
    }, "edit applied");
    expect(edited.text).toBe("Is the blue one back in stock? Size M please");
  });

  it("replies publicly with the Comments edge; the Page's own comment coming back is not shown twice", async () => {
    const { conversation } = await waitForMessage(env.admin, env.fb.id, COMMENT);
    const text = fixtureJson("facebook-comment-reply-request.json").body.message;
    const res = await reply(conversation.id, text);
    expect(res.body.message).toMatchObject({ visibility: "public", surface: "reply" });
    const sent = await waitForStatus(env.admin, conversation.id, res.body.message.id, "sent");
    const [call] = graphCalls(`/${COMMENT}/comments`);
    expect(call).toMatchObject({ method: "POST", body: fixtureJson("facebook-comment-reply-request.json").body, query: {} });
    // Meta then sends the Page's comment through the feed webhook.
    const now = Math.floor(Date.now() / 1000);
    await env.fake.sendWebhook({
      object: "page",
      entry: [
        {
          id: PAGE_ID,
          time: now,
          changes: [
            {
              field: "feed",
              value: { from: { id: PAGE_ID, name: "Fake Shop" }, post_id: "108000000000001_122100000000000077", comment_id: sent.externalId, parent_id: COMMENT, message: text, created_time: now, item: "comment", verb: "add" },
            },
          ],
        },
      ],
    });
    await waitFor(async () => (await env.p.ctx.db.select().from(inboundEvents)).some((e) => e.reason?.includes(`echo of ${sent.externalId} already stored`)), "page comment echo");
    expect((await allMessages(env.admin, env.fb.id)).filter((m) => m.text === text)).toHaveLength(1);
  });

  it("sends one private reply to the commenter; a second one is refused with 409", async () => {
    const { conversation } = await waitForMessage(env.admin, env.fb.id, COMMENT);
    const fixture = fixtureJson("facebook-private-reply-request.json");
    const res = await reply(conversation.id, fixture.message.text, "private");
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({ visibility: "private", surface: "private_reply" });
    await waitForStatus(env.admin, conversation.id, res.body.message.id, "sent");
    const call = env.fake.requests.find((r) => r.path === `/${PAGE_ID}/messages` && r.body?.recipient?.comment_id)!;
    const expected = shapeOf("facebook-private-reply-request.json");
    expect(call.body).toEqual({ ...expected, message: { ...expected.message, metadata: res.body.message.id } });
    // Messenger echoes the private reply into the commenter's DM thread: matched, not a second message.
    await env.fake.sendWebhook({
      object: "page",
      entry: [{ id: PAGE_ID, time: Date.now(), messaging: [{ sender: { id: PAGE_ID }, recipient: { id: "6100000000000099" }, timestamp: Date.now(), message: { is_echo: true, app_id: 1, metadata: res.body.message.id, mid: "m_PrivateReplyEcho1", text: fixture.message.text } }] }],
    });
    await waitFor(async () => (await env.p.ctx.db.select().from(inboundEvents)).some((e) => e.reason?.includes(`echo matched message ${res.body.message.id}`)), "private reply echo");
    expect((await allMessages(env.admin, env.fb.id)).filter((m) => m.text === fixture.message.text)).toHaveLength(1);
    const again = await reply(conversation.id, "One more?", "private");
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/already/);
  });

  it("hides, unhides and deletes comments on Facebook through the moderation API", async () => {
    const root = await waitForMessage(env.admin, env.fb.id, COMMENT);
    const moderate = (messageId: string, action: string) => env.admin.post(`/api/conversations/${root.conversation.id}/messages/${messageId}/moderation`, { action });
    const hidden = await moderate(root.id, "hide");
    expect(hidden.status).toBe(200);
    expect(hidden.body.message.hidden).toBe(true);
    const hideFixture = fixtureJson("facebook-comment-hide-request.json");
    expect(graphCalls(hideFixture.path.replace(/^\/v25\.0/, "")).map((c) => [c.method, c.query])).toEqual([["POST", hideFixture.query]]);
    expect((await moderate(root.id, "unhide")).body.message.hidden).toBe(false);
    expect(env.fake.comments.get(COMMENT)).toEqual({ hidden: false, deleted: false });

    const other = await waitForMessage(env.admin, env.fb.id, REPLY_COMMENT);
    const deleted = await moderate(other.id, "delete");
    expect(deleted.status).toBe(200);
    expect(deleted.body.message.deletedAt).not.toBeNull();
    expect(graphCalls(`/${REPLY_COMMENT}`).map((c) => c.method)).toEqual(["DELETE"]);
  });

  it("marks a comment hidden on Facebook as hidden, and a removed one as deleted", async () => {
    const now = Math.floor(Date.now() / 1000);
    const hide = { from: { id: "27000000000000901", name: "Dana Example" }, post_id: "108000000000001_122100000000000077", comment_id: COMMENT, created_time: now, item: "comment", verb: "hide" };
    await env.fake.sendWebhook({ object: "page", entry: [{ id: PAGE_ID, time: now, changes: [{ field: "feed", value: hide }] }] });
    await waitFor(async () => (await allMessages(env.admin, env.fb.id)).find((x) => x.externalId === COMMENT)?.hidden, "hidden from Facebook");
    await env.fake.sendFixture("facebook-feed-comment-remove.json");
    const removed = await waitFor(async () => {
      const m = (await allMessages(env.admin, env.fb.id)).find((x) => x.externalId === COMMENT);
      return m.deletedAt && m;
    }, "comment removed");
    expect(removed.text).toBe("Is the blue one back in stock? Size M please");
  });

  it("replies with the HUMAN_AGENT tag between 24 hours and 7 days, and refuses after", async () => {
    const conv = await newDm("6100000000000701", "Any news on my refund?");
    await ageLastCustomerMessage(conv.id, 30 * HOUR);
    const options = (await env.admin.get(`/api/conversations/${conv.id}`)).body.conversation.replyOptions;
    expect(options).toMatchObject({ surfaces: ["reply"], window: { open: false } });
    const text = fixtureJson("messenger-send-request-human-agent.json").message.text;
    const res = await reply(conv.id, text);
    expect(res.status).toBe(201);
    await waitForStatus(env.admin, conv.id, res.body.message.id, "sent");
    const call = env.fake.requests.find((r) => r.body?.message?.metadata === res.body.message.id)!;
    const expected = shapeOf("messenger-send-request-human-agent.json");
    expect(call.body).toEqual({ ...expected, recipient: { id: "6100000000000701" }, message: { ...expected.message, metadata: res.body.message.id } });

    await ageLastCustomerMessage(conv.id, 8 * 24 * HOUR);
    const late = await reply(conv.id, "Still there?");
    expect(late.status).toBe(409);
    expect(late.body.error).toMatch(/window has closed/);
  });

  it("waits and retries when Facebook rate-limits (613), then sends", async () => {
    const conv = await newDm("6100000000000702", "Hello?");
    const usage = JSON.stringify({ [PAGE_ID]: [{ type: "messenger", call_count: 100, total_cputime: 10, total_time: 10, estimated_time_to_regain_access: 0 }] });
    env.fake.failNext(fixtureJson("meta-error-rate-limit.json"), { status: 400, headers: { "x-business-use-case-usage": usage } });
    const res = await reply(conv.id, "Sorry for the wait");
    const id = res.body.message.id;
    const retrying = await waitFor(async () => {
      const m = (await allMessages(env.admin, env.fb.id)).find((x) => x.id === id);
      return m?.failureReason && m;
    }, "retrying");
    expect(retrying.status).toBe("queued");
    expect(retrying.failureReason).toMatch(/^Retrying: Facebook is rate-limiting/);
    await waitForStatus(env.admin, conv.id, id, "sent");
    expect(env.fake.requests.filter((r) => r.path === `/${PAGE_ID}/messages` && r.body?.message?.text === "Sorry for the wait")).toHaveLength(2);
  });

  it("fails a reply outside the window with words for the agent", async () => {
    const conv = await newDm("6100000000000703", "Hi");
    env.fake.failNext(fixtureJson("messenger-error-outside-window.json"));
    const res = await reply(conv.id, "Late answer");
    const failed = await waitForStatus(env.admin, conv.id, res.body.message.id, "failed");
    expect(failed.failureReason).toMatch(/outside the 24-hour window/);
  });

  it("an expired token fails the reply and marks the channel as needing reconnection", async () => {
    const conv = await newDm("6100000000000704", "Hi again");
    env.fake.failNext(fixtureJson("meta-error-invalid-token.json"));
    const res = await reply(conv.id, "This will not go");
    const failed = await waitForStatus(env.admin, conv.id, res.body.message.id, "failed");
    expect(failed.failureReason).toMatch(/^Facebook no longer accepts Parley's access token/);
    const channel = ((await env.admin.get("/api/channels")).body.items ?? (await env.admin.get("/api/channels")).body).find((c: any) => c.id === env.fb.id);
    expect(channel).toMatchObject({ status: "needs_reconnect" });
    const blocked = await reply(conv.id, "again?");
    expect(blocked.status).toBe(409);
    expect(blocked.body.error).toMatch(/needs reconnecting/);
  });
});
