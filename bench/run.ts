/**
 * `npm run bench`: how fast a real Parley is against PostgreSQL and Redis, next to the ceilings of
 * the parts it is built on. See docs/performance.md for what each figure means.
 *
 * Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; local defaults below). Everything it sends
 * goes to 127.0.0.1, every loop is bounded in count and time, and it removes what it created.
 * BENCH_QUICK=1 runs a much smaller version (a smoke test of the bench itself, not figures to quote).
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import pg from "pg";
import { cpuBetween, cpuSnapshot, describeCpu, type CpuUse } from "./cpu.js";
import { bullmqCeiling, startBareExpress, withTimeout, type BullmqCeiling } from "./ceilings.js";
import { eventBody, keepAliveAgent, post, runLoadInWorker, signature, startLoadWorker, type LoadResult, type LoadSpec } from "./loadgen.js";
import { ms, perSecond, seconds, summarize, table, type Summary } from "./stats.js";
import { reportsTable, runReportsPhase } from "./reports.js";
import { startProfile } from "./profile.js";

// Before the test helpers are imported (dynamically, below): they decide "scaled" at import time.
process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/test";
process.env.REDIS_URL ||= "redis://127.0.0.1:6379";
const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;

const quick = process.env.BENCH_QUICK === "1";
/** BENCH_ONLY=ingest: the ceilings, the webhook load with its ingest, and the socket latency; no reports section. */
const only = process.env.BENCH_ONLY ?? "";
if (only && only !== "ingest") throw new Error(`BENCH_ONLY=${only}: the only part that runs alone is "ingest"`);
const P = {
  concurrency: 32,
  contacts: 300,
  warmupRequests: quick ? 100 : 300,
  /** Both HTTP runs stop at whichever comes first. */
  loadMs: quick ? 2_000 : 8_000,
  ceilingMaxRequests: 500_000,
  parleyMaxRequests: quick ? 1_000 : 8_000,
  drainTimeoutMs: 90_000,
  socketWarmup: quick ? 5 : 20,
  socketMessages: quick ? 50 : 300,
  socketPauseMs: 10,
  bullWarmup: quick ? 20 : 50,
  bullLatencyJobs: quick ? 100 : 500,
  bullThroughputJobs: quick ? 1_000 : 5_000,
  bullAddConcurrency: 32,
  /** Parley's own concurrency for the ingest queue (server/jobs.ts). */
  bullWorkerConcurrency: 8,
};

// ---- cleanup: everything started is registered here and undone in reverse, also on Ctrl-C ----
type Cleanup = { name: string; fn: () => Promise<void> | void };
const cleanups: Cleanup[] = [];
function track(name: string, fn: () => Promise<void> | void): () => Promise<void> {
  const entry = { name, fn };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
    await fn();
  };
}
async function cleanupAll() {
  for (const { name, fn } of cleanups.splice(0).reverse()) {
    try {
      await withTimeout(Promise.resolve().then(fn), 20_000, `cleanup of ${name}`);
    } catch (err) {
      console.error(`bench: cleanup of ${name} failed: ${(err as Error).message}`);
    }
  }
}
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\nbench: ${signal}, cleaning up…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

const say = (line: string) => console.log(line);
const step = (line: string) => console.log(`… ${line}`);
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const epochNow = () => performance.timeOrigin + performance.now();
const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

