import type { z } from "zod";
import { botReplyJob } from "../bots/bot-reply.job.js";
import type { Ctx, Job } from "./context.js";
import type { JobHandler, QueueName, RetryPolicy } from "./infra/queue.js";
import { ingestJob } from "./pipeline/ingest.job.js";
import { outboundSendJob } from "./pipeline/outbound-send.job.js";
import { mediaFetchJob } from "./media/media-fetch.job.js";

/** Every job, and how many of each queue's jobs one worker process runs at once. */
export const jobs: Job<z.ZodType>[] = [ingestJob, botReplyJob, outboundSendJob, mediaFetchJob] as Job<z.ZodType>[];
export const concurrency: Record<QueueName, number> = { ingest: 8, bots: 4, outbound: 8, timers: 2, media: 4 };

export function startWorkers(ctx: Ctx) {
  const byQueue = new Map<QueueName, { handlers: Map<string, JobHandler>; retry: Map<string, RetryPolicy> }>();
  for (const job of jobs) {
    const entry = byQueue.get(job.queue) ?? { handlers: new Map(), retry: new Map() };
    const handler: JobHandler = async (payload, jobCtx) => job.handle(job.payload.parse(payload), ctx, jobCtx);
    entry.handlers.set(job.name, handler);
    entry.retry.set(job.name, job.retry(ctx.config));
    byQueue.set(job.queue, entry);
  }
  for (const [queue, { handlers, retry }] of byQueue) ctx.queue.work(queue, handlers, retry, concurrency[queue]);
}
