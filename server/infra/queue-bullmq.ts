import { DelayedError, Queue, Worker } from "bullmq";
import type { Logger } from "../logger.js";
import { type JobHandler, type QueueDriver, type QueueName, type RetryPolicy, RetryLater } from "./queue.js";
import type { RedisOptions } from "./redis-connection.js";

/** BullMQ driver: queues in Redis shared by any number of worker processes. */
export function createBullmqQueue(connection: RedisOptions, prefix: string, log: Logger): QueueDriver {
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];

  const queueFor = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix });
      q.on("error", (err) => log.warn("queue connection error", { queue: name, error: err }));
      queues.set(name, q);
    }
    return q;
  };

  return {
    async enqueue(queue, name, payload, opts) {
      await queueFor(queue).add(
        name,
        { payload },
        {
          jobId: opts.jobId,
          delay: opts.delayMs,
          attempts: opts.attempts,
          backoff: { type: "exponential", delay: opts.backoffMs },
          // Completed ids are kept a while so that a quick re-add is a no-op; failed jobs are removed
          // so that the sweeper can enqueue the same id again.
          removeOnComplete: { age: 3600, count: 10000 },
          removeOnFail: true,
        },
      );
    },
    work(queue, handlers: Map<string, JobHandler>, retry: Map<string, RetryPolicy>, concurrency) {
      const worker = new Worker(
        queue,
        async (job, token) => {
          const handler = handlers.get(job.name);
          if (!handler) throw new Error(`no handler for job ${job.name}`);
          const maxAttempts = job.opts.attempts ?? retry.get(job.name)?.attempts ?? 1;
          const attempt = job.attemptsMade + 1;
          try {
            const jobLog = log.child({ queue, job: job.name, jobId: job.id });
            await handler((job.data as { payload: unknown }).payload, { attempt, maxAttempts, isLastAttempt: attempt >= maxAttempts, log: jobLog });
          } catch (err) {
            if (err instanceof RetryLater && token) {
              await job.moveToDelayed(Date.now() + err.delayMs, token);
              throw new DelayedError();
            }
            throw err;
          }
        },
        { connection, prefix, concurrency },
      );
      worker.on("failed", (job, err) =>
        log.warn("job attempt failed", { queue, job: job?.name, id: job?.id, attempt: job?.attemptsMade, error: err }),
      );
      worker.on("error", (err) => log.warn("worker connection error", { queue, error: err }));
      workers.push(worker);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
