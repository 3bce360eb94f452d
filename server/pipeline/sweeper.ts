import { and, desc, eq, gt, inArray, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import { botReplyJob } from "../../bots/bot-reply.job.js";
import { dryRunJob } from "../../bots/dry-run/dry-run.job.js";
import { enqueue, type Ctx } from "../context.js";
import { botDryRuns, conversations, inboundEvents, messages } from "../db/schema.js";
import { sweepAssignment } from "../domain/assignment.js";
import { sweepSla } from "../domain/sla-timer.job.js";
import { sweepSnoozed } from "../domain/snooze.job.js";
import { ingestJob } from "./ingest.job.js";
import { outboundSendJob } from "./outbound-send.job.js";
import { sweepMedia } from "../media/media-sweep.js";

/**
 * Finds durable work whose queue job was lost (Redis restarted, a process died, the embedded queue
 * went down with its process) and enqueues it again under the same job id, so nothing is done twice.
 */
export async function sweep(ctx: Ctx): Promise<{ events: number; messages: number; bot: number; dryRuns: number; media: number; sla: { breaches: number; warnings: number }; assignment: { requeued: number; assigned: number }; snoozed: number }> {
  const before = new Date(Date.now() - ctx.config.SWEEP_AFTER_MS);
  const events = await ctx.db
    .select({ id: inboundEvents.id })
    .from(inboundEvents)
    // Each try is counted in the row and pushes next_attempt_at back (see ingest.job.ts): a delivery
    // that keeps failing is taken ever less often, then marked failed by the job.
    .where(
      and(
        eq(inboundEvents.status, "pending"),
        lt(inboundEvents.receivedAt, before),
        or(isNull(inboundEvents.nextAttemptAt), lte(inboundEvents.nextAttemptAt, sql`now()`)),
      ),
    )
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

  // Bot dry runs queued or running whose progress stopped: the job resumes after its last stored item.
  const runs = await ctx.db
    .select({ id: botDryRuns.id })
    .from(botDryRuns)
    .where(and(inArray(botDryRuns.status, ["queued", "running"]), lt(botDryRuns.updatedAt, before)))
    .limit(50);
  for (const r of runs) await enqueue(ctx, dryRunJob, { runId: r.id }, { jobId: `dry-run-${r.id}` });

  const media = await sweepMedia(ctx, before);

  if (events.length || queued.length || latest.length || runs.length || media.fetches) {
    ctx.log.info("sweeper re-enqueued work", { events: events.length, messages: queued.length, bot: latest.length, dryRuns: runs.length, media: media.fetches });
  }
  // Durable timers and queues: SLA deadlines due by ctx.clock, and team queues someone could serve.
  const sla = await sweepSla(ctx);
  const assignment = await sweepAssignment(ctx);
  const snoozed = await sweepSnoozed(ctx);
  if (sla.breaches || sla.warnings || assignment.requeued || assignment.assigned || snoozed) ctx.log.info("sweeper fired due work", { ...sla, ...assignment, snoozed });
  return { events: events.length, messages: queued.length, bot: latest.length, dryRuns: runs.length, media: media.fetches, sla, assignment, snoozed };
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
