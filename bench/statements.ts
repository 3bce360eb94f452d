/**
 * `npx tsx bench/statements.ts`: how many SQL statements and transactions Parley sends per ingested
 * delivery (accept, ingest, socket push). Unlike the rates, this does not depend on how busy the
 * machine is, so it compares commits fairly on a shared machine.
 *
 * Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; local defaults). Starts Parley (role "all")
 * through the test helper, sends BENCH_EVENTS (default 1,000) signed webhooks from 32 connections
 * over 300 contacts, waits until all are ingested, and counts every statement the process sent,
 * every Redis command, and the process's CPU time (without the load generator's thread) per delivery.
 * BENCH_RATE=500 paces the webhooks (500 a second) instead: at a steady rate fewer deliveries arrive
 * together, so batches are smaller and each delivery carries more of their fixed cost.
 */
import pg from "pg";
import { startProfile } from "./profile.js";
import { wire } from "./wire-counts.js";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/test";
process.env.REDIS_URL ||= "redis://127.0.0.1:6379";

// Statements the counted part sends, by text (BENCH_DETAIL); this script's own polls are subtracted below.
let counting = false;
const byText = new Map<string, number>();
wire.onStatement = (text) => {
  if (counting) byText.set(text.slice(0, 90), (byText.get(text.slice(0, 90)) ?? 0) + 1);
};

const { startTestParley, ADMIN } = await import("../test/helpers/parley.js");
const { ApiClient, createApiChannel } = await import("../test/helpers/client.js");
const { runLoadInWorker } = await import("./loadgen.js");

const events = Number(process.env.BENCH_EVENTS || 1000);
const rate = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
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
  const s0 = wire.statements;
  const r0 = wire.redisCommands;
  const c0 = wire.commits;
  const load = await runLoadInWorker({ url: url.href, secret: channel.secret, runId: "count", contacts: 300, concurrency: 32, durationMs: 300_000, maxRequests: events, ratePerSecond: rate });
  for (;;) {
    polls++;
    if ((await pendingCount()) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const cpu = process.cpuUsage(cpu0);
  await stopProfile();
  const nodeMs = (cpu.user + cpu.system) / 1000 - (load.cpuSeconds ?? 0) * 1000;
  const sent = wire.statements - s0 - polls;
  console.log(`${load.accepted} deliveries accepted and ingested (existing contacts and conversations)${rate ? `, paced at ${rate}/s` : ", 32 connections as fast as answered"}`);
  console.log(`statements per delivery: ${(sent / load.accepted).toFixed(2)} (${sent} in total)`);
  console.log(`Node CPU per delivery:   ${(nodeMs / load.accepted).toFixed(2)} ms (Parley's process, without the load generator's thread)`);
  console.log(`Redis commands per delivery: ${((wire.redisCommands - r0) / load.accepted).toFixed(2)} (queue, socket adapter and the rest)`);
  console.log(`commits per delivery:    ${((wire.commits - c0) / load.accepted).toFixed(3)} (explicit transactions; single statements commit by themselves)`);
  if (process.env.BENCH_DETAIL) {
    for (const [text, n] of [...byText].sort((a, b) => b[1] - a[1])) console.log(`${(n / load.accepted).toFixed(2).padStart(6)}  ${text}`);
  }
  await poll.end();
} finally {
  await parley.stop();
}
process.exit(0);
