import { childOnUse, type Logger } from "../logger.js";
import { type JobHandler, type JobOptions, type QueueDriver, type QueueName, type RetryPolicy, RetryLater } from "./queue.js";

type Job = { name: string; payload: unknown; id: string; attempt: number; policy: RetryPolicy; readyAt?: number };

/**
 * In-process queue for the embedded mode: jobs live in memory, so a crash loses them; the sweeper
 * re-enqueues the durable work (stored deliveries, queued replies) on the next start.
 */
export function createLocalQueue(log: Logger): QueueDriver {
  const waiting = new Map<QueueName, Job[]>();
  const known = new Set<string>(); // ids of jobs waiting, delayed or running
  const timers = new Set<NodeJS.Timeout>();
  const workers = new Map<QueueName, { handlers: Map<string, JobHandler>; concurrency: number; running: number }>();
  const idle: Array<() => void> = [];
  const delayed = new Map<QueueName, number>();
  let closed = false;
  let paused = false;

  const key = (queue: QueueName, id: string) => `${queue}/${id}`;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const push = (queue: QueueName, job: Job) => {
    if (closed) return;
    const list = waiting.get(queue) ?? [];
    list.push({ ...job, readyAt: Date.now() });
    waiting.set(queue, list);
    pump(queue);
  };

  const runningCount = () => [...workers.values()].reduce((n, w) => n + w.running, 0);

  const pump = (queue: QueueName) => {
    const worker = workers.get(queue);
    const list = waiting.get(queue);
    if (!worker || !list) return;
    while (!closed && !paused && worker.running < worker.concurrency && list.length > 0) {
      const job = list.shift()!;
      worker.running++;
      void run(queue, worker.handlers, job).finally(() => {
        worker.running--;
        if (runningCount() === 0) idle.splice(0).forEach((resolve) => resolve());
        pump(queue);
      });
    }
  };

  const run = async (queue: QueueName, handlers: Map<string, JobHandler>, job: Job) => {
    const handler = handlers.get(job.name);
    const k = key(queue, job.id);
    if (!handler) {
      log.error("no handler for job", { queue, job: job.name });
      known.delete(k);
      return;
    }
    const { attempts } = job.policy;
    try {
      const jobLog = childOnUse(log, { queue, job: job.name, jobId: job.id }); // most jobs never log
      await handler(job.payload, { attempt: job.attempt, maxAttempts: attempts, isLastAttempt: job.attempt >= attempts, readyAt: job.readyAt ?? Date.now(), log: jobLog });
      known.delete(k);
    } catch (err) {
      if ((job.attempt >= attempts && !(err instanceof RetryLater)) || closed) {
        log.error("job failed for good", { queue, job: job.name, id: job.id, attempt: job.attempt, error: err });
        known.delete(k);
        return;
      }
      // A RetryLater (a platform's rate limit) waits without using up an attempt, as in BullMQ.
      const delay = err instanceof RetryLater ? err.delayMs : job.policy.backoffMs * 2 ** (job.attempt - 1);
      const attempt = err instanceof RetryLater ? job.attempt : job.attempt + 1;
      log.warn("job failed, will retry", { queue, job: job.name, id: job.id, attempt: job.attempt, inMs: delay, error: err });
      delayed.set(queue, (delayed.get(queue) ?? 0) + 1);
      later(delay, () => {
        delayed.set(queue, (delayed.get(queue) ?? 1) - 1);
        push(queue, { ...job, attempt });
      });
    }
  };

  return {
    async enqueue(queue, name, payload, opts: JobOptions & RetryPolicy) {
      if (closed) throw new Error("queue is closed");
      const k = key(queue, opts.jobId);
      if (known.has(k)) return;
      known.add(k);
      const job: Job = { name, payload, id: opts.jobId, attempt: 1, policy: { attempts: opts.attempts, backoffMs: opts.backoffMs } };
      if (opts.delayMs) later(opts.delayMs, () => push(queue, job));
      else queueMicrotask(() => push(queue, job));
    },
    work(queue, handlers, _retry, concurrency) {
      workers.set(queue, { handlers, concurrency, running: 0 });
      pump(queue);
    },
    async counts() {
      const out: Partial<Record<QueueName, Record<string, number>>> = {};
      for (const name of new Set<QueueName>([...waiting.keys(), ...workers.keys()])) {
        out[name] = { waiting: waiting.get(name)?.length ?? 0, active: workers.get(name)?.running ?? 0, delayed: delayed.get(name) ?? 0 };
      }
      return out;
    },
    async pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const queue of workers.keys()) pump(queue);
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (runningCount() > 0) await new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
