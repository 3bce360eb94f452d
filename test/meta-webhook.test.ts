import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { inboundEvents } from "../server/db/schema.js";
import { fixtureBytes, fixtureJson, hubSignatures, wire } from "./fakes/meta-fake.js";
import { allMessages, APP_SECRET, FB_VERIFY, IG_VERIFY, PAGE_ID, startMetaEnv, waitForMessage, type MetaEnv } from "./fakes/meta-test-setup.js";
import { waitFor } from "./helpers/parley.js";

describe("the shared Meta webhook", () => {
  let env: MetaEnv;
  beforeAll(async () => {
    env = await startMetaEnv();
  });
  afterAll(() => env?.stop());

  const storedEvents = () => env.p.ctx.db.select().from(inboundEvents);

  it("answers the subscription handshake with the challenge only for a known verify token", async () => {
    const verify = fixtureJson("meta-verify-request.json");
    const ok = await env.fake.handshake(verify.query["hub.verify_token"], verify.query["hub.challenge"]);
    expect(ok.status).toBe(verify.expected_response.status);
    expect(ok.body).toBe(verify.expected_response.body);
    expect(ok.contentType).toMatch(/^text\/plain/);
    expect((await env.fake.handshake(IG_VERIFY)).status).toBe(200);
    expect((await env.fake.handshake("not-the-token-at-all")).status).toBe(403);
    expect((await env.fake.handshake(FB_VERIFY, "123", "unsubscribe")).status).toBe(403);
  });

  it("refuses a missing or forged signature with 401 and stores nothing", async () => {
    const before = (await storedEvents()).length;
    const bytes = fixtureBytes("messenger-message.json");
    const missing = await env.fake.sendWebhook(bytes, { unsigned: true });
    expect(missing.status).toBe(401);
    const forged = await env.fake.sendWebhook(bytes, { secret: "some-other-app-secret" });
    expect(forged.status).toBe(401);
    // Signed correctly, then one byte changed: the signature no longer covers the body.
    const signed = hubSignatures(APP_SECRET, bytes);
    const tampered = await env.fake.sendWebhook(bytes.replace("#4411", "#4412"), { unsigned: true, headers: signed });
    expect(tampered.status).toBe(401);
    // Only the legacy SHA-1 header is not enough.
    const sha1Only = await env.fake.sendWebhook(bytes, { unsigned: true, headers: { "x-hub-signature": signed["x-hub-signature"] } });
    expect(sha1Only.status).toBe(401);
    expect((await storedEvents()).length).toBe(before);
    expect(await allMessages(env.admin, env.fb.id)).toHaveLength(0);
  });

  it("answers 400 for a signed body that is not a Meta envelope", async () => {
    expect((await env.fake.sendWebhook("not json")).status).toBe(400);
    expect((await env.fake.sendWebhook("null")).status).toBe(400);
    expect((await env.fake.sendWebhook({ object: "user", entry: [] })).status).toBe(400);
  });

  it("routes a batch to each connected Page and records the unknown Page as ignored", async () => {
    const second = await env.admin.post("/api/channels", {
      platform: "facebook",
      name: "Second page",
      botEnabled: false,
      config: { pageId: "108000000000002", appSecret: APP_SECRET, verifyToken: "second-verify-token", accessToken: "tok-2" },
    });
    expect(second.status).toBe(201);
    const now = Date.now();
    const dm = (page: string, psid: string, mid: string, text: string) => ({
      id: page,
      time: now,
      messaging: [{ sender: { id: psid }, recipient: { id: page }, timestamp: now, message: { mid, text } }],
    });
    const body = {
      object: "page",
      entry: [
        dm(PAGE_ID, "6100000000000501", "m_batch_1", "Première page: où est ma commande ? https://shop.example/o/1"),
        dm("108000000000002", "6100000000000502", "m_batch_2", "Second page here"),
        dm("199999999999999", "6100000000000503", "m_batch_3", "Nobody connected this page"),
      ],
    };
    const bytes = wire(body);
    expect(bytes).toContain("\\u00e8"); // è on the wire, as Meta sends it
    expect(bytes).toContain("https:\\/\\/shop.example");
    const res = await env.fake.sendWebhook(bytes);
    expect(res).toMatchObject({ status: 200, body: { status: "accepted", accepted: 2, ignored: 1 } });

    const first = await waitForMessage(env.admin, env.fb.id, "m_batch_1");
    expect(first.text).toBe("Première page: où est ma commande ? https://shop.example/o/1");
    const other = await waitForMessage(env.admin, second.body.id, "m_batch_2");
    expect(other.text).toBe("Second page here");
    const ignored = (await env.p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.status, "ignored"))).find((e) => e.payload.includes("m_batch_3"));
    expect(ignored?.reason).toMatch(/no connected facebook channel for 199999999999999/);
    expect(ignored?.payload).not.toContain("m_batch_1");

    // Meta retrying the same bytes: acknowledged, nothing new stored.
    const countBefore = (await storedEvents()).filter((e) => e.channelId).length;
    const again = await env.fake.redeliver();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: "duplicate", duplicates: 2 });
    expect((await storedEvents()).filter((e) => e.channelId).length).toBe(countBefore);
    expect((await allMessages(env.admin, env.fb.id)).filter((m) => m.externalId === "m_batch_1")).toHaveLength(1);
  });

  it("the same message in a different delivery is still stored once", async () => {
    const now = Date.now();
    const entry = (time: number) => ({
      object: "page",
      entry: [{ id: PAGE_ID, time, messaging: [{ sender: { id: "6100000000000601" }, recipient: { id: PAGE_ID }, timestamp: now, message: { mid: "m_dup_1", text: "once" } }] }],
    });
    await env.fake.sendWebhook(entry(now));
    await waitForMessage(env.admin, env.fb.id, "m_dup_1");
    const res = await env.fake.sendWebhook(entry(now + 5)); // a new envelope time: new bytes, same mid
    expect(res.body.status).toBe("accepted");
    await waitFor(async () => {
      const rows = await storedEvents();
      return rows.filter((e) => e.payload.includes("m_dup_1")).every((e) => e.status === "processed") && rows;
    }, "both deliveries processed");
    expect((await allMessages(env.admin, env.fb.id)).filter((m) => m.externalId === "m_dup_1")).toHaveLength(1);
  });
});
