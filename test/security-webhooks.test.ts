import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { inboundEvents } from "../server/db/schema.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, type TestParley } from "./helpers/parley.js";

const X_SECRET = "x-consumer-secret-for-security-test";
const xSign = (body: string) => "sha256=" + createHmac("sha256", X_SECRET).update(body).digest("base64");

describe("webhook authentication holes stay closed", () => {
  let p: TestParley;
  let admin: ApiClient;
  let xChannel: any;

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    const x = await admin.post("/api/channels", { platform: "x", name: "X", config: { userId: "1500000000000000777", consumerSecret: X_SECRET, accessToken: "tok" } });
    expect(x.status).toBe(201);
    xChannel = x.body;
  });
  afterAll(async () => p?.stop());

  it("X's CRC is no signing oracle: a body as crc_token is refused, so no delivery can be forged with the answer", async () => {
    const forged = JSON.stringify({ for_user_id: "1500000000000000777", direct_message_events: [] });
    for (const url of [`${p.url}/webhooks/x`, xChannel.webhookUrl]) {
      const res = await fetch(`${url}?crc_token=${encodeURIComponent(forged)}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).not.toContain("sha256=");
    }
    // Oversized, or with characters X never uses:
    expect((await fetch(`${p.url}/webhooks/x?crc_token=${"a".repeat(257)}`)).status).toBe(400);
    expect((await fetch(`${p.url}/webhooks/x?crc_token=${encodeURIComponent("a b")}`)).status).toBe(400);
    // A real-looking token is answered (X's CRC works), at the shared and the app's URL alike.
    const token = "dGhpcyBpcyBhIHRva2Vu_-.~+/=";
    for (const url of [`${p.url}/webhooks/x`, xChannel.webhookUrl]) {
      const ok = await (await fetch(`${url}?crc_token=${encodeURIComponent(token)}`)).json();
      expect(ok.response_token).toBe(xSign(token));
    }
    // And the forged body, unsigned by anyone who knows the secret, is refused.
    const post = await fetch(`${p.url}/webhooks/x`, { method: "POST", headers: { "x-twitter-webhooks-signature": xSign("something else") }, body: forged });
    expect(post.status).toBe(401);
  });

  it("the channel is never picked by a query parameter", async () => {
    const other = await admin.post("/api/channels", { platform: "x", name: "Other app", config: { userId: "1500000000000000778", consumerSecret: "another-apps-secret", accessToken: "t" } });
    expect(other.body.webhookUrl).not.toBe(xChannel.webhookUrl);
    // With two apps the shared URL cannot know which secret X expects: it refuses, whatever the query says.
    const res = await fetch(`${p.url}/webhooks/x?crc_token=abc&channel=${other.body.id}`);
    expect(res.status).toBe(400);
    // Each app's own URL answers with that app's secret only.
    const mine = await (await fetch(`${other.body.webhookUrl}?crc_token=abc`)).json();
    expect(mine.response_token).toBe("sha256=" + createHmac("sha256", "another-apps-secret").update("abc").digest("base64"));
    expect((await fetch(`${p.url}/webhooks/x/app/not-an-app?crc_token=abc`)).status).toBe(404);
  });

  it("a Google channel without pushAudience accepts pushes only at its secret URL", async () => {
    const created = await admin.post("/api/channels", { platform: "google_reviews", name: "Store", config: { accountId: "111", locationId: "222", accessToken: "gtok" } });
    expect(created.status).toBe(201);
    const { id } = created.body;
    const token = created.body.generated.webhookToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const notification = { notificationType: "NEW_REVIEW", locationName: "accounts/111/locations/222", reviewName: "accounts/111/locations/222/reviews/r1" };
    const push = (path: string, messageId: string) =>
      fetch(`${p.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: { data: Buffer.from(JSON.stringify(notification)).toString("base64"), messageId }, subscription: "s" }),
      });
    expect((await push(`/webhooks/google/${id}`, "m1")).status).toBe(401);
    // The admin sees why on the channel (Pub/Sub keeps redelivering meanwhile, so nothing is lost).
    const channel = ((await admin.get("/api/channels")).body.items as any[]).find((c) => c.id === id);
    expect(channel.health.lastError).toMatch(/unauthenticated push refused/);
    expect((await push(`/webhooks/google/${id}/${"x".repeat(token.length)}`, "m2")).status).toBe(401);
    const stored = await p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.channelId, id));
    expect(stored).toHaveLength(0);

    expect((await push(`/webhooks/google/${id}/${token}`, "m3")).status).toBe(200);
    const [accepted] = await p.ctx.db.select().from(inboundEvents).where(and(eq(inboundEvents.channelId, id), eq(inboundEvents.externalEventId, "pubsub:m3")));
    expect(accepted).toBeDefined();
  });
});
