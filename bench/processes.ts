/**
 * `npm run bench:processes`: Parley as production runs it, measured from outside. Needs the build
 * (`npm run build`): every role is one `node dist/server/main.js` process.
 *
 * Two set-ups, one after the other:
 *  - scaled: a `server` and a `worker` process on PostgreSQL and Redis (a fresh schema and key prefix,
 *    removed at the end);
 *  - embedded: one process on PGlite in a temporary DATA_DIR, as `npm start` runs it.
 * For each: (1) a burst from 32 keep-alive connections: accepted/s, and deliveries fully ingested/s
 * from its start until the last one is processed; (2) an open-loop 1,000 webhooks/s: the answer's
 * p50/p99, timed from each request's scheduled send time; (3) an open-loop 500 webhooks/s with an
 * agent's socket open: webhook → socket p50/p99; (4) each process's RSS once BENCH_EVENTS events
 * (default 100,000) were ingested in total. Ingest progress is read from each process's /metrics.
 * Also: the memory of an idle `npm start` process tree next to one idle `node dist/server/main.js`.
 *
 * BENCH_QUICK=1: short phases and 5,000 events (checks the bench, not figures to quote).
 * BENCH_PACED_RATE and BENCH_SOCKET_RATE change the two open-loop rates (for a slower machine);
 * BENCH_SOCKET_SECONDS the length of the socket phase (e.g. the full 60 s with BENCH_QUICK=1).
 * BENCH_KEEP_SCHEMA=1 keeps the scaled run's PostgreSQL schema, to EXPLAIN queries on what it grew.
 * Every answer other than "accepted" is printed by kind (status and code, or the client's error).
 * Memory: RSS and V8 heap of each process every 10,000 events; BENCH_HEAP_SNAPSHOTS=0,50000 takes
 * heap snapshots at those event counts and at the end (into BENCH_HEAP_DIR; compare with
 * bench/heap-diff.ts); BENCH_CHILD_FLAGS passes Node flags (e.g. --max-old-space-size=96) to them.
 * BENCH_TIMELINE=1 prints the socket phase's latencies second by second (by send time), to tell a
 * slow start or a few stalls from a uniformly slow run. BENCH_PACED_SECONDS sets the length of the
 * 1,000/s phase (3 s with BENCH_QUICK=1, else 10 s).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import pg from "pg";
import { ApiClient, createApiChannel } from "../test/helpers/client.js";
import { eventBody, keepAliveAgent, post, runLoadInWorker, signature } from "./loadgen.js";
import { cpuBetween, cpuSecondsOf, cpuSnapshot } from "./cpu.js";
import { ms, perSecond, seconds, summarize, table, timeline, type Summary } from "./stats.js";

const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const quick = process.env.BENCH_QUICK === "1";
const only = process.env.BENCH_ONLY; // "scaled" or "embedded"
const P = {
  burstMs: quick ? 3_000 : 8_000,
  burstMax: quick ? 2_000 : 20_000,
  pacedRate: Number(process.env.BENCH_PACED_RATE || 1_000),
  pacedMs: Number(process.env.BENCH_PACED_SECONDS || (quick ? 3 : 10)) * 1000,
  socketRate: Number(process.env.BENCH_SOCKET_RATE || 500),
  socketMs: Number(process.env.BENCH_SOCKET_SECONDS || (quick ? 5 : 60)) * 1000,
  events: Number(process.env.BENCH_EVENTS || (quick ? 5_000 : 100_000)),
  contacts: Number(process.env.BENCH_CONTACTS || 300),
  drainTimeoutMs: 600_000,
  /** Event counts at which each process writes a heap snapshot (BENCH_HEAP_SNAPSHOTS=20000,60000), into BENCH_HEAP_DIR. */
  heapSnapshotsAt: (process.env.BENCH_HEAP_SNAPSHOTS || "").split(",").filter(Boolean).map(Number),
  heapDir: process.env.BENCH_HEAP_DIR || tmpdir(),
  /** Extra Node flags for the measured processes, e.g. BENCH_CHILD_FLAGS=--max-old-space-size=64 (a leak would crash). */
  childFlags: (process.env.BENCH_CHILD_FLAGS || "").split(" ").filter(Boolean),
  /** BENCH_TIMELINE=1: the socket phase's latencies by the second they were sent in. */
  timeline: process.env.BENCH_TIMELINE === "1",
  /** Memory is printed each time this many more events were ingested while topping up. */
  memoryStep: 10_000,
};
const ADMIN = { email: "bench@bench.local", password: "bench-password-1" };
const root = path.join(path.dirname(new URL(import.meta.url).pathname), "..");
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const say = (line: string) => console.log(line);

