import { z } from "zod";
import { defineJob } from "../context.js";
import { ingestBatcher } from "./ingest-batch.js";

/**
 * Turns a stored delivery into contacts, conversations and messages. Jobs running at the same time
 * are applied together, in batches (ingest-batch.ts); each job ends with its own delivery's outcome.
 */
export const ingestJob = defineJob({
  name: "webhook.ingest",
  queue: "ingest",
  payload: z.object({ inboundEventId: z.uuid() }),
  retry: (c) => ({ attempts: c.INGEST_MAX_ATTEMPTS, backoffMs: 500 }),
  handle: ({ inboundEventId }, ctx, job) => ingestBatcher(ctx).submit(inboundEventId, job.isLastAttempt),
});
