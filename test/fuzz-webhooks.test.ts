import { createHmac } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundEvents } from "../server/db/schema.js";
import { ApiClient } from "./helpers/client.js";
import { damageBytes, mutateJson, prng, type Rng } from "./helpers/fuzz.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20260901);
const BODIES = Number(process.env.FUZZ_BODIES ?? 10_000);
const CONCURRENCY = 12;

const dir = new URL("./fixtures/platforms/", import.meta.url);
const fixtures = (prefix: RegExp) =>
  readdirSync(dir)
    .filter((f) => prefix.test(f))
    .map((f) => {
      const { _comment, ...json } = JSON.parse(readFileSync(new URL(f, dir), "utf8"));
      void _comment;
      return json;
    });

const META_SECRET = "fuzz-meta-app-secret";
const X_SECRET = "fuzz-x-consumer-secret";
const TG_SECRET = "fuzz-telegram-secret-token";
const hex = (secret: string, b: Buffer) => "sha256=" + createHmac("sha256", secret).update(b).digest("hex");
const b64 = (secret: string, b: Buffer) => "sha256=" + createHmac("sha256", secret).update(b).digest("base64");

type Target = { name: string; path: string; seeds: unknown[]; sign: (b: Buffer) => Record<string, string>; wrap?: (v: unknown, rng: Rng) => unknown };