// ---- processes ----
type Proc = { role: string; child: ChildProcess; metricsPort: number; output: string[] };
const started: Proc[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startProcess(role: string, args: string[], env: Record<string, string>): Promise<Proc> {
  const metricsPort = await freePort();
  // With heap snapshots asked for, SIGUSR2 makes the process write one (named by pid and time) into heapDir.
  const snapshotFlags = P.heapSnapshotsAt.length ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${P.heapDir}`] : [];
  const child = spawn(process.execPath, [...snapshotFlags, ...P.childFlags, path.join(root, "dist/server/main.js"), ...args], {
    env: { ...withoutScaledSettings(), ...env, METRICS_PORT: String(metricsPort), LOG_LEVEL: "error", PARLEY_DEMO: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const proc: Proc = { role, child, metricsPort, output: [] };
  const keep = (b: Buffer) => proc.output.push(b.toString()) > 50 && proc.output.shift();
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  started.push(proc);
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => null))?.ok === true, `${role} to start`, 300_000, proc);
  return proc;
}

/** This environment without the settings that select scaled mode (each set-up passes its own). */
function withoutScaledSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return env;
}

async function stopProcess(proc: Proc) {
  if (proc.child.exitCode !== null) return;
  const exited = new Promise((r) => proc.child.once("exit", r));
  proc.child.kill("SIGTERM");
  await Promise.race([exited, sleep(20_000)]);
  if (proc.child.exitCode === null) proc.child.kill("SIGKILL");
}

async function waitUntil(fn: () => Promise<boolean>, what: string, timeoutMs: number, proc?: Proc) {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (proc && proc.child.exitCode !== null) throw new Error(`${proc.role} exited (${proc.child.exitCode}) while waiting for ${what}:\n${proc.output.join("")}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Resident memory of a process (MiB), from /proc. */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Each Parley process's CPU, and PostgreSQL's, Redis's and this bench's, from now on: the returned function gives them per delivery. */
function cpuMeter(procs: Proc[]) {
  const before = procs.map((p) => cpuSecondsOf(p.child.pid!));
  const machine = cpuSnapshot();
  return (deliveries: number) => {
    const use = cpuBetween(machine, cpuSnapshot());
    const per = (seconds: number) => `${((seconds * 1000) / deliveries).toFixed(2)} ms`;
    const parts = procs.map((p, i) => `${p.role} ${per(cpuSecondsOf(p.child.pid!) - before[i]!)}`);
    if (use) parts.push(`postgres ${per(use.byGroup.postgres)}`, `redis ${per(use.byGroup.redis)}`, `bench ${per(use.byGroup.bench)}`);
    return parts.join(", ");
  };
}

/** A process and all its descendants, from /proc. */
function processTree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [child, p] of parent) if (p === out[i]) out.push(child);
  return out;
}

/** A process's /metrics page (Prometheus text). */
const metricsOf = async (p: Proc) => (await fetch(`http://127.0.0.1:${p.metricsPort}/metrics`)).text();

/** Deliveries processed so far by the given processes (their parley_ingest_total counters). */
async function processed(procs: Proc[]): Promise<number> {
  let total = 0;
  for (const p of procs) {
    const text = await metricsOf(p);
    for (const line of text.split("\n")) if (line.startsWith("parley_ingest_total{") && line.includes('outcome="processed"')) total += Number(line.split(" ").pop());
  }
  return total;
}

