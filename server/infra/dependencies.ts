import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import type { Ctx } from "../context.js";
import { addDependencySource } from "./metrics.js";
import type { RedisOptions } from "./redis-connection.js";

export type Probe = { ok: boolean; latencyMs: number; error?: string };

function timed<T>(work: () => Promise<T>, ms: number): Promise<Probe> {
  const started = performance.now();
  let timer: NodeJS.Timeout;
  return Promise.race([
    work().then(() => ({ ok: true })),
    new Promise<{ ok: false; error: string }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `no answer within ${ms} ms` }), ms);
    }),
  ])
    .catch((err: Error) => ({ ok: false, error: (err.message || err.name || "failed").split("\n")[0]!.slice(0, 200) }))
    .then((r) => {
      clearTimeout(timer);
      return { ...r, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    });
}

export type Dependencies = {
  database(): Promise<Probe>;
  redis(): Promise<Probe> | null;
  queues(): Promise<Probe & { waiting?: Record<string, number> }>;
  /** A job just failed in a way that suggests a dependency is down: look now, not at the next tick. */
  notice(): void;
  stop(): Promise<void>;
};

/**
 * Watches PostgreSQL (and Redis) from this process. While the database is unreachable the workers of
 * this process are paused (no job is started only to fail and use up its attempts); they resume by
 * themselves when it answers again. Transitions are logged once, and shown as parley_dependency_up.
 */
export function watchDependencies(ctx: Ctx, opts: { redis: RedisOptions | null; pauseWorkers: boolean; intervalMs?: number }): Dependencies {
  const client = opts.redis ? new Redis({ ...opts.redis, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: "parley-health" }) : null;
  client?.on("error", () => {}); // its state is reported by the probes below
  const up = { database: true, redis: true };
  const unregister = addDependencySource((): Record<string, boolean> => (client ? { database: up.database, redis: up.redis } : { database: up.database }));

  const deps: Dependencies = {
    database: () => timed(() => ctx.db.execute(sql`select 1`), 3000),
    redis: () => (client ? timed(() => client.ping(), 2000) : null),
    async queues() {
      let waiting: Record<string, number> | undefined;
      const probe = await timed(async () => {
        const counts = await ctx.queue.counts();
        waiting = Object.fromEntries(Object.entries(counts).map(([q, c]) => [q, c?.waiting ?? 0]));
      }, 3000);
      return { ...probe, ...(waiting ? { waiting } : {}) };
    },
    notice: () => void tick(),
    async stop() {
      clearInterval(timer);
      unregister();
      await running;
      client?.disconnect();
    },
  };

  let running: Promise<void> | null = null;
  const tick = () =>
    (running ??= (async () => {
      const [db, redis] = await Promise.all([deps.database(), deps.redis() ?? Promise.resolve(null)]);
      if (db.ok !== up.database) {
        up.database = db.ok;
        if (db.ok) {
          ctx.log.info("database reachable again; workers resume");
          if (opts.pauseWorkers) ctx.queue.resume();
        } else {
          ctx.log.warn("database unreachable; workers pause until it answers", { error: db.error });
          if (opts.pauseWorkers) await ctx.queue.pause().catch(() => {});
        }
      }
      if (redis && redis.ok !== up.redis) {
        up.redis = redis.ok;
        if (redis.ok) ctx.log.info("redis reachable again");
        else ctx.log.warn("redis unreachable; queues wait and reconnect by themselves", { error: redis.error });
      }
    })().finally(() => {
      running = null;
    }));
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 2000);
  timer.unref();
  return deps;
}
