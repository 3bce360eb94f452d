import type { z } from "zod";
import type { Logger } from "../logger.js";

/** Separate queues so bulk work never starves live webhooks; `bulk` (dry runs) never delays live bot replies, `media` (file fetches) never delays ingest. */
export const queueNames = ["ingest", "bots", "outbound", "timers", "bulk", "media"] as const;
export type QueueName = (typeof queueNames)[number];

export type JobOptions = {
  /** De-duplication key: a job with the id of one still waiting or running is not added again. */
  jobId: string;
  delayMs?: number;
};

export type JobContext = {
  attempt: number;
  maxAttempts: number;
  isLastAttempt: boolean;
  /**
   * When this try became ready to run (ms since the epoch): when it was added, or when its delay or
   * retry backoff ended. Its start minus this is the time it waited for a worker.
   */
  readyAt: number;
  /** The process logger with this job's queue, name and id. */
  log: Logger;
};

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

export type RetryPolicy = { attempts: number; backoffMs: number };

/** A typed job definition, named for intent (e.g. `message.outbound.send`). */
export type JobDefinition<S extends z.ZodType, C, Cfg> = {
  name: string;
  queue: QueueName;
  payload: S;
  retry: (config: Cfg) => RetryPolicy;
  /** Must make a redelivered job harmless: check state first. */
  handle: (payload: z.infer<S>, ctx: C, job: JobContext) => Promise<void>;
};

export type QueueDriver = {
  enqueue(queue: QueueName, name: string, payload: unknown, opts: JobOptions & RetryPolicy): Promise<void>;
  /** Starts consuming a queue in this process. */
  work(queue: QueueName, handlers: Map<string, JobHandler>, retry: Map<string, RetryPolicy>, concurrency: number): void;
  /** Jobs per queue and state (waiting, active, delayed, failed), for /metrics and /api/health. */
  counts(): Promise<Partial<Record<QueueName, Record<string, number>>>>;
  /** Stops taking new jobs (a dependency is down) until resume(); running jobs finish. */
  pause(): Promise<void>;
  resume(): void;
  /** Stops taking jobs and waits for running ones. */
  close(): Promise<void>;
};

/** Thrown by a handler to be retried after a given delay (e.g. a platform's rate-limit reset). */
export class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
  }
}