/** Ingest jobs' total wait for a worker and run time so far (seconds, and how many), from the processes' /metrics. */
type JobTimes = { wait: number; run: number; count: number };
async function ingestJobTimes(procs: Proc[]): Promise<JobTimes> {
  const t: JobTimes = { wait: 0, run: 0, count: 0 };
  for (const p of procs) {
    const text = await metricsOf(p);
    for (const line of text.split("\n")) {
      if (!line.includes('queue="ingest"')) continue;
      const value = Number(line.split(" ").pop());
      if (line.startsWith("parley_job_wait_seconds_sum{")) t.wait += value;
      else if (line.startsWith("parley_job_wait_seconds_count{")) t.count += value;
      else if (line.startsWith("parley_job_duration_seconds_sum{")) t.run += value;
    }
  }
  return t;
}

/** A process's memory (MiB) from its /metrics: resident, V8 heap used and reserved, and external (Buffers). */
type Memory = { rss: number; heapUsed: number; heapTotal: number; external: number };
async function memoryOf(p: Proc): Promise<Memory> {
  const text = await metricsOf(p);
  const mib = (name: string) => Number(new RegExp(`^parley_${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN) / 1024 / 1024;
  return { rss: mib("process_resident_memory_bytes"), heapUsed: mib("nodejs_heap_size_used_bytes"), heapTotal: mib("nodejs_heap_size_total_bytes"), external: mib("nodejs_external_memory_bytes") };
}
async function memoryLine(procs: Proc[]): Promise<string> {
  const all = await Promise.all(procs.map(async (p) => ({ role: p.role, m: await memoryOf(p) })));
  return all.map(({ role, m }) => `${role} RSS ${m.rss.toFixed(0)}, heap ${m.heapUsed.toFixed(0)} used / ${m.heapTotal.toFixed(0)}, external ${m.external.toFixed(0)} MiB`).join("; ");
}

/**
 * Until stopped: prints each process's memory every P.memoryStep events ingested, and asks each for a
 * heap snapshot (SIGUSR2) when the count passes one of P.heapSnapshotsAt.
 */
function watchMemory(procs: Proc[]): () => Promise<void> {
  let stopped = false;
  let nextLine = P.memoryStep;
  const snapshots = [...P.heapSnapshotsAt].sort((a, b) => a - b);
  const loop = (async () => {
    while (!stopped) {
      const done = await processed(procs).catch(() => 0);
      if (done >= nextLine) {
        say(`    after ${done} events: ${await memoryLine(procs).catch((err: Error) => err.message)}`);
        nextLine = (Math.floor(done / P.memoryStep) + 1) * P.memoryStep;
      }
      while (snapshots.length && done >= snapshots[0]!) {
        snapshots.shift();
        for (const p of procs) p.child.kill("SIGUSR2");
        say(`    heap snapshots asked for at ${done} events (pids ${procs.map((p) => p.child.pid).join(", ")}, in ${P.heapDir})`);
      }
      await sleep(1_000);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

/** Snapshots written so far by a process (Node names them Heap.<date>.<time>.<pid>.<thread>.<seq>.heapsnapshot). */
const snapshotsOf = (pid: number) => readdirSync(P.heapDir).filter((f) => f.endsWith(".heapsnapshot") && f.split(".")[3] === String(pid)).length;

/** One more heap snapshot of each process, idle after the run, waited for (the process is paused meanwhile). */
async function lastSnapshots(procs: Proc[]) {
  for (const p of procs) {
    const before = snapshotsOf(p.child.pid!);
    p.child.kill("SIGUSR2");
    await waitUntil(async () => snapshotsOf(p.child.pid!) > before, `${p.role}'s heap snapshot`, 120_000, p);
  }
  await sleep(3_000); // the file appears before it is complete
  say(`    last heap snapshots written (pids ${procs.map((p) => p.child.pid).join(", ")}, in ${P.heapDir})`);
}

// ---- load ----
/** Non-accepted answers by kind ("HTTP 503 <code>", "error: <message>"), so that none goes unexplained. */
type Others = Record<string, number>;
type Paced = { sent: number; accepted: number; others: Others; answer: Summary; socket: Summary | null; elapsedMs: number };

/** Parley's error code (`{ error, code }`), or a webhook ack's status ("duplicate"), or the text's start. */
function answerCode(text: string): string {
  try {
    const parsed = JSON.parse(text) as { code?: string; status?: string; error?: string };
    return parsed.code ?? parsed.status ?? String(parsed.error ?? "").slice(0, 80);
  } catch {
    return text.slice(0, 80);
  }
}

/** A short, stable label for an answer that was not "accepted": status and error code, or the client error. */
function otherKind(res: { status: number; text: string } | null, err?: unknown): string {
  if (!res) {
    const e = err as NodeJS.ErrnoException;
    return `error: ${e?.code ?? ""} ${e?.message ?? String(err)}`.replace(/\s+/g, " ").trim();
  }
  const code = answerCode(res.text);
  return `HTTP ${res.status} ${code}`.trim();
}

const describeOthers = (others: Others) =>
  Object.entries(others)
    .map(([kind, n]) => `${n} × ${kind}`)
    .join("; ");
const countOthers = (others: Others) => Object.values(others).reduce((a, b) => a + b, 0);
const sayOthers = (others: Others) => countOthers(others) > 0 && say(`  not accepted: ${describeOthers(others)}`);
/** The closed-loop generator counts by status only (0: no answer), and keeps the first problem's text. */
const sayLoadOthers = (r: { others: Others; firstProblem: string | null }) =>
  countOthers(r.others) > 0 && say(`  not accepted: ${describeOthers(Object.fromEntries(Object.entries(r.others).map(([s, n]) => [`status ${s}`, n])))}; first: ${r.firstProblem}`);

/**
 * Sends `rate` signed webhooks per second for `durationMs` on schedule, whatever the answers (open
 * loop): latencies count from the scheduled time, so a stall shows in them instead of hiding.
 */
async function paced(url: URL, secret: string, runId: string, rate: number, durationMs: number, socket: ApiClient | null): Promise<Paced> {
  const agent = keepAliveAgent(512);
  const total = Math.round((rate * durationMs) / 1000);
  const answers: number[] = [];
  const arrivals: number[] = [];
  const stored: number[] = [];
  const pushed: number[] = [];
  const sentAt: number[] = []; // beside arrivals: when each arrived message was due to be sent
  const due = new Map<string, number>();
  let accepted = 0;
  const others: Others = {};
  const other = (kind: string) => void (others[kind] = (others[kind] ?? 0) + 1);
  let ws: Awaited<ReturnType<ApiClient["socket"]>> | null = null;
  if (socket) {
    ws = await socket.socket();
    ws.socket.on("message.created", (payload: { message?: { externalId?: string | null; createdAt?: string } }) => {
      const at = performance.now();
      const t = due.get(payload?.message?.externalId ?? "");
      if (t === undefined) return;
      arrivals.push(at - t);
      sentAt.push(t);
      // Where the time went: the message's createdAt is the worker's clock when it applied the
      // delivery (same machine), so webhook → stored and stored → on the agent's socket split it.
      const created = Date.parse(payload.message?.createdAt ?? "");
      if (Number.isFinite(created)) {
        stored.push(created - (performance.timeOrigin + t));
        pushed.push(performance.timeOrigin + at - created);
      }
    });
  }
  const pending: Array<Promise<void>> = [];
  const start = performance.now() + 5;
  let i = 0;
  while (i < total) {
    const now = performance.now();
    while (i < total && start + (i * 1000) / rate <= now) {
      const at = start + (i * 1000) / rate;
      const { body, messageId } = eventBody(runId, i, P.contacts);
      due.set(messageId, at);
      pending.push(
        post(agent, url, body, { "x-parley-signature": signature(secret, body) }).then(
          (res) => {
            if (res.status === 200 && res.text.includes('"accepted"')) {
              accepted++;
              answers.push(performance.now() - at);
            } else other(otherKind(res));
          },
          (err: unknown) => other(otherKind(null, err)),
        ),
      );
      i++;
    }
    await sleep(1);
  }
  await Promise.all(pending);
  const elapsedMs = performance.now() - start;
  if (ws) {
    await waitUntil(async () => arrivals.length >= accepted, "every message on the socket", 120_000).catch(() => {});
    ws.close();
  }
  agent.destroy();
  if (ws && stored.length) {
    const st = summarize(stored);
    const pu = summarize(pushed);
    say(`    of which webhook → stored p50 ${ms(st.p50)}, p99 ${ms(st.p99)}; stored → socket p50 ${ms(pu.p50)}, p99 ${ms(pu.p99)}`);
  }
  if (ws && P.timeline) say(timeline(sentAt.map((t) => t - start), arrivals, 1000));
  return { sent: total, accepted, others, answer: summarize(answers), socket: ws ? summarize(arrivals) : null, elapsedMs };
}

type SetupResult = {
  name: string;
  burst: { accepted: number; perSecond: number; answer: Summary; ingestPerSecond: number; drainSeconds: number };
  paced: Paced;
  sustained: Paced;
  rss: Array<{ role: string; startMiB: number; endMiB: number }>;
  events: number;
  load: string;
};

async function runSetup(name: string, procs: Proc[], http: Proc): Promise<SetupResult> {
  say(`… ${name}: ${procs.map((p) => `${p.role} (pid ${p.child.pid})`).join(", ")}`);
  const base = `http://127.0.0.1:${(http as Proc & { port: number }).port}`;
  await waitUntil(async () => (await fetch(`${base}/api/health`).catch(() => null))?.ok === true, "the HTTP server", 60_000, http);
  const admin = await ApiClient.login(base, ADMIN.email, ADMIN.password);
  const channel = await createApiChannel(admin, { name: "Bench channel" });
  const url = new URL(`/webhooks/api/${channel.id}`, base);
  const startRss = procs.map((p) => rssMiB(p.child.pid!));
  let accepted = 0;
  const drained = async (timeoutMs = P.drainTimeoutMs) => {
    // A process writing a heap snapshot does not answer /metrics for a while: keep waiting.
    await waitUntil(async () => (await processed(procs).catch(() => -1)) >= accepted, `${accepted} deliveries ingested`, timeoutMs);
    return performance.timeOrigin + performance.now();
  };

  const warm = await runLoadInWorker({ url: url.href, secret: channel.secret, runId: `${name}-warm`, contacts: P.contacts, concurrency: 32, durationMs: 3_000, maxRequests: 500 });
  accepted += warm.accepted;
  sayLoadOthers(warm);
  await drained();
  const stopWatching = watchMemory(procs);

  say(`  burst: 32 connections, ${P.burstMs / 1000} s or ${P.burstMax} requests`);
  const burst = await runLoadInWorker({ url: url.href, secret: channel.secret, runId: `${name}-burst`, contacts: P.contacts, concurrency: 32, durationMs: P.burstMs, maxRequests: P.burstMax });
  accepted += burst.accepted;
  const doneAt = await drained();
  const burstResult = {
    accepted: burst.accepted,
    perSecond: burst.accepted / (burst.elapsedMs / 1000),
    answer: summarize(burst.latenciesMs),
    ingestPerSecond: burst.accepted / ((doneAt - burst.startedAt) / 1000),
    drainSeconds: (doneAt - (burst.startedAt + burst.elapsedMs)) / 1000,
  };
  say(`  ${burst.accepted} accepted (${perSecond(burstResult.perSecond)}), all ingested at ${perSecond(burstResult.ingestPerSecond)}`);
  sayLoadOthers(burst);

  say(`  paced: ${P.pacedRate}/s for ${P.pacedMs / 1000} s`);
  const pacedResult = await paced(url, channel.secret, `${name}-paced`, P.pacedRate, P.pacedMs, null);
  accepted += pacedResult.accepted;
  await drained();
  say(`  ${pacedResult.accepted} of ${pacedResult.sent} accepted; answer p50 ${ms(pacedResult.answer.p50)}, p99 ${ms(pacedResult.answer.p99)}`);
  sayOthers(pacedResult.others);

  say(`  sustained with an agent's socket: ${P.socketRate}/s for ${P.socketMs / 1000} s`);
  const jobsBefore = await ingestJobTimes(procs);
  const cpu = cpuMeter(procs);
  const sustained = await paced(url, channel.secret, `${name}-socket`, P.socketRate, P.socketMs, admin);
  accepted += sustained.accepted;
  await drained();
  // CPU per delivery counts less on how busy the machine is than the latencies do: it compares commits.
  say(`    CPU per delivery: ${cpu(sustained.accepted)}`);
  const jobsAfter = await ingestJobTimes(procs);
  const jobs = jobsAfter.count - jobsBefore.count;
  if (jobs > 0) {
    const mean = (a: number, b: number) => ms(((a - b) / jobs) * 1000);
    say(`    ingest jobs: ${jobs}, mean wait for a worker ${mean(jobsAfter.wait, jobsBefore.wait)}, mean run ${mean(jobsAfter.run, jobsBefore.run)}`);
  }
  say(`  ${sustained.accepted} of ${sustained.sent} accepted; webhook → socket p50 ${ms(sustained.socket!.p50)}, p99 ${ms(sustained.socket!.p99)}`);
  sayOthers(sustained.others);

  const rest = P.events - accepted;
  if (rest > 0) {
    say(`  topping up to ${P.events} events (${rest} more, 32 connections)`);
    const top = await runLoadInWorker({ url: url.href, secret: channel.secret, runId: `${name}-top`, contacts: P.contacts, concurrency: 32, durationMs: 900_000, maxRequests: rest });
    accepted += top.accepted;
    sayLoadOthers(top);
    await drained();
  }
  await stopWatching();
  await sleep(2_000);
  say(`  memory at the end: ${await memoryLine(procs)}`);
  if (P.heapSnapshotsAt.length) await lastSnapshots(procs);
  const rss = procs.map((p, i) => ({ role: p.role, startMiB: startRss[i]!, endMiB: rssMiB(p.child.pid!) }));
  say(`  RSS after ${accepted} events: ${rss.map((r) => `${r.role} ${r.endMiB.toFixed(0)} MiB (at start ${r.startMiB.toFixed(0)})`).join(", ")}`);
  return { name, burst: burstResult, paced: pacedResult, sustained, rss, events: accepted, load: os.loadavg().map((l) => l.toFixed(2)).join(" ") };
}

async function scaledSetup(): Promise<SetupResult> {
  const id = randomBytes(5).toString("hex");
  const schema = `bench_${id}`;
  const prefix = `parley-bench-${id}`;
  const files = mkdtempSync(path.join(tmpdir(), "parley-bench-files-"));
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    // BENCH_KEEP_SCHEMA=1 leaves the data for EXPLAIN on the tables as the bench grew them (drop it after).
    if (process.env.BENCH_KEEP_SCHEMA === "1") say(`  kept schema ${schema}`);
    else await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(files, { recursive: true, force: true });
  });
  const port = await freePort();
  const env = {
    DATABASE_URL,
    REDIS_URL,
    DATABASE_SCHEMA: schema,
    REDIS_PREFIX: prefix,
    ATTACHMENTS_DIR: files,
    PARLEY_SECRET_KEY: randomBytes(32).toString("hex"),
    PARLEY_ADMIN_EMAIL: ADMIN.email,
    PARLEY_ADMIN_PASSWORD: ADMIN.password,
    PORT: String(port),
  };
  const server = Object.assign(await startProcess("server", ["server"], env), { port });
  const worker = await startProcess("worker", ["worker"], env);
  try {
    return await runSetup("scaled", [server, worker], server);
  } finally {
    await stopProcess(server);
    await stopProcess(worker);
  }
}

