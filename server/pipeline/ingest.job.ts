import { z } from "zod";
import { defineJob, type Ctx } from "../context.js";
import type { JobContext } from "../infra/queue.js";
import { ingestBatcher } from "./ingest-batch.js";

/**
 * Turns a stored delivery into contacts, conversations and messages. Jobs running at the same time
 * are applied together, in batches (ingest-batch.ts); each job ends with its own delivery's outcome.
 * The sweeper enqueues this one, a delivery at a time, under the delivery's id.
 */
export const ingestJob = defineJob({
  name: "webhook.ingest",
  queue: "ingest",
  payload: z.object({ inboundEventId: z.uuid() }),
  retry: (c) => ({ attempts: c.INGEST_MAX_ATTEMPTS, backoffMs: 500 }),
  handle: ({ inboundEventId }, ctx, job) => ingestBatcher(ctx).submit(inboundEventId, job.isLastAttempt),
});

/**
 * The deliveries one grouped accept stored (accept-batch.ts), as one job: queue work (adding,
 * taking and completing a job in Redis) is paid once per group rather than once per delivery.
 * Each delivery still has its own outcome and its own try count in its row: the job waits for all
 * of them and fails (to be retried) if any must be retried; a retry finds the others processed and
 * leaves them alone, so a poison delivery is retried, and finally failed, alone.
 */
export const ingestGroupJob = defineJob({
  name: "webhook.ingest-group",
  queue: "ingest",
  payload: z.object({ inboundEventIds: z.array(z.uuid()).min(1).max(500) }),
  retry: (c) => ({ attempts: c.INGEST_MAX_ATTEMPTS, backoffMs: 500 }),
  handle: ({ inboundEventIds }, ctx, job) => ingestAll(ctx, inboundEventIds, job),
});

async function ingestAll(ctx: Ctx, ids: string[], job: JobContext) {
  const outcomes = await Promise.allSettled(ids.map((id) => ingestBatcher(ctx).submit(id, job.isLastAttempt)));
  const failed = outcomes.find((o) => o.status === "rejected");
  if (failed) throw failed.reason;
}
