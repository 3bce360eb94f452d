/**
 * `npm run bench:reports`: only the reports section of `npm run bench` (docs/performance.md), on a
 * fresh Parley on PostgreSQL and Redis; removes its schema and keys at the end.
 */
import { rmSync } from "node:fs";
import { Redis } from "ioredis";
import pg from "pg";
import { reportsTable, runReportsPhase, timeReports, type ReportsPhase } from "./reports.js";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/test";
process.env.REDIS_URL ||= "redis://127.0.0.1:6379";
const quick = process.env.BENCH_QUICK === "1";

const { startTestParley, freshStorage, ADMIN } = await import("../test/helpers/parley.js");
const { ApiClient } = await import("../test/helpers/client.js");
// BENCH_KEEP=1 keeps the seeded schema (its name is printed) to study query plans; drop it by hand after.
// BENCH_SCHEMA=<that name> times the reports again on it, without seeding (and keeps it).
const reuse = process.env.BENCH_SCHEMA;
const fresh = freshStorage();
const storage = reuse ? { env: { ...fresh.env, DATABASE_SCHEMA: reuse }, dispose: fresh.dispose } : fresh;
const keep = process.env.BENCH_KEEP === "1" || !!reuse;
const parley = await startTestParley({ storage, env: { LOG_LEVEL: "error", DATABASE_POOL_SIZE: "20" } });
let code = 0;
const db = new pg.Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path="${parley.storage.env.DATABASE_SCHEMA}"` });
try {
  if (parley.ctx.config.mode !== "scaled") throw new Error("Parley did not start in scaled mode (PostgreSQL + Redis)");
  await db.connect();
  const admin = await ApiClient.login(parley.url, ADMIN.email, ADMIN.password);
  const phase = reuse
    ? await retimeReports(admin, db, quick)
    : await runReportsPhase({ admin, db, quick, step: (line) => console.log(`… ${line}`) });
  console.log(reportsTable(phase));
} catch (err) {
  code = 1;
  console.error(`bench:reports failed: ${(err as Error).message}`);
} finally {
  await db.end().catch(() => undefined);
  await parley.stop();
  if (keep) {
    // Only the schema is kept: the Redis keys and files of this run go.
    const redis = new Redis(process.env.REDIS_URL);
    const keys = await redis.keys(`${storage.env.REDIS_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    if (storage.env.ATTACHMENTS_DIR) rmSync(storage.env.ATTACHMENTS_DIR, { recursive: true, force: true });
    console.log(`kept schema ${storage.env.DATABASE_SCHEMA}`);
  } else await storage.dispose();
}
process.exit(code);

async function retimeReports(admin: Parameters<typeof timeReports>[0], db: pg.Client, quick: boolean): Promise<ReportsPhase> {
  const count = async (table: string) => Number((await db.query(`select count(*) as n from ${table}`)).rows[0].n);
  const rows = { conversations: await count("conversations"), messages: await count("messages"), conversation_events: await count("conversation_events"), metric_samples: await count("metric_samples"), sla_targets: await count("sla_targets") };
  const teamId = (await db.query(`select id from teams where name = 'Reports team 1'`)).rows[0].id as string;
  return { seed: { seconds: 0, rows }, timings: await timeReports(admin, { teamId, runs: quick ? 5 : 20, warmup: quick ? 1 : 3 }) };
}