async function embeddedSetup(): Promise<SetupResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "parley-bench-data-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const env = { DATA_DIR: dir, PARLEY_ADMIN_EMAIL: ADMIN.email, PARLEY_ADMIN_PASSWORD: ADMIN.password, PORT: String(port) };
  const all = Object.assign(await startProcess("all (embedded)", [], env), { port });
  try {
    return await runSetup("embedded", [all], all);
  } finally {
    await stopProcess(all);
  }
}

/** Idle memory of `npm start` (npm, tsx and the server it runs) against one built `node` process. */
async function idleMemory(): Promise<{ npmStartMiB: number; npmStartProcesses: number; nodeDistMiB: number }> {
  const measure = async (command: string, args: string[]) => {
    const dir = mkdtempSync(path.join(tmpdir(), "parley-bench-idle-"));
    const port = await freePort();
    const child = spawn(command, args, {
      cwd: root,
      env: { ...withoutScaledSettings(), DATA_DIR: dir, PORT: String(port), PARLEY_DEMO: "0", LOG_LEVEL: "error" },
      stdio: "ignore",
      detached: true, // its own process group: stopped as a whole below
    });
    try {
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok === true, `${command} to start`, 90_000);
      await sleep(3_000);
      const pids = processTree(child.pid!);
      return { mib: pids.reduce((sum, pid) => sum + (existsSync(`/proc/${pid}`) ? rssMiB(pid) : 0), 0), processes: pids.length };
    } finally {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        /* already gone */
      }
      await sleep(2_000);
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const npmStart = await measure("npm", ["start"]);
  const nodeDist = await measure(process.execPath, ["dist/server/main.js"]);
  return { npmStartMiB: npmStart.mib, npmStartProcesses: npmStart.processes, nodeDistMiB: nodeDist.mib };
}

