import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { QueueName } from "./queue.js";

/**
 * Prometheus metrics of this process (prom-client), served at /metrics (see server/http/metrics-endpoint.ts).
 * Counters are per process and start at zero: use rate() and sum by (…) across processes.
 * Other code imports `metrics` and increments the named counters; labels stay low-cardinality
 * (platform, queue, outcome, route pattern), never ids.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "parley_" });

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type DepthSource = () => Promise<Partial<Record<QueueName, Record<string, number>>>>;
const depthSources = new Set<DepthSource>();
type DependencySource = () => Record<string, boolean>;
const dependencySources = new Set<DependencySource>();

export const metrics = {
  webhookRequests: new Counter({
    name: "parley_webhook_requests_total",
    help: "Webhook requests answered, by platform endpoint and HTTP status",
    labelNames: ["platform", "status"] as const,
    registers: [registry],
  }),
  deliveries: new Counter({
    name: "parley_webhook_deliveries_total",
    help: "Verified deliveries (or the parts of a batched one) by outcome: accepted, duplicate, ignored",
    labelNames: ["platform", "outcome"] as const,
    registers: [registry],
  }),
  ingest: new Counter({
    name: "parley_ingest_total",
    help: "Ingest tries of stored deliveries by outcome: processed, rejected, failed, retry",
    labelNames: ["platform", "outcome"] as const,
    registers: [registry],
  }),
  outboundSends: new Counter({
    name: "parley_outbound_sends_total",
    help: "Sends handed to a platform (or a callback) by outcome: sent, retry, failed",
    labelNames: ["platform", "outcome"] as const,
    registers: [registry],
  }),
  uncertainResends: new Counter({
    name: "parley_outbound_uncertain_resends_total",
    help: "Replies sent again because a crash lost the outcome of an earlier attempt (at most once per reply)",
    labelNames: ["platform"] as const,
    registers: [registry],
  }),
  /** Incremented by the SLA code when a conversation's first-response or resolution deadline passes. */
  slaBreaches: new Counter({
    name: "parley_sla_breaches_total",
    help: "SLA deadlines that passed unmet, by kind (e.g. first_response, resolution)",
    labelNames: ["kind"] as const,
    registers: [registry],
  }),
  ingestBatch: new Histogram({
    name: "parley_ingest_batch_deliveries",
    help: "Deliveries per ingest batch (one transaction), by how it started: alone, or beside a stalled batch",
    labelNames: ["start"] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [registry],
  }),
  jobWait: new Histogram({
    name: "parley_job_wait_seconds",
    help: "Time a job waited from ready (added, or its delay over) until a worker started it, by queue and job",
    labelNames: ["queue", "job"] as const,
    buckets: seconds,
    registers: [registry],
  }),
  jobDuration: new Histogram({
    name: "parley_job_duration_seconds",
    help: "Time a job's handler ran, by queue, job and outcome (ok, error, retry_later)",
    labelNames: ["queue", "job", "outcome"] as const,
    buckets: seconds,
    registers: [registry],
  }),
  httpDuration: new Histogram({
    name: "parley_http_request_duration_seconds",
    help: "HTTP answers by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: seconds,
    registers: [registry],
  }),
};

new Gauge({
  name: "parley_queue_jobs",
  help: "Jobs in each queue by state (waiting, active, delayed, failed), read when scraped",
  labelNames: ["queue", "state"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const source of depthSources) {
      const counts = await source().catch(() => ({}));
      for (const [queue, states] of Object.entries(counts)) {
        for (const [state, n] of Object.entries(states ?? {})) this.inc({ queue, state }, n);
      }
    }
  },
});

new Gauge({
  name: "parley_dependency_up",
  help: "1 while this process reaches the dependency (database, redis), else 0",
  labelNames: ["dependency"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const source of dependencySources) for (const [dependency, up] of Object.entries(source())) this.set({ dependency }, up ? 1 : 0);
  },
});

/** Lets a process's queue report its depths when scraped; returns the unregister. */
export function addQueueDepthSource(source: DepthSource): () => void {
  depthSources.add(source);
  return () => depthSources.delete(source);
}

export function addDependencySource(source: DependencySource): () => void {
  dependencySources.add(source);
  return () => dependencySources.delete(source);
}
