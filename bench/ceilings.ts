import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { Queue, Worker } from "bullmq";
import express from "express";
import { Redis } from "ioredis";
import { redisOptions } from "../server/infra/redis-connection.js";
import { summarize, type Summary } from "./stats.js";

/**
 * Ceiling A: a bare Express 5 app with the same route shape as Parley's webhook, which parses the
 * JSON body and answers 200 with an ack of the same shape. Nothing else: no database, no queue.
 */
export async function startBareExpress(): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.disable("x-powered-by");
  app.post("/webhooks/api/:channelId", express.json({ limit: "1mb" }), (req, res) => {
    res.status(200).json({ status: "accepted", eventId: (req.body as { eventId?: string } | undefined)?.eventId ?? null });
  });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/api/00000000-0000-4000-8000-000000000000`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type BullmqCeiling = {
  /** queue.add to the processor starting, one job at a time. */
  latency: Summary;
  /** Jobs added (`addConcurrency` adds in flight) and completed per second. */
  throughput: { jobs: number; elapsedMs: number; perSecond: number };
};

/**
 * Ceiling B: a no-op BullMQ job round trip with Parley's job options (job id, attempts, backoff,
 * removeOnComplete), on its own Queue and Worker under a unique prefix, obliterated afterwards.
 */
export async function bullmqCeiling(
  redisUrl: string,
  opts: { warmupJobs: number; latencyJobs: number; throughputJobs: number; addConcurrency: number; workerConcurrency: number },
): Promise<BullmqCeiling> {
  const connection = redisOptions(redisUrl);
  const prefix = `parley-bench-${randomBytes(5).toString("hex")}`;
  const name = "bench-noop";
  const queue = new Queue(name, { connection, prefix });
  const started = new Map<number, (at: number) => void>();
  let completed = 0;
  let onCompleted: (() => void) | null = null;
  const worker = new Worker(
    name,
    async (job) => {
      const at = performance.now();
      started.get((job.data as { i: number }).i)?.(at);
    },
    { connection, prefix, concurrency: opts.workerConcurrency },
  );
  worker.on("completed", () => {
    completed++;
    onCompleted?.();
  });
  const errors: Error[] = [];
  queue.on("error", (err) => errors.push(err));
  worker.on("error", (err) => errors.push(err));

  const jobOpts = (i: number) => ({
    jobId: `noop-${i}`,
    attempts: 8,
    backoff: { type: "exponential", delay: 500 },
    removeOnComplete: { age: 3600, count: 10000 },
    removeOnFail: true,
  });

  try {
    await worker.waitUntilReady();
    let i = 0;
    const roundTrip = async () => {
      const n = i++;
      const ran = new Promise<number>((resolve) => started.set(n, resolve));
      const t0 = performance.now();
      await queue.add("noop", { i: n }, jobOpts(n));
      const at = await withTimeout(ran, 10_000, "a BullMQ job to start");
      started.delete(n);
      return at - t0;
    };
    for (let k = 0; k < opts.warmupJobs; k++) await roundTrip();
    const latencies: number[] = [];
    for (let k = 0; k < opts.latencyJobs; k++) latencies.push(await roundTrip());

    // Throughput: wait for the warm-up and latency jobs to complete, then add many and wait for all.
    await waitUntil(() => completed >= i, 10_000, "earlier BullMQ jobs to complete");
    const base = completed;
    const target = base + opts.throughputJobs;
    const done = new Promise<void>((resolve) => {
      onCompleted = () => completed >= target && resolve();
    });
    const t0 = performance.now();
    let added = 0;
    await Promise.all(
      Array.from({ length: opts.addConcurrency }, async () => {
        while (added < opts.throughputJobs) {
          added++;
          const n = i++;
          await queue.add("noop", { i: n }, jobOpts(n));
        }
      }),
    );
    await withTimeout(done, 60_000, `${opts.throughputJobs} BullMQ jobs to complete`);
    const elapsedMs = performance.now() - t0;
    if (errors.length) throw new Error(`BullMQ reported an error: ${errors[0]!.message}`);
    return { latency: summarize(latencies), throughput: { jobs: opts.throughputJobs, elapsedMs, perSecond: opts.throughputJobs / (elapsedMs / 1000) } };
  } finally {
    await worker.close().catch(() => {});
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close().catch(() => {});
    // Anything left under the prefix (obliterate removes the queue's keys; this is belt and braces).
    const redis = new Redis({ ...connection, maxRetriesPerRequest: 1 });
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

async function waitUntil(cond: () => boolean, ms: number, what: string) {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