// ---- services ----
async function checkServices() {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5_000 });
  let pgVersion: string;
  let pgSettings: Record<string, string>;
  try {
    await client.connect();
    pgVersion = (await client.query<{ version: string }>("select version()")).rows[0]!.version;
    const rows = (
      await client.query<{ name: string; setting: string; unit: string | null }>(
        "select name, setting, unit from pg_settings where name in ('synchronous_commit','fsync','shared_buffers','max_connections')",
      )
    ).rows;
    pgSettings = Object.fromEntries(rows.map((r) => [r.name, r.setting + (r.unit ? ` (${r.unit})` : "")]));
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at DATABASE_URL=${redact(DATABASE_URL)}: ${(err as Error).message}\n` +
        "Start PostgreSQL (with a database the URL names) or set DATABASE_URL to one that is running.",
      { cause: err },
    );
  } finally {
    await client.end().catch(() => {});
  }

  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let redisError: Error | null = null;
  redis.on("error", (err: Error) => (redisError ??= err));
  let redisVersion: string;
  try {
    await redis.connect();
    const info = await redis.info("server");
    redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  } catch (err) {
    throw new Error(
      `Redis is not reachable at REDIS_URL=${redact(REDIS_URL)}: ${(redisError ?? (err as Error)).message || String(err)}\n` +
        "Start Redis or set REDIS_URL to one that is running.",
      { cause: err },
    );
  } finally {
    redis.disconnect();
  }
  return { pgVersion, pgSettings, redisVersion };
}

function machine(services: Awaited<ReturnType<typeof checkServices>>) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: services.pgVersion,
    postgresSettings: services.pgSettings,
    redis: services.redisVersion,
  };
}

function describeLoad(label: string, r: LoadResult) {
  const others = Object.entries(r.others)
    .map(([status, n]) => `${n}× ${status === "0" ? "connection error" : `HTTP ${status}`}`)
    .join(", ");
  say(
    `  ${label}: ${r.sent} sent, ${r.accepted} accepted in ${seconds(r.elapsedMs / 1000)}` +
      (others ? `; not accepted: ${others} (first: ${r.firstProblem})` : ""),
  );
}

type Counts = { total: number; pending: number; processed: number; bad: number };

async function main() {
  const started = Date.now();
  say(`Parley bench${quick ? " (BENCH_QUICK=1: reduced counts, not figures to quote)" : ""} — ${new Date().toISOString()}`);
  step(`checking PostgreSQL (${redact(DATABASE_URL)}) and Redis (${redact(REDIS_URL)})`);
  const services = await checkServices();
  const m = machine(services);
  const idleA = cpuSnapshot();
  await sleep(2_000);
  const quiet = cpuBetween(idleA, cpuSnapshot());
  say(`  before starting: ${describeCpu(quiet)}`);
  const othersBefore = quiet ? quiet.byGroup.other / quiet.seconds : 0;
  if (othersBefore > 0.15) {
    say(`  WARNING: other processes are using ${othersBefore.toFixed(2)} cores: the figures below will be lower than on a quiet machine.`);
  }
  const cpu: Record<string, CpuUse | null> = {};

  const baseSpec = { secret: "bench-secret-not-a-real-one", contacts: P.contacts, concurrency: P.concurrency };

  // ---- 1. Ceiling A: bare Express 5 ----
  step(`ceiling A: bare Express 5 endpoint, ${P.concurrency} keep-alive connections, ${P.loadMs / 1000} s`);
  const bare = await startBareExpress();
  const closeBare = track("bare Express server", () => bare.close());
  const warmA = await runLoadInWorker({ ...baseSpec, url: bare.url, runId: "warm-a", durationMs: 5_000, maxRequests: P.warmupRequests * 10 });
  if (warmA.accepted === 0) throw new Error(`the bare Express endpoint accepted nothing: ${warmA.firstProblem}`);
  const genA = await startLoadWorker({ ...baseSpec, url: bare.url, runId: "a", durationMs: P.loadMs, maxRequests: P.ceilingMaxRequests });
  const cpuA = cpuSnapshot();
  const ceilingA = await genA.run();
  cpu.ceilingA = cpuBetween(cpuA, cpuSnapshot());
  await closeBare();
  describeLoad("bare Express", ceilingA);
  say(`  ${describeCpu(cpu.ceilingA)}`);
  const ceilingALat = summarize(ceilingA.latenciesMs);
  const ceilingARate = ceilingA.accepted / (ceilingA.elapsedMs / 1000);

  // ---- Parley ----
  step('starting Parley (role "all": HTTP server and queue workers in one process) on a fresh schema and Redis prefix');
  const { startTestParley, ADMIN } = await import("../test/helpers/parley.js");
  const { ApiClient, createApiChannel } = await import("../test/helpers/client.js");
  // The production default pool size, not the small one the test helper uses to let test files run side by side.
  const parley = await startTestParley({ env: { LOG_LEVEL: "error", DATABASE_POOL_SIZE: "20" } });
  const stopParley = track("Parley (and its schema and Redis keys)", () => parley.stop());
  if (parley.ctx.config.mode !== "scaled") throw new Error("Parley did not start in scaled mode (PostgreSQL + Redis)");
  const schema = parley.storage.env.DATABASE_SCHEMA!;
  const admin = await ApiClient.login(parley.url, ADMIN.email, ADMIN.password);
  const channel = await createApiChannel(admin, { name: "Bench channel" });
  const webhookUrl = new URL(`/webhooks/api/${channel.id}`, parley.url);
  webhookUrl.hostname = "127.0.0.1";

  const poll = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path="${schema}"` });
  await poll.connect();
  const endPoll = track("polling connection", () => poll.end());
  const counts = async (): Promise<Counts> =>
    (
      await poll.query<Counts>(
        `select count(*)::int as total,
                (count(*) filter (where status = 'pending'))::int as pending,
                (count(*) filter (where status = 'processed'))::int as processed,
                (count(*) filter (where status in ('failed', 'rejected')))::int as bad
           from inbound_events`,
      )
    ).rows[0]!;
  /** Polls until `expected` deliveries are stored and none is pending; returns when that was seen. */
  const drained = async (expected: number, timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const c = await counts();
      const at = epochNow();
      if (c.total >= expected && c.pending === 0) return { at, counts: c };
      if (Date.now() > until) {
        throw new Error(`ingest did not finish within ${timeoutMs / 1000} s: ${c.processed} processed, ${c.pending} pending, ${c.bad} failed of ${expected}`);
      }
      await sleep(50);
    }
  };

  // ---- 2. Signed webhooks durably accepted per second, then ingested ----
  step(`Parley webhooks: ${P.concurrency} keep-alive connections, ${P.loadMs / 1000} s or ${P.parleyMaxRequests} requests, ${P.contacts} contacts`);
  const spec: Omit<LoadSpec, "runId" | "durationMs" | "maxRequests"> = { ...baseSpec, url: webhookUrl.href, secret: channel.secret };
  const warmP = await runLoadInWorker({ ...spec, runId: "warm-p", durationMs: 5_000, maxRequests: P.warmupRequests });
  describeLoad("warm-up", warmP);
  if (warmP.accepted === 0) throw new Error(`Parley accepted no webhook: ${warmP.firstProblem}`);
  await drained(warmP.accepted, P.drainTimeoutMs);

  // Parley's PostgreSQL pool (drizzle's $client): how busy it is, and how many queries queue for it.
  const pool = (parley.ctx.db as unknown as { $client?: pg.Pool }).$client;
  const poolUse = { samples: 0, inUse: 0, waiting: 0, maxWaiting: 0, size: 0 };
  const poolTimer = setInterval(() => {
    if (!pool || typeof pool.waitingCount !== "number") return;
    poolUse.samples++;
    poolUse.inUse += pool.totalCount - pool.idleCount;
    poolUse.waiting += pool.waitingCount;
    poolUse.maxWaiting = Math.max(poolUse.maxWaiting, pool.waitingCount);
    poolUse.size = Math.max(poolUse.size, pool.options.max ?? 0);
  }, 20);
  const stopPoolTimer = track("pool sampling", () => clearInterval(poolTimer));
  const series: Array<{ at: number; processed: number; pending: number }> = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const c = await counts();
      series.push({ at: epochNow(), processed: c.processed, pending: c.pending });
      await sleep(250);
    }
  })();
  const genP = await startLoadWorker({ ...spec, runId: "p", durationMs: P.loadMs, maxRequests: P.parleyMaxRequests });
  const before = await counts();
  const stopProfile = await startProfile(); // BENCH_PROFILE: load start until all are ingested
  const cpuP = cpuSnapshot();
  const load = await genP.run();
  const loadStart = load.startedAt;
  const loadEnd = loadStart + load.elapsedMs;
  describeLoad("Parley", load);
  if (load.accepted === 0) throw new Error(`Parley accepted no webhook: ${load.firstProblem}`);
  cpu.webhooks = cpuBetween(cpuP, cpuSnapshot());
  const poolDuringLoad = { ...poolUse };
  const atLoadEnd = await counts();
  const done = await drained(before.total + load.accepted, P.drainTimeoutMs);
  cpu.drain = cpuBetween(cpuP, cpuSnapshot());
  await stopProfile();
  polling = false;
  await poller;
  if (done.counts.bad > 0) throw new Error(`${done.counts.bad} deliveries failed or were rejected during ingest`);
  const webhookLat = summarize(load.latenciesMs);
  const webhookRate = load.accepted / (load.elapsedMs / 1000);
  const ingested = done.counts.processed - before.processed;
  const ingestRate = ingested / ((done.at - loadStart) / 1000);
  const ingestDuringLoad = atLoadEnd.processed - before.processed;
  const drainSeconds = (done.at - loadEnd) / 1000;
  say(
    `  ingest: ${ingestDuringLoad} of ${load.accepted} ingested while accepting (backlog ${atLoadEnd.pending} at the end of the load); ` +
      `all ${ingested} ingested ${seconds(drainSeconds)} after the load stopped`,
  );
  await stopPoolTimer();
  const poolLine = (u: typeof poolUse) =>
    u.samples ? `PostgreSQL pool (max ${u.size}): ${(u.inUse / u.samples).toFixed(1)} connections in use and ${(u.waiting / u.samples).toFixed(1)} queries waiting on average, ${u.maxWaiting} waiting at most` : "pool use not available";
  say(`  during the load: ${poolLine(poolDuringLoad)}`);
  say(`  during the load: ${describeCpu(cpu.webhooks)}`);
  say(`  load start → all ingested: ${describeCpu(cpu.drain)}`);

  // ---- 4. Webhook to an agent's socket ----
  step(`webhook → agent socket: ${P.socketMessages} signed webhooks one at a time (${P.socketPauseMs} ms pause), admin's Socket.IO client`);
  const ws = await admin.socket();
  const closeSocket = track("Socket.IO client", () => ws.close());
  const arrivals = new Map<string, (at: number) => void>();
  ws.socket.on("message.created", (payload: { message?: { externalId?: string | null } }) => {
    const at = performance.now();
    const id = payload?.message?.externalId;
    if (id) arrivals.get(id)?.(at);
  });
  const agent = keepAliveAgent(1);
  const socketLatencies: number[] = [];
  const cpuS = cpuSnapshot();
  const answerLatencies: number[] = [];
  for (let i = 0; i < P.socketWarmup + P.socketMessages; i++) {
    const { body, messageId } = eventBody("s", i, P.contacts);
    const arrived = new Promise<number>((resolve) => arrivals.set(messageId, resolve));
    const headers = { "x-parley-signature": signature(channel.secret, body) };
    const t0 = performance.now();
    const res = await post(agent, webhookUrl, body, headers);
    if (res.status !== 200 || !res.text.includes('"accepted"')) throw new Error(`webhook not accepted: HTTP ${res.status} ${res.text.slice(0, 200)}`);
    const at = await withTimeout(arrived, 10_000, `message.created for ${messageId} on the socket`);
    arrivals.delete(messageId);
    if (i >= P.socketWarmup) {
      socketLatencies.push(at - t0);
      answerLatencies.push(res.ms);
    }
    await sleep(P.socketPauseMs);
  }
  cpu.socket = cpuBetween(cpuS, cpuSnapshot());
  agent.destroy();
  await closeSocket();
  const socketLat = summarize(socketLatencies);
  const answerLat = summarize(answerLatencies);
  say(`  ${socketLat.count} measured (after ${P.socketWarmup} warm-up); the 200 answer itself: p50 ${ms(answerLat.p50)}, p99 ${ms(answerLat.p99)}`);
  say(`  ${describeCpu(cpu.socket)}`);

  // ---- 5. Reports at scale: 200k conversations, 1M messages (bench/reports.ts) ----
  const cpuR = cpuSnapshot();
  const reports = only ? null : await runReportsPhase({ admin, db: poll, quick, step });
  cpu.reports = only ? null : cpuBetween(cpuR, cpuSnapshot());

  await endPoll();
  step("stopping Parley, dropping its schema and Redis keys");
  await stopParley();

  // ---- 3. Ceiling B: BullMQ no-op round trip ----
  step(
    `ceiling B: no-op BullMQ job, ${P.bullLatencyJobs} sequential for latency, then ${P.bullThroughputJobs} ` +
      `(${P.bullAddConcurrency} adds in flight, worker concurrency ${P.bullWorkerConcurrency})`,
  );
  const cpuB = cpuSnapshot();
  const ceilingB: BullmqCeiling = await bullmqCeiling(REDIS_URL, {
    warmupJobs: P.bullWarmup,
    latencyJobs: P.bullLatencyJobs,
    throughputJobs: P.bullThroughputJobs,
    addConcurrency: P.bullAddConcurrency,
    workerConcurrency: P.bullWorkerConcurrency,
  });
  cpu.ceilingB = cpuBetween(cpuB, cpuSnapshot());
  say(`  ${ceilingB.throughput.jobs} jobs added and completed in ${seconds(ceilingB.throughput.elapsedMs / 1000)}`);
  say(`  ${describeCpu(cpu.ceilingB)}`);

  // ---- report ----
  const share = (parley: number, ceiling: number) => `${((parley / ceiling) * 100).toFixed(1)}%`;
  const times = (parley: number, ceiling: number) => `${(parley / ceiling).toFixed(1)}×`;
  const lat = (s: Summary, k: "p50" | "p90" | "p99") => s[k];
  const rows: string[][] = [
    [`webhooks accepted/s (${P.concurrency} conns)`, perSecond(webhookRate), perSecond(ceilingARate) + " (A)", share(webhookRate, ceilingARate)],
    ...(["p50", "p99"] as const).map((k) => [`webhook answer ${k} (${P.concurrency} conns)`, ms(lat(webhookLat, k)), ms(lat(ceilingALat, k)) + " (A)", times(lat(webhookLat, k), lat(ceilingALat, k))]),
    ["deliveries ingested/s (load start → all processed)", perSecond(ingestRate), perSecond(ceilingB.throughput.perSecond) + " (B)", share(ingestRate, ceilingB.throughput.perSecond)],
    ["ingest backlog drained after load stopped", seconds(drainSeconds), "–", "–"],
    ...(["p50", "p90", "p99"] as const).map((k) => [`webhook → agent socket ${k}`, ms(lat(socketLat, k)), ms(lat(ceilingB.latency, k)) + " (B)", times(lat(socketLat, k), lat(ceilingB.latency, k))]),
  ];

  say("");
  say("Machine");
  say(`  CPU        ${m.cpu}, ${m.cores} cores`);
  say(`  memory     ${m.memoryGiB} GiB`);
  say(`  OS         ${m.os}`);
  say(`  Node       ${m.node}`);
  say(`  PostgreSQL ${m.postgres}`);
  say(`             ${Object.entries(m.postgresSettings).map(([k, v]) => `${k}=${v}`).join(", ")}`);
  say(`  Redis      ${m.redis}`);
  say("  PostgreSQL, Redis, Parley and the load generator all share this machine; all traffic is on 127.0.0.1.");
  say("");
  say("CPU during each phase");
  const phases: Array<[string, CpuUse | null | undefined]> = [
    ["ceiling A load", cpu.ceilingA],
    ["Parley webhook load", cpu.webhooks],
    ["Parley load start → all ingested", cpu.drain],
    ["webhook → socket", cpu.socket],
    ["ceiling B", cpu.ceilingB],
    ["reports: seed and timings", cpu.reports],
  ];
  for (const [name, use] of phases) say(`  ${name.padEnd(34)} ${describeCpu(use ?? null)}`);
  const maxOther = Math.max(0, ...phases.map(([, u]) => (u && u.seconds > 0 ? u.byGroup.other / u.seconds : 0)));
  if (maxOther > 0.15) say(`  WARNING: other processes used up to ${maxOther.toFixed(2)} cores during the run; run again on a quiet machine for figures to quote.`);
  say("");
  say("CPU per operation (Node, PostgreSQL, Redis; less sensitive than the rates to other load on the machine)");
  const perOp = (use: CpuUse | null | undefined, ops: number, minus: number | null = 0) =>
    use && ops > 0 && minus !== null
      ? { node: ((use.byGroup.bench - minus) / ops) * 1000, postgres: (use.byGroup.postgres / ops) * 1000, redis: (use.byGroup.redis / ops) * 1000 }
      : null;
  const costA = perOp(cpu.ceilingA, ceilingA.accepted, ceilingA.cpuSeconds);
  const costP = perOp(cpu.drain, ingested, load.cpuSeconds);
  const costB = perOp(cpu.ceilingB, P.bullWarmup + P.bullLatencyJobs + P.bullThroughputJobs);
  const costLine = (c: ReturnType<typeof perOp>) =>
    c ? `${c.node.toFixed(3)} ms Node + ${c.postgres.toFixed(3)} ms PostgreSQL + ${c.redis.toFixed(3)} ms Redis` : "not available (needs Linux /proc)";
  say(`  bare Express request (A)                        ${costLine(costA)}`);
  say(`  Parley delivery (accept, ingest, socket push)   ${costLine(costP)}`);
  say(`  no-op BullMQ job (B)                            ${costLine(costB)}`);
  say("  (Node excludes the load generator's thread; Parley's Node time includes its queue workers.)");
  say("");
  say(table(["metric", "Parley", "ceiling", "ratio"], rows));
  say("");
  say("ratio = Parley ÷ ceiling: a share of the ceiling for rates, a multiple of it for latencies.");
  say(`A = bare Express 5 endpoint (same route and body, no database or queue): ${ceilingA.accepted} requests in ${seconds(ceilingA.elapsedMs / 1000)}.`);
  say(
    `B = no-op BullMQ 5 job with Parley's job options: latency is queue.add → processor start over ${ceilingB.latency.count} sequential jobs; ` +
      `rate is ${ceilingB.throughput.jobs} jobs added (${P.bullAddConcurrency} in flight) and completed (worker concurrency ${P.bullWorkerConcurrency}).`,
  );
  say(
    `Parley ran role "all" (HTTP server and queue workers in one Node process, as in a small deployment), started with the ` +
      `test helper (fresh schema, LOG_LEVEL=error, no demo data); ${load.accepted} distinct signed events over ${P.contacts} contacts, counting only 200 "accepted".`,
  );
  say(
    `The load generator runs in a worker thread of the bench process; the socket client and the sequential webhooks run on the main thread beside Parley. ` +
      `Webhook → socket is measured from just before the POST to the message.created event for that message (200 answer alone: p50 ${ms(answerLat.p50)}).`,
  );
  if (reports) say(reportsTable(reports));
  say("");
  say(`Whole bench: ${seconds((Date.now() - started) / 1000)}.`);

  if (process.env.BENCH_JSON) {
    const out = {
      date: new Date().toISOString(),
      quick,
      params: P,
      machine: m,
      ceilingA: { accepted: ceilingA.accepted, elapsedMs: ceilingA.elapsedMs, perSecond: ceilingARate, latency: ceilingALat },
      webhooks: { sent: load.sent, accepted: load.accepted, others: load.others, elapsedMs: load.elapsedMs, perSecond: webhookRate, latency: webhookLat },
      ingest: { ingested, perSecond: ingestRate, duringLoad: ingestDuringLoad, backlogAtLoadEnd: atLoadEnd.pending, drainSeconds, series: series.map((s) => ({ t: Math.round(s.at - loadStart), processed: s.processed - before.processed, pending: s.pending })) },
      pool: { duringLoad: poolDuringLoad },
      cpuPerOperationMs: { ceilingA: costA, parleyDelivery: costP, ceilingB: costB },
      loadGeneratorCpuSeconds: { ceilingA: ceilingA.cpuSeconds, parley: load.cpuSeconds },
      socket: { latency: socketLat, answer: answerLat },
      ceilingB,
      reports,
      cpu,
    };
    writeFileSync(process.env.BENCH_JSON, JSON.stringify(out, null, 2) + "\n");
    say(`Results written to ${process.env.BENCH_JSON}.`);
  }
}

let code = 0;
try {
  await main();
} catch (err) {
  code = 1;
  console.error(`\nbench failed: ${(err as Error).message}`);
  if (process.env.BENCH_DEBUG) console.error(err);
} finally {
  await cleanupAll();
}
process.exit(interrupted ? 130 : code);
