import type { z } from "zod";
import { botReplyJob } from "../bots/bot-reply.job.js";
import { dryRunJob } from "../bots/dry-run/dry-run.job.js";
import { handoffNotesJob } from "../bots/llm/handoff-notes.job.js";
import type { Ctx, Job } from "./context.js";
import { RetryLater, type JobHandler, type QueueName, type RetryPolicy } from "./infra/queue.js";
import { metrics } from "./infra/metrics.js";
import { isConnectionError } from "./infra/db-errors.js";
import { slaReapplyJob } from "./domain/sla-reapply.job.js";
import { slaTimerJob } from "./domain/sla-timer.job.js";
import { snoozeWakeJob } from "./domain/snooze.job.js";
import { ingestGroupJob, ingestJob } from "./pipeline/ingest.job.js";
import { outboundSendJob } from "./pipeline/outbound-send.job.js";
import { mediaFetchJob } from "./media/media-fetch.job.js";

const DEPENDENCY_RETRY_MS = 5000;

/** Every job, and how many of each queue's jobs one worker process runs at once (ingest jobs mostly wait to be applied together, in batches). */
export const jobs: Job<z.ZodType>[] = [ingestJob, ingestGroupJob, botReplyJob, handoffNotesJob, dryRunJob, outboundSendJob, slaTimerJob, slaReapplyJob, mediaFetchJob, snoozeWakeJob] as Job<z.ZodType>[];
export const concurrency: Record<QueueName, number> = { ingest: 64, bots: 4, outbound: 8, timers: 2, bulk: 1, media: 4 };

/**
 * Starts this process's consumers. A job that fails because the database is unreachable is put back
 * for later without using up an attempt, and `onDependencyError` lets the watcher pause the workers.
 */
export function startWorkers(ctx: Ctx, opts: { onDependencyError?: () => void } = {}) {
  const byQueue = new Map<QueueName, { handlers: Map<string, JobHandler>; retry: Map<string, RetryPolicy> }>();
  for (const job of jobs) {
    const entry = byQueue.get(job.queue) ?? { handlers: new Map(), retry: new Map() };
    const handler: JobHandler = async (payload, jobCtx) => {
      metrics.jobWait.observe({ queue: job.queue, job: job.name }, Math.max(0, Date.now() - jobCtx.readyAt) / 1000);
      const timer = metrics.jobDuration.startTimer({ queue: job.queue, job: job.name });
      try {
        await job.handle(job.payload.parse(payload), ctx, jobCtx);
        timer({ outcome: "ok" });
      } catch (err) {
        if (!(err instanceof RetryLater) && isConnectionError(err)) {
          timer({ outcome: "retry_later" });
          opts.onDependencyError?.();
          throw new RetryLater(DEPENDENCY_RETRY_MS, "the database is unreachable");
        }
        timer({ outcome: err instanceof RetryLater ? "retry_later" : "error" });
        throw err;
      }
    };
    entry.handlers.set(job.name, handler);
    entry.retry.set(job.name, job.retry(ctx.config));
    byQueue.set(job.queue, entry);
  }
  for (const [queue, { handlers, retry }] of byQueue) ctx.queue.work(queue, handlers, retry, concurrency[queue]);
}
