import { and, eq, lt } from "drizzle-orm";
import { enqueue, type Ctx } from "../context.js";
import { inboundEvents, messages } from "../db/schema.js";
import { ingestJob } from "./ingest.job.js";
import { outboundSendJob } from "./outbound-send.job.js";

/**
 * Finds durable work whose queue job was lost (Redis restarted, a process died, the embedded queue
 * went down with its process) and enqueues it again under the same job id, so nothing is done twice.
 */
export async function sweep(ctx: Ctx): Promise<{ events: number; messages: number }> {
  const before = new Date(Date.now() - ctx.config.SWEEP_AFTER_MS);
  const events = await ctx.db
    .select({ id: inboundEvents.id })
    .from(inboundEvents)
    .where(and(eq(inboundEvents.status, "pending"), lt(inboundEvents.receivedAt, before)))
    .limit(500);
  for (const e of events) await enqueue(ctx, ingestJob, { inboundEventId: e.id }, { jobId: e.id });

  const queued = await ctx.db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.status, "queued"), lt(messages.updatedAt, before)))
    .limit(500);
  for (const m of queued) await enqueue(ctx, outboundSendJob, { messageId: m.id }, { jobId: m.id });

  if (events.length || queued.length) ctx.log.info("sweeper re-enqueued work", { events: events.length, messages: queued.length });
  return { events: events.length, messages: queued.length };
}

/** Sweeps now and then every SWEEP_INTERVAL_MS; the returned stop waits for a sweep in progress. */
export function startSweeper(ctx: Ctx): () => Promise<void> {
  let current: Promise<void> | null = null;
  const tick = () => {
    current ??= sweep(ctx)
      .then(() => undefined)
      .catch((err) => ctx.log.warn("sweep failed", { error: err }))
      .finally(() => {
        current = null;
      });
  };
  tick();
  const timer = setInterval(tick, ctx.config.SWEEP_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await current;
  };
}