describe("fuzzing every webhook endpoint", () => {
  let p: TestParley;
  let targets: Target[];

  beforeAll(async () => {
    // Platform calls made while ingesting (review fetches) go to a closed port: they fail fast and are retried, then given up.
    const dead = "http://127.0.0.1:9";
    p = await startTestParley({
      env: { INGEST_MAX_ATTEMPTS: "2", META_GRAPH_URL: dead, X_API_URL: dead, TELEGRAM_API_URL: dead, GOOGLE_BUSINESS_URL: dead, TRUSTPILOT_API_URL: dead },
    });
    const admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    const create = async (platform: string, config: Record<string, unknown>) => {
      const res = await admin.post("/api/channels", { platform, name: `fuzz ${platform}`, config });
      if (res.status !== 201) throw new Error(`${platform}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const api = await create("api", {});
    await create("facebook", { pageId: "108000000000001", appSecret: META_SECRET, verifyToken: "fuzz-verify-fb", accessToken: "t" });
    await create("instagram", { igUserId: "17841400000000001", appSecret: META_SECRET, verifyToken: "fuzz-verify-ig", accessToken: "t" });
    await create("whatsapp", { phoneNumberId: "106000000000004", appSecret: META_SECRET, verifyToken: "fuzz-verify-wa", accessToken: "t" });
    const x = await create("x", { userId: "1500000000000000001", consumerSecret: X_SECRET, accessToken: "t" });
    const tg = await create("telegram", { botToken: "8000000001:AAfuzzfuzzfuzzfuzz", secretToken: TG_SECRET });
    const google = await create("google_reviews", { accountId: "112233445566778899001", locationId: "9876543210123456789", accessToken: "t" });
    const tp = await create("trustpilot", { businessUnitId: "5f1e0000aaaabbbbcccc0001", accessToken: "t", businessUserId: "u" });
    const apiSecret = api.config.secret as string;
    const notification = fixtures(/^gbp-notification-decoded/)[0];
    targets = [
      {
        name: "api",
        path: `/webhooks/api/${api.id}`,
        seeds: [
          { eventId: "e", contact: { externalId: "c1", name: "Fuzz" }, message: { externalId: "m", text: "hello" } },
          { eventId: "r", receipt: { messageId: "00000000-0000-4000-8000-000000000000", status: "delivered" } },
        ],
        sign: (b) => ({ "x-parley-signature": hex(apiSecret, b) }),
        // Fresh ids, or nearly everything would be a duplicate of the first.
        wrap: (v, rng) => (v && typeof v === "object" && !Array.isArray(v) && "eventId" in v ? { ...v, eventId: `e-${rng.int(1e9)}` } : v),
      },
      { name: "meta", path: "/webhooks/meta", seeds: fixtures(/^(messenger|facebook-feed|instagram-(dm|comment)|whatsapp-(message|status))/), sign: (b) => ({ "x-hub-signature-256": hex(META_SECRET, b) }) },
      { name: "x", path: "/webhooks/x", seeds: fixtures(/^x-account-activity/), sign: (b) => ({ "x-twitter-webhooks-signature": b64(X_SECRET, b) }) },
      { name: "x app", path: new URL(x.webhookUrl).pathname, seeds: fixtures(/^x-account-activity/), sign: (b) => ({ "x-twitter-webhooks-signature": b64(X_SECRET, b) }) },
      {
        name: "telegram",
        path: `/webhooks/telegram/${tg.id}`,
        seeds: fixtures(/^telegram-update/),
        sign: () => ({ "x-telegram-bot-api-secret-token": TG_SECRET }),
        wrap: (v, rng) => (v && typeof v === "object" && !Array.isArray(v) && "update_id" in v ? { ...v, update_id: rng.int(2 ** 31) } : v),
      },
      {
        name: "google",
        path: `/webhooks/google/${google.id}/${google.generated.webhookToken}`,
        seeds: [notification],
        sign: () => ({}),
        // The notification travels base64-encoded inside a Pub/Sub envelope: mutate both layers.
        wrap: (v, rng) =>
          rng.chance(0.8)
            ? { message: { data: Buffer.from(JSON.stringify(v) ?? "").toString("base64"), messageId: String(rng.int(1e12)), attributes: {} }, subscription: "s" }
            : v,
      },
      { name: "trustpilot", path: `/webhooks/trustpilot/${tp.id}/${tp.generated.webhookToken}`, seeds: fixtures(/^trustpilot-service-review/), sign: () => ({}) },
    ];
  });
  afterAll(async () => p?.stop());

  it(`answers ${BODIES} generated bodies with 0 crashes and 0 5xx, then ingests or rejects every stored one`, { timeout: 400_000 }, async () => {
    const rng = prng(SEED);
    const statuses = new Map<number, number>();
    const fivexx: string[] = [];
    const failures: string[] = [];
    let sent = 0;

    const one = async (i: number) => {
      const t = targets[i % targets.length]!;
      let value: unknown = rng.pick(t.seeds);
      for (let m = rng.int(4); m > 0; m--) value = mutateJson(rng, value as never);
      if (t.wrap) value = t.wrap(value, rng);
      let body: Buffer = Buffer.from(JSON.stringify(value) ?? "null");
      if (rng.chance(0.12)) body = damageBytes(rng, body);
      const headers: Record<string, string> = { "content-type": rng.chance(0.9) ? "application/json" : rng.pick(["text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=utf-32"]) };
      // Mostly signed right, so bodies get past authentication into the parsers.
      Object.assign(headers, rng.chance(0.85) ? t.sign(body) : rng.chance(0.5) ? {} : t.sign(Buffer.from("other")));
      let wire: Uint8Array<ArrayBuffer> = new Uint8Array(body);
      if (rng.chance(0.1)) {
        const enc = rng.pick(["gzip", "gzip-corrupt", "br", "deflate-corrupt", "compress", "x-unknown", "gzip, identity"] as const);
        if (enc === "gzip") wire = gzipSync(body);
        else if (enc === "br") wire = brotliCompressSync(body);
        else if (enc === "gzip-corrupt") wire = new Uint8Array(damageBytes(rng, gzipSync(body)));
        else if (enc === "deflate-corrupt") wire = new Uint8Array(deflateSync(body).subarray(0, 5));
        headers["content-encoding"] = enc.replace("-corrupt", "");
      }
      try {
        const res = await fetch(p.url + t.path, { method: "POST", headers, body: wire });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) fivexx.push(`${t.name} #${i} → ${res.status}: ${body.subarray(0, 200).toString("utf8")}`);
      } catch (err) {
        failures.push(`${t.name} #${i}: ${(err as Error).message} ${(err as { cause?: Error }).cause?.message ?? ""}`);
      }
      sent++;
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < BODIES) await one(next++);
      }),
    );
    // The handshakes too: random tokens and challenges.
    for (let i = 0; i < 300; i++) {
      // Already URL-encoded: some are not valid UTF-8 once decoded.
      const token = rng.pick(["", "a".repeat(300), "%00", "%7B%22for_user_id%22%3A1%7D", "ok-token", "%C3%A9", "%ED%A0%80", "%FF", "a&crc_token=b", `${"%5B".repeat(100)}`]);
      for (const url of [`/webhooks/x?crc_token=${token}`, `/webhooks/meta?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=${token}`]) {
        const res = await fetch(p.url + url).catch((err) => ({ status: 599, arrayBuffer: async () => err }));
        await res.arrayBuffer();
        if (res.status >= 500) fivexx.push(`GET ${url} → ${res.status}`);
      }
    }

    expect(failures).toEqual([]);
    expect(fivexx.slice(0, 20)).toEqual([]);
    expect(sent).toBe(BODIES);
    // Plenty got past authentication and parsing into storage: the fuzz reached the ingest.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(BODIES / 10);
    expect((await fetch(`${p.url}/api/health`)).status).toBe(200);

    // Every stored delivery ends processed, rejected, failed or ignored, each failure with a reason.
    const pending = () => p.ctx.db.select({ id: inboundEvents.id }).from(inboundEvents).where(eq(inboundEvents.status, "pending"));
    await waitFor(async () => (await pending()).length === 0, "every stored delivery settled", 150_000);
    const failed = await p.ctx.db.select({ reason: inboundEvents.reason }).from(inboundEvents).where(eq(inboundEvents.status, "failed"));
    expect(failed.filter((f) => !f.reason)).toEqual([]);
  });
});
