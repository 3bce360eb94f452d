import { DelayedError, Queue, Worker } from "bullmq";
import { childOnUse, type Logger } from "../logger.js";
import { type JobHandler, type JobOptions, type QueueDriver, type QueueName, type RetryPolicy, queueNames, RetryLater } from "./queue.js";
import type { RedisOptions } from "./redis-connection.js";

/**
 * BullMQ driver: queues in Redis shared by any number of worker processes.
 *
 * While Redis is down: adding a job fails within a few seconds (producers such as webhooks must
 * answer; the sweeper re-adds what is stored), while workers wait and reconnect by themselves
 * (`maxRetriesPerRequest: null`, as BullMQ requires for workers). Every client's errors are handled.
 *
 * `lockMs`: how long a worker's hold on a running job lasts without renewal (renewed at half of it),
 * and how often stalled jobs are looked for: a job whose worker died is taken over by another after
 * about one to two times it.
 */
export function createBullmqQueue(connection: RedisOptions, prefix: string, log: Logger, lockMs = 30_000): QueueDriver {
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  const producer = { ...connection, maxRetriesPerRequest: 1 };
  const consumer = { ...connection, maxRetriesPerRequest: null };
  let lastError = 0;
  const warn = (what: string, fields: Record<string, unknown>) => {
    // A Redis outage makes every client complain every second: one line per 10 s is enough.
    if (Date.now() - lastError < 10_000) return;
    lastError = Date.now();
    log.warn(what, fields);
  };

  const queueFor = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: producer, prefix });
      q.on("error", (err) => warn("queue connection error", { queue: name, error: err }));
      queues.set(name, q);
    }
    return q;
  };

  const jobOptions = (opts: JobOptions & RetryPolicy) => ({
    jobId: opts.jobId,
    delay: opts.delayMs,
    attempts: opts.attempts,
    backoff: { type: "exponential", delay: opts.backoffMs },
    // Completed ids are kept a while so that a quick re-add is a no-op; failed jobs are removed
    // so that the sweeper can enqueue the same id again.
    removeOnComplete: { age: 3600, count: 10000 },
    removeOnFail: true,
  });

  return {
    async enqueue(queue, name, payload, opts) {
      await withTimeout(queueFor(queue).add(name, { payload }, jobOptions(opts)), 5000, "adding a job to Redis");
    },
    work(queue, handlers: Map<string, JobHandler>, retry: Map<string, RetryPolicy>, concurrency) {
      const worker = new Worker(
        queue,
        async (job, token) => {
          const handler = handlers.get(job.name);
          if (!handler) throw new Error(`no handler for job ${job.name}`);
          const maxAttempts = job.opts.attempts ?? retry.get(job.name)?.attempts ?? 1;
          const attempt = job.attemptsMade + 1;
          // A first try is ready once added (and delayed, if it was); a retry's backoff is not
          // recorded on the job, so its wait is not measured (counted as none).
          const readyAt = attempt === 1 ? job.timestamp + (job.opts.delay ?? 0) : Date.now();
          try {
            const jobLog = childOnUse(log, { queue, job: job.name, jobId: job.id }); // most jobs never log
            await handler((job.data as { payload: unknown }).payload, { attempt, maxAttempts, isLastAttempt: attempt >= maxAttempts, readyAt, log: jobLog });
          } catch (err) {
            if (err instanceof RetryLater && token) {
              await job.moveToDelayed(Date.now() + err.delayMs, token);
              throw new DelayedError();
            }
            throw err;
          }
        },
        { connection: consumer, prefix, concurrency, lockDuration: lockMs, stalledInterval: lockMs },
      );
      worker.on("failed", (job, err) =>
        log.warn("job attempt failed", { queue, job: job?.name, id: job?.id, attempt: job?.attemptsMade, error: err }),
      );
      worker.on("error", (err) => warn("worker connection error", { queue, error: err }));
      workers.push(worker);
    },
    async counts() {
      const out: Partial<Record<QueueName, Record<string, number>>> = {};
      for (const name of queueNames) {
        out[name] = await withTimeout(queueFor(name).getJobCounts("waiting", "active", "delayed", "failed", "prioritized"), 2000, "reading queue depths");
      }
      return out;
    },
    async pause() {
      // Local to this process: other workers keep going (they may still reach the dependency).
      await Promise.all(workers.map((w) => w.pause(true)));
    },
    resume() {
      for (const w of workers) w.resume();
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms (is Redis reachable?)`)), ms);
    }),
  ]);
}
