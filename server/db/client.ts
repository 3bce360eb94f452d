import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "./schema.js";
import type { Logger } from "../logger.js";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Db | Tx;

export type Database = { db: Db; close(): Promise<void> };

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
const MIGRATION_LOCK = 7_245_001;
/** How long an idle pooled connection is kept open (see the pool below). */
const IDLE_CONNECTION_MS = 5 * 60_000;

/** Opens PostgreSQL (DATABASE_URL) or PGlite under dataDir ("memory://" for a throw-away one) and migrates it. */
export async function openDatabase(opts: { url?: string; schema: string; dataDir: string; poolSize?: number; log?: Logger }): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.schema, opts.poolSize ?? 20, opts.log);
  return openPglite(opts.dataDir);
}

async function openPglite(dataDir: string): Promise<Database> {
  // pg_trgm backs the contact-name search index (migration 0010); PGlite loads contrib extensions here.
  const extensions = { pg_trgm };
  let client: PGlite;
  if (dataDir === "memory://") {
    client = new PGlite({ extensions });
  } else {
    const dir = path.resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir, { extensions });
  }
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  await migratePglite(drizzlePglite(client), { migrationsFolder });
  return { db, close: () => client.close() };
}

async function openPostgres(url: string, schemaName: string, poolSize: number, log?: Logger): Promise<Database> {
  let lastWarned = 0;
  // A lost connection emits 'error' on its client; unhandled, that would end the process. Handled,
  // the query in flight fails (and is retried by its job), and the pool opens a new connection.
  const onError = (err: Error) => {
    if (Date.now() - lastWarned < 10_000) return;
    lastWarned = Date.now();
    log?.warn("postgresql connection error", { error: err });
  };
  const setup = new pg.Client({ connectionString: url });
  setup.on("error", onError);
  await setup.connect();
  try {
    // Several processes may start at once: one migrates, the others wait for it.
    await setup.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await setup.query(`create schema if not exists "${schemaName}"`);
    await setup.query(`set search_path to "${schemaName}"`);
    await migratePg(drizzlePg(setup), { migrationsFolder, migrationsSchema: schemaName });
  } finally {
    await setup.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    await setup.end();
  }
  // Idle connections are kept for minutes, not pg-pool's 10 s: under a steady load the pool hands out
  // its most recently used connections first, so the rest sat idle 10 s, were closed, and were opened
  // again at the next spike (about two a second at 500 deliveries/s). Each new connection costs a
  // PostgreSQL process, a login, and the prepared statements' parse and plan again, while a query waits.
  //
  // Connections are pipelined: statements sent on one connection before the first has answered go
  // out at once, and PostgreSQL answers them in order (node-postgres's `pipeline`). Code that awaits
  // each statement works as before; the ingest batch sends its independent statements together, so
  // that a batch costs a few round trips rather than one per statement (docs/performance.md). An
  // error fails its own statement; inside a transaction the ones behind it then fail too, as always.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c search_path="${schemaName}"`,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: IDLE_CONNECTION_MS,
    pipeline: true,
  });
  pool.on("error", onError); // an idle client's lost connection is replaced on next use
  // pg-pool removes its own listener while a client is checked out: keep one for the whole life.
  pool.on("connect", (client) => client.on("error", onError));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return { db, close: () => pool.end() };
}
