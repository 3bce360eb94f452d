/**
 * `npm run bench:reports`: only the reports section of `npm run bench` (docs/performance.md), on a
 * fresh Parley on PostgreSQL and Redis; removes its schema and keys at the end.
 */
import pg from "pg";
import { reportsTable, runReportsPhase } from "./reports.js";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/test";
process.env.REDIS_URL ||= "redis://127.0.0.1:6379";
const quick = process.env.BENCH_QUICK === "1";

const { startTestParley, freshStorage, ADMIN } = await import("../test/helpers/parley.js");
const { ApiClient } = await import("../test/helpers/client.js");
// BENCH_KEEP=1 keeps the seeded schema (its name is printed) to study query plans; drop it by hand after.
const storage = freshStorage();
const keep = process.env.BENCH_KEEP === "1";
const parley = await startTestParley({ storage, env: { LOG_LEVEL: "error", DATABASE_POOL_SIZE: "20" } });
let code = 0;
const db = new pg.Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path="${parley.storage.env.DATABASE_SCHEMA}"` });
try {
  if (parley.ctx.config.mode !== "scaled") throw new Error("Parley did not start in scaled mode (PostgreSQL + Redis)");
  await db.connect();
  const admin = await ApiClient.login(parley.url, ADMIN.email, ADMIN.password);
  const phase = await runReportsPhase({ admin, db, quick, step: (line) => console.log(`… ${line}`) });
  console.log(reportsTable(phase));
} catch (err) {
  code = 1;
  console.error(`bench:reports failed: ${(err as Error).message}`);
} finally {
  await db.end().catch(() => undefined);
  await parley.stop();
  if (keep) console.log(`kept schema ${storage.env.DATABASE_SCHEMA}`);
  else await storage.dispose();
}
process.exit(code);
