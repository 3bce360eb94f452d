import { gzipSync } from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundEvents, messages } from "../server/db/schema.js";
import { sweep } from "../server/pipeline/sweeper.js";
import { ingestJob } from "../server/pipeline/ingest.job.js";
import { ApiClient, createApiChannel, sign } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { freePort } from "./helpers/private-services.js";

const METRICS_TOKEN = "a-metrics-token-of-sufficient-length";

describe("hostile input answers 4xx, never 5xx; operations endpoints", () => {
  let p: TestParley;
  let admin: ApiClient;
  let channel: { id: string; secret: string };
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    p = await startTestParley({ env: { METRICS_TOKEN, METRICS_PORT: String(metricsPort), INGEST_MAX_ATTEMPTS: "2" } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    channel = await createApiChannel(admin);
  });
  afterAll(async () => p?.stop());

  const post = (body: Buffer | string, headers: Record<string, string> = {}, signed: Buffer | string = body) =>
    fetch(`${p.url}/webhooks/api/${channel.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-parley-signature": sign(channel.secret, signed as string), ...headers },
      body: typeof body === "string" ? body : new Uint8Array(body),
    });
  const event = (id: string, text: string) => JSON.stringify({ eventId: id, contact: { externalId: `c-${id}` }, message: { externalId: `m-${id}`, text } });

  it("webhooks: unsupported Content-Encoding 415, corrupt gzip 400, NUL bytes 400, deep JSON 400; valid gzip accepted", async () => {
    expect((await post(event("e1", "hi"), { "content-encoding": "compress" })).status).toBe(415);
    expect((await post(Buffer.from("\x1f\x8b\x08garbage"), { "content-encoding": "gzip" })).status).toBe(400);
    const nul = Buffer.concat([Buffer.from(event("e2", "hi").slice(0, -2)), Buffer.from([0]), Buffer.from("}}")]);
    const nulRes = await post(nul, {}, nul.toString("latin1"));
    expect(nulRes.status).toBe(400);
    expect((await nulRes.json()).code).toBe("nul_character");
    const deep = `{"eventId":"e3","contact":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const deepRes = await post(deep);
    expect(deepRes.status).toBe(400);
    expect((await deepRes.json()).code).toBe("json_too_deep");
    const plain = event("e4", "zipped");
    expect((await post(gzipSync(plain), { "content-encoding": "gzip" }, plain)).status).toBe(200);
  });

  it("a NUL character inside a delivery's text is cleaned, and the message stored on the first try", async () => {
    // The JSON escapes themselves, as a platform would send them.
    const raw = '{"eventId":"nul-text","contact":{"externalId":"c-nul"},"message":{"externalId":"m-nul-text","text":"before\\u0000after \\ud800 end"}}';
    expect((await post(raw)).status).toBe(200);
    const [row] = await waitFor(async () => {
      const rows = await p.ctx.db.select().from(inboundEvents).where(and(eq(inboundEvents.channelId, channel.id), eq(inboundEvents.externalEventId, "nul-text")));
      return rows[0]?.status !== "pending" && rows;
    }, "ingested");
    expect(row).toMatchObject({ status: "processed", attempts: 1 });
    const [msg] = await p.ctx.db.select().from(messages).where(eq(messages.externalId, "m-nul-text"));
    expect(msg!.text).toBe("beforeafter \ufffd end");
  });

  it("the API: NUL in a body field or the URL, and deep JSON, are 400", async () => {
    const conv = ((await admin.get("/api/conversations")).body.items as any[])[0];
    const res = await admin.request("POST", `/api/conversations/${conv.id}/messages`, undefined, { "content-type": "application/json" });
    expect(res.status).toBeLessThan(500);
    const nul = await fetch(`${p.url}/api/conversations/${conv.id}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: admin.cookie },
      body: '{"text":"a\\u0000b"}',
    });
    expect(nul.status).toBe(400);
    expect((await nul.json()).code).toBe("nul_character");
    const deep = await fetch(`${p.url}/api/conversations/${conv.id}/messages`, { method: "POST", headers: { "content-type": "application/json", cookie: admin.cookie }, body: `{"text":${"[".repeat(200)}${"]".repeat(200)}}` });
    expect(deep.status).toBe(400);
    expect((await admin.get("/api/conversations?q=%00")).status).toBe(400);
    expect((await fetch(`${p.url}/api/conversations/%00`, { headers: { cookie: admin.cookie } })).status).toBe(400);
  });

  it("a delivery that keeps failing is tried a bounded number of times, with its next try stored in the row", async () => {
    // A receipt for a message that is no uuid: PostgreSQL refuses the value, every time.
    const body = JSON.stringify({ eventId: "bad-receipt", receipt: { messageId: "not-a-uuid", status: "read" } });
    expect((await post(body)).status).toBe(200);
    const row = await waitFor(async () => {
      const [r] = await p.ctx.db.select().from(inboundEvents).where(and(eq(inboundEvents.channelId, channel.id), eq(inboundEvents.externalEventId, "bad-receipt")));
      return r && r.status !== "pending" && r;
    }, "settled");
    expect(["processed", "failed", "rejected"]).toContain(row.status);
    expect(row.attempts).toBeLessThanOrEqual(2);
    // A pending delivery whose next try is not due yet is left alone by the sweeper.
    await p.ctx.db.update(inboundEvents).set({ status: "pending", attempts: 1, nextAttemptAt: new Date(Date.now() + 3600_000) }).where(eq(inboundEvents.id, row.id));
    const swept = await sweep({ ...p.ctx, config: { ...p.ctx.config, SWEEP_AFTER_MS: 0 } });
    expect(swept.events).toBe(0);
    // Once it is due, it is taken again, and past INGEST_MAX_ATTEMPTS it ends failed with a reason.
    await p.ctx.db.update(inboundEvents).set({ attempts: 2, nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(inboundEvents.id, row.id));
    expect((await sweep({ ...p.ctx, config: { ...p.ctx.config, SWEEP_AFTER_MS: 0 } })).events).toBe(1);
    // (BullMQ keeps a completed job's id for a while, so the try is run here rather than waited for.)
    await ingestJob.handle({ inboundEventId: row.id }, p.ctx, { attempt: 1, maxAttempts: 2, isLastAttempt: false, readyAt: Date.now(), log: p.ctx.log });
    const [done] = await p.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.id, row.id));
    expect(done!.status).toBe("failed");
    expect(done!.reason).toMatch(/gave up after 2 attempts/);
  });

  it("/metrics needs the bearer token on the main port, and is served on METRICS_PORT", async () => {
    expect((await fetch(`${p.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${p.url}/metrics`, { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(401);
    const ok = await fetch(`${p.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    const text = await ok.text();
    for (const name of [
      "parley_webhook_requests_total",
      "parley_webhook_deliveries_total",
      "parley_ingest_total",
      "parley_ingest_batch_deliveries_bucket",
      "parley_http_request_duration_seconds_bucket",
      "parley_job_duration_seconds_bucket",
      "parley_job_wait_seconds_bucket",
      "parley_queue_jobs",
      "parley_sla_breaches_total",
      "parley_outbound_uncertain_resends_total",
    ]) expect(text).toContain(name);
    expect(text).toMatch(/parley_webhook_requests_total\{platform="api",status="415"\} \d+/);
    expect(text).toMatch(/parley_webhook_deliveries_total\{platform="api",outcome="accepted"\} \d+/);
    // How long the ingest jobs of the deliveries above waited for a worker: counted per job.
    expect(text).toMatch(/parley_job_wait_seconds_count\{queue="ingest",job="webhook\.ingest[^"]*"\} [1-9]/);
    // The batches those deliveries were applied in, by size.
    expect(text).toMatch(/parley_ingest_batch_deliveries_count\{start="alone"\} [1-9]/);
    expect(text).not.toContain(channel.id); // labels are patterns, never ids
    const separate = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(separate.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(401);
  });

  it("/api/health names each dependency", async () => {
    const res = await fetch(`${p.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", checks: { database: { ok: true }, queues: { ok: true } } });
  });
});
