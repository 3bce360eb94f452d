import type { z } from "zod";
import type { Config } from "./config.js";
import type { Db } from "./db/client.js";
import type { Keyring } from "./domain/crypto.js";
import type { Clock } from "./infra/clock.js";
import type { EventBus } from "./infra/event-bus.js";
import type { JobDefinition, QueueDriver } from "./infra/queue.js";
import type { RateLimiter } from "./infra/rate-limiter.js";
import type { Realtime } from "./infra/realtime.js";
import type { Logger } from "./logger.js";
import type { LinkSigner } from "./media/signed-links.js";
import type { StorageDriver } from "./storage/storage.js";

/** Everything a handler needs, built once per process in app.ts. */
export type Ctx = {
  config: Config;
  db: Db;
  queue: QueueDriver;
  bus: EventBus;
  realtime: Realtime;
  keyring: Keyring;
  limiter: RateLimiter;
  log: Logger;
  /** "Now" for timers and deadlines; controllable in tests. */
  clock: Clock;
  /** Where attachment files live (server/storage). */
  storage: StorageDriver;
  /** Expiring links to attachments for platforms and API callbacks. */
  links: LinkSigner;
};

export type Job<S extends z.ZodType> = JobDefinition<S, Ctx, Config>;

export function defineJob<S extends z.ZodType>(def: Job<S>): Job<S> {
  return def;
}

export async function enqueue<S extends z.ZodType>(
  ctx: Ctx,
  job: Job<S>,
  payload: z.infer<S>,
  opts: { jobId: string; delayMs?: number },
): Promise<void> {
  await ctx.queue.enqueue(job.queue, job.name, payload, { ...opts, ...job.retry(ctx.config) });
}
