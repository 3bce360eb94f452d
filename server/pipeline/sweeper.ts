import { and, desc, eq, gt, lt, ne } from "drizzle-orm";
import { botReplyJob } from "../../bots/bot-reply.job.js";
import { enqueue, type Ctx } from "../context.js";
import { conversations, inboundEvents, messages } from "../db/schema.js";
import { ingestJob } from "./ingest.job.js";
import { outboundSendJob } from "./outbound-send.job.js";
import { sweepMedia } from "../media/media-sweep.js";

/**
 * Finds durable work whose queue job was lost (Redis restarted, a process died, the embedded queue
 * went down with its process) and enqueues it again under the same job id, so nothing is done twice.
 */
export async function sweep(ctx: Ctx): Promise<{ events: number; messages: number; bot: number; media: number }> {
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

  // Bot-owned conversations whose latest customer message the bot never handled: its job was lost
  // between the commit and the queue (Redis down, process killed).
  const unanswered = await ctx.db
    .select({ conversationId: conversations.id, messageId: messages.id })
    .from(conversations)
    .innerJoin(messages, eq(messages.conversationId, conversations.id))
    .where(
      and(
        eq(conversations.owner, "bot"),
        ne(conversations.status, "resolved"),
        eq(messages.author, "customer"),
        gt(messages.seq, conversations.botHandledSeq),
        lt(messages.createdAt, before),
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(500);
  // Only each conversation's latest message: the bot answers where the customer is now.
  const latest = [...new Map(unanswered.reverse().map((b) => [b.conversationId, b])).values()];
  for (const b of latest) await enqueue(ctx, botReplyJob, b, { jobId: `bot-${b.messageId}` });

  const media = await sweepMedia(ctx, before);

  if (events.length || queued.length || latest.length || media.fetches) {
    ctx.log.info("sweeper re-enqueued work", { events: events.length, messages: queued.length, bot: latest.length, media: media.fetches });
  }
  return { events: events.length, messages: queued.length, bot: latest.length, media: media.fetches };
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
