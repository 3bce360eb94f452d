import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { startParley, type Parley, type ProcessRole } from "../../server/app.js";
import { controllableClock, type ControllableClock } from "../../server/infra/clock.js";
import { loadConfig } from "../../server/config.js";
import { createLogger } from "../../server/logger.js";
import { seedFromPgliteTemplate } from "./pglite-template.js";

export const ADMIN = { email: "admin@test.local", password: "admin-password-1" };

/** True when the suite runs against real PostgreSQL and Redis (DATABASE_URL and REDIS_URL set). */
export const scaled = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

export type Storage = { env: Record<string, string>; dispose(): Promise<void> };

/**
 * A place for one test file's data: a fresh PostgreSQL schema and Redis key prefix when scaled, a
 * temporary PGlite directory when embedded. Several Parley instances may share it (restarts).
 */
export function freshStorage(): Storage {
  const id = randomBytes(5).toString("hex");
  if (scaled) {
    const schema = `test_${id}`;
    const prefix = `parley-test-${id}`;
    // Attachment files: one directory shared by every process of the run, as ATTACHMENTS_DIR is in production.
    const files = mkdtempSync(path.join(tmpdir(), "parley-files-"));
    return {
      env: {
        ATTACHMENTS_DIR: files,
        DATABASE_URL: process.env.DATABASE_URL!,
        REDIS_URL: process.env.REDIS_URL!,
        DATABASE_SCHEMA: schema,
        // Test files run side by side (and some start several processes): stay far below max_connections.
        DATABASE_POOL_SIZE: "6",
        REDIS_PREFIX: prefix,
        PARLEY_SECRET_KEY: randomBytes(32).toString("hex"),
      },
      async dispose() {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        await client.query(`drop schema if exists "${schema}" cascade`);
        await client.end();
        const redis = new Redis(process.env.REDIS_URL!);
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
        rmSync(files, { recursive: true, force: true });
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "parley-test-"));
  seedFromPgliteTemplate(dir);
  return { env: { DATA_DIR: dir }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** The settings that say where each platform's API is: the only way to point connectors at a fake. */
export type PlatformUrls = Partial<Record<"META_GRAPH_URL" | "X_API_URL" | "TELEGRAM_API_URL" | "GOOGLE_BUSINESS_URL" | "TRUSTPILOT_API_URL" | "GOOGLE_CERTS_URL", string>>;

export type TestParley = Parley & {
  url: string;
  storage: Storage;
  /**
   * Points this process's platform settings at local fakes started after Parley (whose own URLs they
   * need), as the environment would at start.
   */
  usePlatforms(urls: PlatformUrls): void;
  /** This instance's clock: `advance(ms)` moves timers and deadlines forward without waiting. */
  clock: ControllableClock;
  stop(): Promise<void>;
};

/** Starts a real Parley (HTTP on a free port) on the given storage, with fast retries for tests. */
export async function startTestParley(
  opts: { storage?: Storage; env?: Record<string, string>; role?: ProcessRole; clock?: ControllableClock; logs?: NodeJS.WritableStream } = {},
): Promise<TestParley> {
  const storage = opts.storage ?? freshStorage();
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    PARLEY_DEMO: "0",
    PARLEY_ADMIN_EMAIL: ADMIN.email,
    PARLEY_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
    OUTBOUND_RETRY_BASE_MS: "25",
    OUTBOUND_MAX_ATTEMPTS: "3",
    OUTBOUND_TIMEOUT_MS: "2000",
    SWEEP_INTERVAL_MS: "600000",
    // Local fakes listen on 127.0.0.1; the SSRF tests turn this off again.
    ALLOW_PRIVATE_TARGETS: "1",
    ...storage.env,
    ...opts.env,
  });
  const clock = opts.clock ?? controllableClock();
  // logs: every log line at debug level into that stream, e.g. to check what is never logged.
  const log = opts.logs ? createLogger("debug", {}, opts.logs) : undefined;
  const parley = await startParley(config, { role: opts.role ?? "all", checkResponses: true, clock, ...(log ? { log } : {}) });
  const owned = !opts.storage;
  return {
    ...parley,
    url: parley.url ?? "",
    storage,
    clock,
    usePlatforms(urls) {
      parley.ctx.config = { ...parley.ctx.config, ...urls };
    },
    async stop() {
      await parley.close();
      if (owned) await storage.dispose();
    },
  };
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}
