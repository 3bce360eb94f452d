import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, scaled, waitFor } from "./helpers/parley.js";
import { freePort, privateServicesAvailable, startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from "./helpers/private-services.js";

const METRICS_TOKEN = "metrics-token-for-the-crash-test";

/**
 * Parley is killed (SIGKILL) while a reply is in flight: the callback has it, Parley never learns
 * the answer. On restart the reply is sent again, once, with the same Idempotency-Key, and counted;
 * a second crash during that resend leaves it failed instead of sending a third time.
 * It brings its own PostgreSQL and Redis, so it runs the same in either mode: only in the scaled
 * run, to keep the suite's time down.
 */
describe.runIf(privateServicesAvailable && scaled)("sends after a crash", () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  let port: number;
  let child: ChildProcess | null = null;
  let output: string[] = [];
  const env: Record<string, string> = {};
  type Held = { messageId: string; key: string; res: ServerResponse };
  const requests: Array<{ messageId: string; key: string }> = [];
  let hold: (messageId: string) => boolean = () => false;
  const held: Held[] = [];
  let callbackUrl = "";
  let callbackServer: ReturnType<typeof createServer>;

  const start = async () => {
    output = [];
    child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => output.push(String(d)));
    child.stderr!.on("data", (d) => output.push(String(d)));
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok, "Parley up", 90_000);
  };
  const kill = async () => {
    const c = child!;
    child = null;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGKILL");
    });
    for (const h of held.splice(0)) h.res.destroy();
  };

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    callbackServer = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const entry = { messageId: body.messageId as string, key: String(req.headers["idempotency-key"]) };
        requests.push(entry);
        if (hold(entry.messageId)) held.push({ ...entry, res });
        else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ externalId: `ext-${entry.messageId}-${requests.length}` }));
      });
    });
    await new Promise<void>((r) => callbackServer.listen(0, "127.0.0.1", r));
    callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
    port = await freePort();
    Object.assign(env, {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      PARLEY_SECRET_KEY: randomBytes(32).toString("hex"),
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: `http://localhost:${port}`,
      PARLEY_DEMO: "0",
      PARLEY_ADMIN_EMAIL: ADMIN.email,
      PARLEY_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "info",
      ALLOW_PRIVATE_TARGETS: "1",
      // Long enough that a held request is still in flight when Parley is killed.
      OUTBOUND_TIMEOUT_MS: "15000",
      SWEEP_INTERVAL_MS: "300",
      SWEEP_AFTER_MS: "200",
      // A killed worker's job is taken over after 5–10 s instead of 30–60 s.
      JOB_LOCK_MS: "5000",
      METRICS_TOKEN,
    });
    await start();
  }, 150_000);

  afterAll(async () => {
    if (child) await kill();
    await new Promise<void>((r) => callbackServer?.close(() => r()));
    await redis?.stop();
    await pg?.dispose();
  });

  it("resends once with the same idempotency key, counts it, and never a third time", { timeout: 400_000 }, async () => {
    const base = `http://127.0.0.1:${port}`;
    let admin = await ApiClient.login(base, ADMIN.email, ADMIN.password);
    const channel = await createApiChannel(admin, { callbackUrl });
    const reply = async (contact: string) => {
      await postWebhook(base, channel.id, channel.secret, customerEvent(contact, "hello"));
      const conv = await waitFor(async () => ((await admin.get("/api/conversations?limit=50")).body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`), "conversation", 30_000);
      const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: `answer to ${contact}` });
      return { convId: conv.id as string, id: res.body.message.id as string };
    };
    const statusOf = async (m: { convId: string; id: string }) =>
      ((await admin.get(`/api/conversations/${m.convId}/messages`)).body.items as any[]).find((x) => x.id === m.id);

    // Both replies reach the callback, which holds them: Parley dies before hearing back.
    hold = () => true;
    const a = await reply("crash-a");
    const b = await reply("crash-b");
    await waitFor(async () => new Set(held.map((h) => h.messageId)).size === 2, "both replies in flight");
    await kill();

    // Restart: A's resend is answered; B's resend is held again, and Parley dies a second time.
    hold = (id) => id === b.id;
    await start();
    admin = await ApiClient.login(base, ADMIN.email, ADMIN.password);
    // BullMQ hands a job whose worker died to another after its lock expires (JOB_LOCK_MS); the
    // sweeper cannot add it again meanwhile (same job id).
    await waitFor(async () => (await statusOf(a)).status === "sent", "A sent after the restart", 100_000).catch((err) => {
      throw new Error(`${err.message}\n${output.join("").slice(-3000)}`);
    });
    await waitFor(async () => held.some((h) => h.messageId === b.id), "B resent and held", 100_000);
    expect(output.join("")).toContain("resending a reply whose earlier attempt's outcome was lost");
    const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(metrics.split("\n").filter((l) => l.startsWith("parley_outbound_uncertain_resends_total"))).toEqual(['parley_outbound_uncertain_resends_total{platform="api"} 2']);
    await kill();

    hold = () => false;
    await start();
    admin = await ApiClient.login(base, ADMIN.email, ADMIN.password);
    const failed = await waitFor(async () => {
      const m = await statusOf(b);
      return m.status === "failed" && m;
    }, "B given up", 100_000).catch((err) => {
      throw new Error(`${err.message}\n${output.join("").slice(-4000)}`);
    });
    expect(failed.failureReason).toMatch(/Not sent again/);

    const forA = requests.filter((r) => r.messageId === a.id);
    const forB = requests.filter((r) => r.messageId === b.id);
    expect(forA.map((r) => r.key)).toEqual([a.id, a.id]); // sent twice at most, with one idempotency key
    expect(forB.map((r) => r.key)).toEqual([b.id, b.id]); // never a third time
  });
});
