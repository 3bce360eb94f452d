import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createApiChannel, customerEvent, sign } from "./helpers/client.js";
import { startCallbackServer } from "./helpers/callback-server.js";
import { ADMIN, startTestParley, waitFor, type Storage, type TestParley } from "./helpers/parley.js";
import { privateServicesAvailable, startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from "./helpers/private-services.js";

/**
 * A server and a worker on a PostgreSQL and a Redis of this test's own, which it stops and starts
 * under them. Nothing restarts Parley: both processes must carry on by themselves, and every
 * acknowledged webhook must end as exactly one message.
 */
describe.runIf(privateServicesAvailable)("self-healing: Redis and PostgreSQL restarts under a running server and worker", () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  let server: TestParley;
  let worker: TestParley;
  let admin: ApiClient;
  let channel: { id: string; secret: string };
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  const acknowledged: string[] = [];
  const retried: number[] = [];

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    callback = await startCallbackServer();
    const storage: Storage = {
      env: {
        DATABASE_URL: pg.url,
        REDIS_URL: redis.url,
        DATABASE_SCHEMA: "public",
        DATABASE_POOL_SIZE: "5",
        REDIS_PREFIX: "selfheal",
        PARLEY_SECRET_KEY: randomBytes(32).toString("hex"),
      },
      dispose: async () => {},
    };
    const env = { SWEEP_INTERVAL_MS: "500", SWEEP_AFTER_MS: "500" };
    server = await startTestParley({ storage, role: "server", env });
    worker = await startTestParley({ storage, role: "worker", env });
    admin = await ApiClient.login(server.url, ADMIN.email, ADMIN.password);
    channel = await createApiChannel(admin, { callbackUrl: callback.url });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await server?.stop();
    await callback?.close();
    await redis?.stop();
    await pg?.dispose();
  });

  /** Delivers like a platform: retries until Parley acknowledges with 200 (4xx would be a bug here). */
  async function deliver(n: number) {
    const event = customerEvent(`heal-${n}`, `message ${n}`, { eventId: `heal-${n}` });
    const body = JSON.stringify(event);
    for (let i = 0; i < 400; i++) {
      const res = await fetch(`${server.url}/webhooks/api/${channel.id}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-parley-signature": sign(channel.secret, body) },
        body,
      }).catch(() => null);
      if (res?.status === 200) {
        acknowledged.push(event.message.externalId);
        return;
      }
      if (res && res.status < 500) throw new Error(`delivery ${n} refused with ${res.status}`);
      retried.push(res?.status ?? 0);
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`delivery ${n} never acknowledged`);
  }
  const deliverMany = (from: number, count: number) => Promise.all(Array.from({ length: count }, (_, i) => deliver(from + i)));
  const health = async () => {
    const res = await fetch(`${server.url}/api/health`);
    return { status: res.status, body: (await res.json()) as any };
  };
  /** Customer messages stored: each acknowledged one exactly once. */
  const stored = async () => {
    const result = await server.ctx.db.execute(sql`select external_id, count(*)::int as n from messages where author = 'customer' group by external_id`);
    return (result as unknown as { rows: Array<{ external_id: string; n: number }> }).rows;
  };
  const allStored = () =>
    waitFor(
      async () => {
        const rows = await stored();
        return rows.length === acknowledged.length && rows;
      },
      `all ${acknowledged.length} acknowledged messages stored`,
      45_000,
    );

  it("keeps going through a Redis restart that loses every queued job", { timeout: 90_000 }, async () => {
    await deliverMany(0, 10);
    await allStored();
    expect((await health()).status).toBe(200);

    await redis.stop();
    // Webhooks are still acknowledged: stored in PostgreSQL, their queue jobs re-added later by the sweeper.
    await deliverMany(10, 10);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.checks.redis.ok).toBe(false);
    expect(down.body.checks.database.ok).toBe(true);

    await redis.start(); // empty: no persistence
    await allStored();
    await waitFor(async () => (await health()).status === 200, "healthy again", 20_000);
  });

  it("keeps going through a PostgreSQL restart: webhooks answer 503 meanwhile and platforms' retries land", { timeout: 100_000 }, async () => {
    await pg.stop();
    const down = await waitFor(async () => {
      const h = await health();
      return h.status === 503 && h;
    }, "health reports the database down");
    expect(down.body.checks.database.ok).toBe(false);
    // Deliveries during the outage are retried by their senders until PostgreSQL is back.
    const during = deliverMany(20, 10);
    await new Promise((r) => setTimeout(r, 2500));
    await pg.start();
    await during;
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((s) => s === 503 || s === 500 || s === 0)).toBe(true);
    await allStored();
    await waitFor(async () => (await health()).status === 200, "healthy again", 20_000);

    // The worker still sends replies.
    const conv = ((await admin.get("/api/conversations?limit=100")).body.items as any[])[0];
    const reply = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "still here" });
    expect(reply.status).toBe(201);
    await waitFor(async () => callback.received.find((r) => r.body.text === "still here"), "the reply reaches the callback", 20_000);
  });

  it("lost nothing and stored nothing twice", async () => {
    const rows = await stored();
    expect(rows.length).toBe(30);
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(new Set(acknowledged).size).toBe(30);
  });
});
