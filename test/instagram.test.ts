import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { conversations, inboundEvents } from "../server/db/schema.js";
import { fixtureJson } from "./fakes/meta-fake.js";
import { allMessages, IG_ID, startMetaEnv, waitForMessage, waitForStatus, type MetaEnv } from "./fakes/meta-test-setup.js";
import { waitFor } from "./helpers/parley.js";

const DM_MID = fixtureJson("instagram-send-request.json").response.message_id as string; // the echo fixture's mid
const FIRST_MID =
  "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMDk0OTEyODEzOTQwMDAwMDAwMDAwMTpGYWtlMDAwMQZDZD";
const COMMENT = "18000000000000999";
const HOUR = 3600_000;

const shapeOf = (name: string) => {
  const { _comment, response, path, query, ...body } = fixtureJson(name);
  return body;
};

describe("an Instagram account", () => {
  let env: MetaEnv;
  beforeAll(async () => {
    env = await startMetaEnv();
  });
  afterAll(() => env?.stop());

  const reply = (convId: string, text: string, visibility?: string) =>
    env.admin.post(`/api/conversations/${convId}/messages`, { text, ...(visibility ? { visibility } : {}) });
  const newDm = async (igsid: string, text: string) => {
    const now = Date.now();
    const mid = `aWdf_${igsid}_${now}`;
    await env.fake.sendWebhook({
      object: "instagram",
      entry: [{ time: now, id: IG_ID, messaging: [{ sender: { id: igsid }, recipient: { id: IG_ID }, timestamp: now, message: { mid, text } }] }],
    });
    return (await waitForMessage(env.admin, env.ig.id, mid)).conversation;
  };

  it("shows a DM, a reply typed in the Instagram app, and when the customer saw it", async () => {
    await env.fake.sendFixture("instagram-dm-message.json");
    const first = await waitForMessage(env.admin, env.ig.id, FIRST_MID);
    expect(first).toMatchObject({ direction: "in", author: "customer", visibility: "private", text: "Do you ship to Canada?" });
    expect(first.conversation).toMatchObject({ kind: "dm", platform: "instagram" });

    await env.fake.sendFixture("instagram-dm-echo.json");
    const echo = await waitForMessage(env.admin, env.ig.id, DM_MID);
    expect(echo).toMatchObject({ direction: "out", author: "agent", status: "sent", text: "Yes! Shipping to Canada takes 5-7 days." });
    expect(echo.conversation.id).toBe(first.conversation.id);

    await env.fake.sendFixture("instagram-dm-seen.json");
    await waitForStatus(env.admin, first.conversation.id, echo.id, "read");
  });

  it("sends a DM reply to the Instagram Send API; its echo is matched, not shown twice", async () => {
    const { conversation } = await waitForMessage(env.admin, env.ig.id, FIRST_MID);
    const text = "Delivery to Canada is free over $50.";
    const res = await reply(conversation.id, text);
    expect(res.status).toBe(201);
    const sent = await waitForStatus(env.admin, conversation.id, res.body.message.id, "sent");
    const call = env.fake.requests.find((r) => r.path === `/${IG_ID}/messages` && r.body?.message?.text === text)!;
    expect(call.headers.authorization).toBe("Bearer ig-user-token-0001");
    const expected = shapeOf("instagram-send-request.json");
    expect(call.body).toEqual({ ...expected, message: { text } });
    await env.fake.settled();
    await waitFor(async () => (await env.p.ctx.db.select().from(inboundEvents)).every((e) => e.status !== "pending"), "echo processed");
    const copies = (await allMessages(env.admin, env.ig.id)).filter((m) => m.text === text);
    expect(copies).toHaveLength(1);
    expect(copies[0].externalId).toBe(sent.externalId);
  });

  it("shows comments and replies to them as one comment thread on the media", async () => {
    await env.fake.sendFixture("instagram-comment.json");
    const root = await waitForMessage(env.admin, env.ig.id, COMMENT);
    expect(root).toMatchObject({ direction: "in", visibility: "public", text: "Where is my order?? It's been 2 weeks" });
    expect(root.conversation).toMatchObject({ kind: "comment", contact: { name: "fake.customer_01" } });
    const detail = (await env.admin.get(`/api/conversations/${root.conversation.id}`)).body.conversation;
    expect(detail.context).toEqual({ mediaId: "18000000000000101", mediaType: "FEED" });
    expect(detail.replyOptions).toMatchObject({ surfaces: ["reply", "private_reply"], moderation: ["hide", "unhide"], maxLength: 1000 });

    await env.fake.sendFixture("instagram-comment-reply.json");
    const second = await waitForMessage(env.admin, env.ig.id, "18000000000001000");
    expect(second).toMatchObject({ text: "same here", conversation: { id: root.conversation.id } });
  });

  it("shows a commenter's and a DM sender's @username as their handle", async () => {
    const commenter = await waitForMessage(env.admin, env.ig.id, COMMENT);
    const handleOf = async (contactId: string) => (await env.admin.get(`/api/contacts/${contactId}`)).body.contact.identities[0].handle;
    expect(await handleOf(commenter.conversation.contact.id)).toBe("@fake.customer_01");
    env.fake.setProfile("1790000000000088", { name: "Jo Insta", username: "jo.insta" });
    const dm = await newDm("1790000000000088", "hello");
    expect(dm.contact.name).toBe("Jo Insta");
    expect(await handleOf(dm.contact.id)).toBe("@jo.insta");
  });

  it("accepts the comment_id spelling and live comments", async () => {
    const now = Math.floor(Date.now() / 1000);
    await env.fake.sendWebhook({
      object: "instagram",
      entry: [
        {
          id: IG_ID,
          time: now,
          changes: [
            { field: "live_comments", value: { from: { id: "1790000000000044", username: "live.viewer" }, media: { id: "18000000000000202", media_product_type: "LIVE" }, comment_id: "18000000000002000", text: "Is this live? ✨" } },
          ],
        },
      ],
    });
    const live = await waitForMessage(env.admin, env.ig.id, "18000000000002000");
    expect(live).toMatchObject({ text: "Is this live? ✨", conversation: { kind: "comment", contact: { name: "live.viewer" } } });
  });

  it("replies publicly through the replies edge, and privately once", async () => {
    const { conversation } = await waitForMessage(env.admin, env.ig.id, COMMENT);
    const publicFixture = fixtureJson("instagram-comment-reply-request.json");
    const res = await reply(conversation.id, publicFixture.query.message);
    const sent = await waitForStatus(env.admin, conversation.id, res.body.message.id, "sent");
    const call = env.fake.requests.find((r) => r.path === `/${COMMENT}/replies`)!;
    expect(call.method).toBe("POST");
    expect(call.query).toEqual(publicFixture.query);
    expect(sent.externalId).toMatch(/^\d+$/);

    const privateFixture = fixtureJson("instagram-private-reply-request.json");
    const priv = await reply(conversation.id, privateFixture.message.text, "private");
    expect(priv.status).toBe(201);
    await waitForStatus(env.admin, conversation.id, priv.body.message.id, "sent");
    const privCall = env.fake.requests.find((r) => r.path === `/${IG_ID}/messages` && r.body?.recipient?.comment_id)!;
    expect(privCall.body).toEqual(shapeOf("instagram-private-reply-request.json"));
    const again = await reply(conversation.id, "and again", "private");
    expect(again.status).toBe(409);
  });

  it("hides and unhides a comment on Instagram; deleting is not offered", async () => {
    const root = await waitForMessage(env.admin, env.ig.id, COMMENT);
    const moderate = (action: string) => env.admin.post(`/api/conversations/${root.conversation.id}/messages/${root.id}/moderation`, { action });
    expect((await moderate("hide")).body.message.hidden).toBe(true);
    expect((await moderate("unhide")).body.message.hidden).toBe(false);
    expect(env.fake.requests.filter((r) => r.path === `/${COMMENT}`).map((r) => [r.method, r.query])).toEqual([
      ["POST", { hide: "true" }],
      ["POST", { hide: "false" }],
    ]);
    expect((await moderate("delete")).status).toBe(409);
  });

  it("tags a late human reply HUMAN_AGENT, and fails with words when Instagram says the window is closed", async () => {
    const conv = await newDm("1790000000000055", "hello?");
    await env.p.ctx.db.update(conversations).set({ lastCustomerMessageAt: new Date(Date.now() - 48 * HOUR) }).where(eq(conversations.id, conv.id));
    const res = await reply(conv.id, "Sorry for the late answer");
    await waitForStatus(env.admin, conv.id, res.body.message.id, "sent");
    const call = env.fake.requests.find((r) => r.body?.message?.text === "Sorry for the late answer")!;
    expect(call.body).toEqual({ recipient: { id: "1790000000000055" }, messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT", message: { text: "Sorry for the late answer" } });

    env.fake.failNext(fixtureJson("instagram-error-outside-window.json"));
    const late = await reply(conv.id, "One more thing");
    const failed = await waitForStatus(env.admin, conv.id, late.body.message.id, "failed");
    expect(failed.failureReason).toMatch(/^Instagram refused: the message is outside the 24-hour window/);
  });

  it("refuses a reply longer than Instagram allows", async () => {
    const conv = await newDm("1790000000000066", "hi");
    const res = await reply(conv.id, "x".repeat(1001));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("text_too_long");
    expect(res.body.error).toMatch(/at most 1000/);
  });
});
