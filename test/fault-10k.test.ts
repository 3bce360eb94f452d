import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { ApiClient, createApiChannel, customerEvent, sign } from "./helpers/client.js";
import { ADMIN, scaled, waitFor } from "./helpers/parley.js";
import { freePort, privateServicesAvailable, startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from "./helpers/private-services.js";

const EVENTS = Number(process.env.FAULT_EVENTS ?? 10_000);
const SENDERS = 40;

/**
 * The fault drill: a server and a worker as real processes on a PostgreSQL and a Redis of this
 * test's own. While 10,000 events arrive, the worker and then the server are killed with SIGKILL
 * and started again, Redis restarts empty and PostgreSQL restarts. Nothing supervises them but this
 * test's own restarts of what it killed. Every acknowledged event must end as exactly one message.
 * It brings its own services, so it runs once, in the scaled run.
 */
describe.runIf(privateServicesAvailable && scaled)(`fault drill: ${EVENTS} events through kill -9 and restarts`, () => {
  let pgServer: PrivatePostgres;
  let redis: PrivateRedis;
  let port: number;
  const env: Record<string, string> = {};
  const procs: Record<"server" | "worker", ChildProcess | null> = { server: null, worker: null };
  const acknowledged = new Set<string>();
  let refused = 0;

  const start = async (role: "server" | "worker") => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", role], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr!.resume();
    procs[role] = child;
    if (role === "server") await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status === 200, "server up and ready", 90_000);
  };
  const kill = async (role: "server" | "worker") => {
    const c = procs[role];
    procs[role] = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGKILL");
    });
  };

  beforeAll(async () => {
    [pgServer, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    port = await freePort();
    Object.assign(env, {
      DATABASE_URL: pgServer.url,
      REDIS_URL: redis.url,
      PARLEY_SECRET_KEY: randomBytes(32).toString("hex"),
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: `http://localhost:${port}`,
      PARLEY_DEMO: "0",
      PARLEY_ADMIN_EMAIL: ADMIN.email,
      PARLEY_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "warn",
      ALLOW_PRIVATE_TARGETS: "1",
      SWEEP_INTERVAL_MS: "500",
      SWEEP_AFTER_MS: "1000",
    });
    await start("server");
    await start("worker");
  }, 180_000);

  afterAll(async () => {
    await kill("worker");
    await kill("server");
    await redis?.stop();
    await pgServer?.dispose();
  });

  it("loses nothing and stores nothing twice", { timeout: 600_000 }, async () => {
    const base = `http://127.0.0.1:${port}`;
    const admin = await ApiClient.login(base, ADMIN.email, ADMIN.password);
    const channel = await createApiChannel(admin, { botEnabled: false });
    // A platform's behaviour: send, and on anything but 200 (a 5xx, a dropped connection) send again later.
    let next = 0;
    const sender = async () => {
      for (let n = next++; n < EVENTS; n = next++) {
        const event = customerEvent(`fault-${n % 500}`, `message ${n}`, { eventId: `fault-${n}` });
        const body = JSON.stringify(event);
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${base}/webhooks/api/${channel.id}`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-parley-signature": sign(channel.secret, body) },
            body,
          }).catch(() => null);
          if (res?.status === 200) {
            acknowledged.add(event.message.externalId);
            break;
          }
          if (res && res.status < 500) {
            refused++;
            break;
          }
          if (attempt > 600) throw new Error(`event ${n} never acknowledged`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    const at = (share: number) => waitFor(async () => next >= EVENTS * share, `${share * 100}% sent`, 300_000);
    const load = Promise.all(Array.from({ length: SENDERS }, sender));

    await at(0.2);
    await kill("worker");
    await new Promise((r) => setTimeout(r, 1000));
    await start("worker");

    await at(0.4);
    await kill("server");
    await new Promise((r) => setTimeout(r, 1000));
    await start("server");

    await at(0.6);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();

    await at(0.8);
    await pgServer.stop();
    await new Promise((r) => setTimeout(r, 2000));
    await pgServer.start();

    await load;
    expect(refused).toBe(0);
    expect(acknowledged.size).toBe(EVENTS);

    // Count straight from the database: each acknowledged event exactly once.
    const db = new pg.Client({ connectionString: pgServer.url });
    await db.connect();
    try {
      const count = async () => (await db.query<{ n: number; distinct: number }>("select count(*)::int as n, count(distinct external_id)::int as distinct from messages where author = 'customer'")).rows[0]!;
      await waitFor(async () => (await count()).n >= EVENTS, `all ${EVENTS} events stored`, 240_000).catch(() => {});
      const rows = await count();
      // Anything stored that no sender was told was accepted, named, so a failure says what it was.
      const strangers = await db.query<{ external_id: string; created_at: Date; conversation_id: string }>(
        "select external_id, created_at, conversation_id from messages where author = 'customer' and not (external_id = any($1::text[])) limit 5",
        [[...acknowledged]],
      );
      expect(strangers.rows).toEqual([]);
      expect(rows).toEqual({ n: EVENTS, distinct: EVENTS });
      const unfinished = await waitFor(
        async () => {
          const r = await db.query<{ status: string; n: number }>("select status, count(*)::int as n from inbound_events where status <> 'processed' group by status");
          return r.rows.length === 0 && r.rows;
        },
        "every stored delivery processed",
        60_000,
      );
      expect(unfinished).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