async function main() {
  if (!existsSync(path.join(root, "dist/server/main.js"))) throw new Error("dist/server/main.js is missing: run `npm run build` first");
  say(`Parley process bench${quick ? " (BENCH_QUICK=1: not figures to quote)" : ""}, ${new Date().toISOString()}`);
  say(`  machine: ${os.cpus()[0]?.model.trim()}, ${os.cpus().length} cores; load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const results: SetupResult[] = [];
  if (only !== "embedded") results.push(await scaledSetup());
  if (only !== "scaled") results.push(await embeddedSetup());
  const idle = process.env.BENCH_SKIP_IDLE ? null : await idleMemory();

  const col = (f: (r: SetupResult) => string) => results.map(f);
  say("");
  say(
    table(
      ["metric", ...results.map((r) => r.name)],
      [
        ["webhooks accepted/s (32 conns)", ...col((r) => perSecond(r.burst.perSecond))],
        ["deliveries fully ingested/s (burst start → all processed)", ...col((r) => perSecond(r.burst.ingestPerSecond))],
        ["backlog drained after the burst", ...col((r) => seconds(r.burst.drainSeconds))],
        [`answer p50 / p99 at ${P.pacedRate}/s`, ...col((r) => `${ms(r.paced.answer.p50)} / ${ms(r.paced.answer.p99)} (${r.paced.accepted}/${r.paced.sent})`)],
        [`webhook → socket p50 / p99 at ${P.socketRate}/s for ${P.socketMs / 1000} s`, ...col((r) => `${ms(r.sustained.socket!.p50)} / ${ms(r.sustained.socket!.p99)} (${r.sustained.socket!.count}/${r.sustained.sent})`)],
        ["RSS per process after the run", ...col((r) => r.rss.map((x) => `${x.role} ${x.endMiB.toFixed(0)} MiB`).join(", "))],
        ["events in total", ...col((r) => String(r.events))],
        ["load average at the end (1/5/15 min)", ...col((r) => r.load)],
      ],
    ),
  );
  if (idle) {
    say("");
    say(`Idle, embedded: \`npm start\` = ${idle.npmStartProcesses} processes, ${idle.npmStartMiB.toFixed(0)} MiB RSS in total; \`node dist/server/main.js\` = 1 process, ${idle.nodeDistMiB.toFixed(0)} MiB.`);
  }
}

let code = 0;
try {
  await main();
} catch (err) {
  code = 1;
  console.error(`\nbench failed: ${(err as Error).message}`);
} finally {
  for (const p of started) await stopProcess(p).catch(() => {});
  for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch((err) => console.error(`cleanup failed: ${(err as Error).message}`));
}
process.exit(code);
