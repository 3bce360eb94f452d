/**
 * `npx tsx bench/statements.ts`: how many SQL statements and transactions Parley sends per ingested
 * delivery (accept, ingest, socket push). Unlike the rates, this does not depend on how busy the
 * machine is, so it compares commits fairly on a shared machine.
 *
 * Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; local defaults). Starts Parley (role "all")
 * through the test helper, sends BENCH_EVENTS (default 1,000) signed webhooks from 32 connections
 * over 300 contacts, waits until all are ingested, and counts every statement the process sent,
 * every Redis command, and the process's CPU time (without the load generator's thread) per delivery.
 */
import { Redis } from "ioredis";
import pg from "pg";
import { startProfile } from "./profile.js";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/test";
process.env.REDIS_URL ||= "redis://127.0.0.1:6379";

// Every statement any pg client of this process sends (Parley's pool; this script polls with its own client, subtracted below).
let statements = 0;
let commits = 0;
let counting = false;
const byText = new Map<string, number>();
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string })?.text;
  if (text && /^\s*commit\b/i.test(text)) commits++;
  if (counting && text) byText.set(text.slice(0, 90), (byText.get(text.slice(0, 90)) ?? 0) + 1);
  return original.apply(this, args);
} as typeof pg.Client.prototype.query;

// Every Redis command any ioredis client of this process sends (BullMQ, the Socket.IO adapter, rate limits); a pipeline's commands count one by one.
let redisCommands = 0;
const sendCommand = Redis.prototype.sendCommand as (...args: unknown[]) => unknown;
Redis.prototype.sendCommand = function (this: Redis, ...args: unknown[]) {
  redisCommands++;
  return sendCommand.apply(this, args);
} as typeof Redis.prototype.sendCommand;

const { startTestParley, ADMIN } = await import("../test/helpers/parley.js");
const { ApiClient, createApiChannel } = await import("../test/helpers/client.js");
const { runLoadInWorker } = await import("./loadgen.js");

const events = Number(process.env.BENCH_EVENTS || 1000);
const parley = await startTestParley({ env: { LOG_LEVEL: "error", DATABASE_POOL_SIZE: "20" } });
try {
  const admin = await ApiClient.login(parley.url, ADMIN.email, ADMIN.password);
  const channel = await createApiChannel(admin, { name: "Bench channel" });
  const url = new URL(`/webhooks/api/${channel.id}`, parley.url);
  url.hostname = "127.0.0.1";
  const poll = new pg.Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path="${parley.storage.env.DATABASE_SCHEMA}"` });
  await poll.connect();
  const pendingCount = async () => (await poll.query<{ n: number }>("select count(*)::int as n from inbound_events where status = 'pending'")).rows[0]!.n;

  // Warm-up (new contacts and conversations), not counted.
  await runLoadInWorker({ url: url.href, secret: channel.secret, runId: "warm", contacts: 300, concurrency: 32, durationMs: 60_000, maxRequests: 300 });
  while ((await pendingCount()) > 0) await new Promise((r) => setTimeout(r, 100));

  // BENCH_PROFILE=file.cpuprofile: a CPU profile of the counted part only.
  const stopProfile = await startProfile();
  let polls = 0;
  counting = true;
  const cpu0 = process.cpuUsage();
  const s0 = statements;
  const r0 = redisCommands;
  const c0 = commits;
  const load = await runLoadInWorker({ url: url.href, secret: channel.secret, runId: "count", contacts: 300, concurrency: 32, durationMs: 300_000, maxRequests: events });
  for (;;) {
    polls++;
    if ((await pendingCount()) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const cpu = process.cpuUsage(cpu0);
  await stopProfile();
  const nodeMs = (cpu.user + cpu.system) / 1000 - (load.cpuSeconds ?? 0) * 1000;
  const sent = statements - s0 - polls;
  console.log(`${load.accepted} deliveries accepted and ingested (existing contacts and conversations)`);
  console.log(`statements per delivery: ${(sent / load.accepted).toFixed(2)} (${sent} in total)`);
  console.log(`Node CPU per delivery:   ${(nodeMs / load.accepted).toFixed(2)} ms (Parley's process, without the load generator's thread)`);
  console.log(`Redis commands per delivery: ${((redisCommands - r0) / load.accepted).toFixed(2)} (queue, socket adapter and the rest)`);
  console.log(`commits per delivery:    ${((commits - c0) / load.accepted).toFixed(3)} (explicit transactions; single statements commit by themselves)`);
  if (process.env.BENCH_DETAIL) {
    for (const [text, n] of [...byText].sort((a, b) => b[1] - a[1])) console.log(`${(n / load.accepted).toFixed(2).padStart(6)}  ${text}`);
  }
  await poll.end();
} finally {
  await parley.stop();
}
process.exit(0);
