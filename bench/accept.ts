/**
 * `npx tsx bench/accept.ts`: the CPU one accepted webhook costs the HTTP server, alone. Starts Parley
 * with role `server` (HTTP only, no queue workers, as `node dist/server/main.js server` runs it) through
 * the test helper on PostgreSQL and Redis, sends BENCH_EVENTS (default 5,000) signed API-channel
 * webhooks from 32 connections after a warm-up, and prints the process's CPU time per accepted webhook
 * (without the load generator's thread) and the rate, then the same for the bare Express ceiling
 * (bench/ceilings.ts) as a reference taken under the same load. The CPU figure depends far less on how busy the
 * machine is than the rate: compare it between commits, alternately.
 *
 * It also counts the SQL statements and Redis commands per accepted webhook (one INSERT and one queue add
 * per group: they show how large the groups were). BENCH_PROFILE=file.cpuprofile records the measured
 * part (read it with bench/profile-summary.ts); BENCH_SPLIT=1 prints user and system CPU apart.
 */
import type { LoadResult } from "./loadgen.js";
import { startProfile } from "./profile.js";
import { wire } from "./wire-counts.js";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/test";
process.env.REDIS_URL ||= "redis://127.0.0.1:6379";


const { startTestParley, ADMIN } = await import("../test/helpers/parley.js");
const { ApiClient, createApiChannel } = await import("../test/helpers/client.js");
const { runLoadInWorker } = await import("./loadgen.js");
const { summarize } = await import("./stats.js");
const { startBareExpress } = await import("./ceilings.js");

const events = Number(process.env.BENCH_EVENTS || 5000);
const parley = await startTestParley({ role: "server", env: { LOG_LEVEL: "error", DATABASE_POOL_SIZE: "20" } });
try {
  const admin = await ApiClient.login(parley.url, ADMIN.email, ADMIN.password);
  const channel = await createApiChannel(admin, { name: "Bench channel" });
  const url = new URL(`/webhooks/api/${channel.id}`, parley.url);
  url.hostname = "127.0.0.1";
  const spec = { url: url.href, secret: channel.secret, contacts: 300, concurrency: 32, durationMs: 300_000 };

  // Warm-up (JIT, prepared statements, pool connections), not counted.
  await runLoadInWorker({ ...spec, runId: "warm", maxRequests: 1000 });

  const stopProfile = await startProfile();
  const [s0, r0] = [wire.statements, wire.redisCommands];
  const { load, cpuUs } = await measured(() => runLoadInWorker({ ...spec, runId: "count", maxRequests: events }));
  const [sqlPer, redisPer] = [(wire.statements - s0) / load.accepted, (wire.redisCommands - r0) / load.accepted];
  await stopProfile();
  if (load.accepted !== events) console.log(`not accepted: ${JSON.stringify(load.others)} ${load.firstProblem ?? ""}`);
  const latency = summarize(load.latenciesMs);
  console.log(`${load.accepted} webhooks accepted in ${(load.elapsedMs / 1000).toFixed(1)} s: ${Math.round(load.accepted / (load.elapsedMs / 1000))}/s`);
  console.log(`Node CPU per accepted webhook: ${(cpuUs / load.accepted).toFixed(0)} µs (role server, without the load generator's thread)`);
  console.log(`per accepted webhook: ${sqlPer.toFixed(3)} SQL statements, ${redisPer.toFixed(3)} Redis commands`);
  console.log(`answer p50 / p99: ${latency.p50.toFixed(1)} / ${latency.p99.toFixed(1)} ms (32 connections)`);

  const bare = await startBareExpress();
  try {
    const bareSpec = { ...spec, url: bare.url };
    await runLoadInWorker({ ...bareSpec, runId: "bare-warm", maxRequests: 1000 });
    const { load: bareLoad, cpuUs: bareUs } = await measured(() => runLoadInWorker({ ...bareSpec, runId: "bare", maxRequests: events }));
    const rate = Math.round(bareLoad.accepted / (bareLoad.elapsedMs / 1000));
    const bareCpu = bareUs / bareLoad.accepted;
    console.log(`bare Express, same process: ${rate}/s, ${bareCpu.toFixed(0)} µs CPU per request`);
    console.log(`ratio: ${(cpuUs / load.accepted / bareCpu).toFixed(2)} × bare Express's CPU per request`);
  } finally {
    await bare.close();
  }
} finally {
  await parley.stop();
}

/** Runs a load and returns it with this process's CPU time in µs, less the load generator's thread. */
async function measured(run: () => Promise<LoadResult>): Promise<{ load: LoadResult; cpuUs: number }> {
  const cpu0 = process.cpuUsage();
  const load = await run();
  const cpu = process.cpuUsage(cpu0);
  if (process.env.BENCH_SPLIT) console.log(`user ${(cpu.user / load.accepted).toFixed(0)} µs, system ${(cpu.system / load.accepted).toFixed(0)} µs per request (load generator included)`);
  return { load, cpuUs: cpu.user + cpu.system - (load.cpuSeconds ?? 0) * 1e6 };
}
process.exit(0);
