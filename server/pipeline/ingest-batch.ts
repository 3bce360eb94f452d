import { and, eq, isNull, lt, or } from "drizzle-orm";
import { NormalizedEvent } from "../../shared/schemas/normalized.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/client.js";
import { channels, inboundEvents } from "../db/schema.js";
import { connectorFor } from "../connectors/registry.js";
import { channelRuntime, connectorEnv } from "../connectors/runtime.js";
import { inTransaction } from "../domain/transaction.js";
import { applyNormalized } from "./apply-normalized.js";
import { applySet, readSet, setItems, StoredMeanwhile, threadOf } from "./apply-set.js";
import { BatchRunner } from "./batch-runner.js";
import { rowOf, runStatement, statement } from "../db/raw.js";
import { isConnectionError, isPermanentDataError, sqlStateOf } from "../infra/db-errors.js";
import { metrics } from "../infra/metrics.js";
import { cleanDeep, cleanText, logSafeMessage } from "../security/hostile-input.js";

type ChannelRow = typeof channels.$inferSelect;
type EventRow = typeof inboundEvents.$inferSelect;

/** One ingest job waiting for its delivery to be applied: resolve = done, reject = retry the job. */
type Waiter = { id: string; isLastAttempt: boolean; resolve: () => void; reject: (err: unknown) => void };
/** A delivery whose try is counted and whose events are read, ready to be applied. */
type Ready = Waiter & { event: EventRow; channel: ChannelRow; attempts: number; lastTry: boolean; normalized: NormalizedEvent[] };

/**
 * Most deliveries claimed or applied together (one statement each way, one transaction). Batches run
 * one at a time while they are quick, so each takes everything that arrived while the one before ran
 * (batch-runner.ts); one that runs longer than SPILL_AFTER_MS lets another start beside it, up to
 * INGEST_LANES at once in scaled mode, with the deliveries of other threads: per-conversation order
 * holds, and one slow transaction does not hold up every thread. At 500/s on 2 cores shared with
 * PostgreSQL, one batch at a time costs PostgreSQL about a sixth less CPU per delivery than two lanes
 * did (docs/performance.md). PGlite (embedded) has one connection, so there batches never overlap.
 */
const MAX_BATCH = { scaled: 100, embedded: 20 } as const;
/**
 * Five times a batch's median time at 500/s on the bench's 2 cores (10 ms; p99 60 ms): a batch that
 * stalls lets another start, while the usual ones run alone. 25 and 100 ms measured alike.
 */
const SPILL_AFTER_MS = 50;
/** Channel health (`last_event_at`) is written at most this often per channel and process. */
const HEALTH_EVERY_MS = 5000;

/**
 * Ingests stored deliveries in batches. Ingest jobs running at the same time hand their delivery id
 * here and wait for its outcome:
 * 1. claim: one UPDATE counts the try of every waiting delivery (before anything else, so a try that
 *    kills the process counts too) and returns the rows; one SELECT reads their channels; each is
 *    normalized (connector code, no database);
 * 2. apply: per batch, one transaction locks the batch's rows, applies every delivery (the customer
 *    messages of whole threads set-based, apply-set.ts; the rest one by one, in order) and marks them
 *    processed in one UPDATE; the domain events are published after the commit.
 * If a batch's transaction fails, each of its deliveries is applied again alone, so a poison
 * delivery fails (and is retried or given up) alone.
 */
export class IngestBatcher {
  private waiting: Waiter[] = [];
  private claiming = false;
  private readonly batches: BatchRunner<Ready>;
  private readonly healthWrittenAt = new Map<string, number>();
  private readonly maxBatch: number;

  constructor(private readonly ctx: Ctx) {
    this.maxBatch = MAX_BATCH[ctx.config.mode];
    const maxConcurrent = ctx.config.mode === "scaled" ? ctx.config.INGEST_LANES : 1;
    this.batches = new BatchRunner({ maxBatch: this.maxBatch, maxConcurrent, spillAfterMs: SPILL_AFTER_MS }, (batch) => {
      metrics.ingestBatch.observe({ start: this.batches.active > 1 ? "beside" : "alone" }, batch.length);
      return this.apply(batch);
    });
  }

  /** Resolves once the delivery is applied (or recorded as rejected or failed); rejects to be retried. */
  submit(id: string, isLastAttempt: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id, isLastAttempt, resolve, reject });
      this.scheduleClaim();
    });
  }

  /** Claims run one at a time, so deliveries are queued in the order their jobs started. */
  private scheduleClaim() {
    if (this.claiming || this.waiting.length === 0) return;
    this.claiming = true;
    setImmediate(() => {
      const batch = this.waiting.splice(0, this.maxBatch);
      void this.claim(batch)
        .catch((err) => batch.forEach((w) => w.reject(err)))
        .finally(() => {
          this.claiming = false;
          this.scheduleClaim();
        });
    });
  }

  private async claim(batch: Waiter[]) {
    const { ctx } = this;
    const rows = await runStatement<Record<string, unknown>>(ctx.db, countTries, [batch.map((w) => w.id)]);
    const byId = new Map(rows.map((r) => claimedEvent.read(r)).map((e) => [e.id, e]));
    const channelById = new Map(rows.filter((r) => r["channel.id"]).map((r) => [r["channel.id"] as string, claimedChannel.read(r)]));

    const prepared = await Promise.all(
      batch.map(async (w): Promise<Ready | null> => {
        const event = byId.get(w.id);
        const channel = event?.channelId ? channelById.get(event.channelId) : undefined;
        if (!event || !channel) {
          w.resolve(); // processed already, or not a delivery to a channel: nothing to do
          return null;
        }
        if (event.attempts > ctx.config.INGEST_MAX_ATTEMPTS) {
          await finish(ctx, event.id, "failed", `gave up after ${event.attempts - 1} attempts${event.reason ? `: ${event.reason}` : ""}`, channel.platform);
          w.resolve();
          return null;
        }
        const lastTry = w.isLastAttempt || event.attempts >= ctx.config.INGEST_MAX_ATTEMPTS;
        try {
          const normalized = await this.normalize(event, channel, lastTry);
          if (!normalized) {
            w.resolve();
            return null;
          }
          return { ...w, event, channel, attempts: event.attempts, lastTry, normalized };
        } catch (err) {
          w.reject(err);
          return null;
        }
      }),
    );
    for (const ready of prepared) if (ready) this.batches.push(ready, threadKey(ready));
  }

  /** The delivery's normalized events; null when it was recorded as rejected; throws to be retried. */
  private async normalize(event: EventRow, channel: ChannelRow, lastTry: boolean): Promise<NormalizedEvent[] | null> {
    const { ctx } = this;
    try {
      const raw = await connectorFor(channel.platform).normalize(event.payload, channelRuntime(ctx, channel), connectorEnv(ctx));
      // Text PostgreSQL refuses (NUL, lone surrogates) is cleaned, not retried: it would fail forever.
      return raw.map((e) => NormalizedEvent.parse(cleanDeep(e)));
    } catch (err) {
      const failure = err as { retryable?: boolean; needsReconnect?: boolean; message: string };
      if (failure.needsReconnect) {
        await ctx.db.update(channels).set({ status: "needs_reconnect", statusReason: failure.message, lastError: failure.message, lastErrorAt: new Date() }).where(eq(channels.id, channel.id));
        await ctx.bus.publish([{ type: "channel.updated", workspaceId: channel.workspaceId, channelId: channel.id }]);
      }
      // A platform call made while normalizing (e.g. fetching a review) may fail for a while: retry.
      if (failure.retryable && !lastTry) {
        await ctx.db.update(inboundEvents).set({ reason: storable(failure.message) }).where(eq(inboundEvents.id, event.id));
        metrics.ingest.inc({ platform: channel.platform, outcome: "retry" });
        throw err;
      }
      await finish(ctx, event.id, "rejected", `could not read the delivery: ${failure.message}`, channel.platform);
      return null;
    }
  }

  /**
   * Applies a batch in one transaction; on failure, each delivery alone. Never throws. `setBased`:
   * customer messages go the set-based way (apply-set.ts); false after a message of the batch turned
   * out to be stored meanwhile, so that the per-delivery path notes it as a redelivery.
   */
  async apply(batch: Ready[], setBased = true): Promise<void> {
    try {
      await this.applyTogether(batch, setBased);
    } catch (err) {
      if (err instanceof StoredMeanwhile) return this.apply(batch, false);
      if (batch.length === 1) return this.failed(batch[0]!, err);
      // A database that is away fails them all alike: their jobs retry them later.
      if (isConnectionError(err)) return batch.forEach((r) => r.reject(err));
      this.ctx.log.warn("ingest batch failed; applying its deliveries one by one", { deliveries: batch.length, error: err });
      for (const ready of batch) await this.apply([ready]); // in order: later ones of a thread stay later
      return;
    }
    const now = Date.now();
    for (const ready of batch) {
      metrics.ingest.inc({ platform: ready.channel.platform, outcome: "processed" });
      ready.resolve();
    }
    for (const channel of new Map(batch.map((r) => [r.channel.id, r.channel])).values()) await this.touchChannel(channel, now);
  }

  private async applyTogether(batch: Ready[], setBased: boolean) {
    const { ctx } = this;
    await inTransaction(ctx, async (tx, events) => {
      // Customer messages of whole threads first, set-based; every other delivery after, one by one in
      // order. The lock of the batch's deliveries and the set-based path's first reads go together
      // (one round trip on a pipelined connection), the deliveries first: every transaction locks
      // deliveries, then conversations, each in id order.
      const candidates = setBased ? setItems(batch, () => ctx.clock.now()) : [];
      const [locked, reads] = await Promise.all([runStatement<{ id: string; status: string }>(tx, lockDeliveries, [batch.map((r) => r.id)]), readSet(tx, candidates)]);
      const pending = new Set(locked.filter((l) => l.status === "pending").map((l) => l.id));
      const todo = batch.filter((r) => pending.has(r.id)); // the others: another worker finished them meanwhile
      const items = candidates.filter((i) => pending.has(i.id));
      const { outcome: together, written } = await applySet(tx, events, items, items.length === todo.length, reads);
      const quiet: string[] = [];
      const noted: Array<{ id: string; reason: string }> = [];
      for (const ready of todo) {
        const notes: string[] = [];
        if (together.has(ready.id)) {
          const note = together.get(ready.id);
          if (note) notes.push(note);
        } else {
          for (const item of ready.normalized) {
            const note = await applyNormalized(tx, events, ready.channel, item, ctx.clock.now());
            if (note) notes.push(note);
          }
        }
        const reason = storable(notes.join("; "));
        if (reason) noted.push({ id: ready.id, reason });
        else quiet.push(ready.id);
      }
      const done = { status: "processed" as const, processedAt: new Date(), nextAttemptAt: null };
      // Sent behind the set-based path's activity UPDATE, still in flight: one round trip for both.
      await Promise.all([written, quiet.length ? runStatement(tx, markProcessed, [quiet]) : null]);
      for (const n of noted) await tx.update(inboundEvents).set({ ...done, reason: n.reason }).where(eq(inboundEvents.id, n.id));
    });
  }

  /** A delivery that failed alone: retried by its job, or given up on its last try or for data PostgreSQL refuses. */
  private async failed(ready: Ready, err: unknown) {
    const { ctx } = this;
    try {
      const reason = storable((err as Error).message);
      const permanent = isPermanentDataError(err);
      if (ready.lastTry || permanent) {
        const why = permanent ? `the delivery cannot be stored (${sqlStateOf(err) ?? "data error"}): ${reason}` : `gave up after ${ready.attempts} attempts: ${reason}`;
        await finish(ctx, ready.id, "failed", why, ready.channel.platform);
        await ctx.db.update(channels).set({ lastError: storable(`Ingest failed: ${why}`), lastErrorAt: new Date() }).where(eq(channels.id, ready.channel.id));
        ready.resolve();
        return;
      }
      await ctx.db.update(inboundEvents).set({ reason }).where(eq(inboundEvents.id, ready.id));
      metrics.ingest.inc({ platform: ready.channel.platform, outcome: "retry" });
    } catch (recordErr) {
      ctx.log.warn("could not record an ingest failure", { event: ready.id, error: recordErr });
    }
    ready.reject(err);
  }

  /**
   * Channel health, outside the transaction and at most every few seconds per channel: remembered in
   * memory, so most batches write nothing; the WHERE keeps several processes from writing it often.
   */
  private async touchChannel(channel: ChannelRow, now: number) {
    if (now - (this.healthWrittenAt.get(channel.id) ?? 0) < HEALTH_EVERY_MS) return;
    this.healthWrittenAt.set(channel.id, now);
    try {
      await this.ctx.db
        .update(channels)
        .set({ lastEventAt: new Date(now) })
        .where(and(eq(channels.id, channel.id), or(isNull(channels.lastEventAt), lt(channels.lastEventAt, new Date(now - HEALTH_EVERY_MS)))));
    } catch (err) {
      this.ctx.log.warn("could not record channel activity", { channel: channel.id, error: err });
    }
  }
}

/** Deliveries of one thread keep their order; events that name no thread share their channel's key. */
function threadKey(ready: Ready): string {
  const message = ready.normalized.find((e) => e.type === "message");
  return threadOf(ready.channel.id, message?.type === "message" ? message.thread.key : "");
}

async function finish(ctx: Ctx, id: string, status: "rejected" | "failed", reason: string, platform: string) {
  metrics.ingest.inc({ platform, outcome: status });
  ctx.log.warn("inbound event not ingested", { event: id, status, reason: logSafeMessage(reason) });
  await ctx.db.update(inboundEvents).set({ status, reason: storable(reason), processedAt: new Date(), nextAttemptAt: null }).where(eq(inboundEvents.id, id));
}

/** A reason that is sure to be stored (error messages can quote the very text PostgreSQL refused). */
const storable = (reason: string) => cleanText(reason).slice(0, 2000);

/**
 * Counts a try of every delivery still pending and returns their rows, each with its channel's.
 * Before the sweeper may take one again: 10 s, doubling per try, at most an hour.
 *
 * The rows are found by id (`status || ''` keeps the planner off the partial index of pending
 * deliveries: with statistics that count few pending rows, it chose to read that whole index and
 * filter by id. Between vacuums that index also holds an entry for every delivery processed since,
 * so each claim read more the busier the system had been, 2.7 ms per claim in the bench). It is
 * planned on every run (server/db/raw.ts): a connection's cached plan, made while the table was
 * small, read it whole as it grew, about 440 pages per claim of 7 deliveries at 20,000 deliveries in
 * the bench, against about 100 planned afresh.
 */
const claimedEvent = rowOf(inboundEvents, { from: "counted", prefix: "" });
const claimedChannel = rowOf(channels, { from: "ch", prefix: "channel." });
const countTries = statement(
  "ingest_count_tries",
  `with counted as (
     update inbound_events
        set attempts = attempts + 1, next_attempt_at = now() + least(interval '10 seconds' * power(2, attempts), interval '1 hour')
      where id = any($1::uuid[]) and status || '' = 'pending'
     returning *
   )
   -- Each delivery's channel in the same round trip (a claim is on every delivery's path).
   select ${claimedEvent.list}, ${claimedChannel.list} from counted left join channels ch on ch.id = counted.channel_id`,
  { planEachRun: true },
);
/** The batch's deliveries, locked in one order (by id) for every transaction: no deadlocks between lanes. */
const lockDeliveries = statement("ingest_lock_deliveries", `select id, status from inbound_events where id = any($1::uuid[]) order by id for update`);
/** The deliveries applied without a note, in one statement. */
const markProcessed = statement(
  "ingest_mark_processed",
  `update inbound_events set status = 'processed', processed_at = now(), next_attempt_at = null, reason = null where id = any($1::uuid[])`,
);

/** One batcher per database handle (that is, per process). */
const batchers = new WeakMap<Db, IngestBatcher>();
export function ingestBatcher(ctx: Ctx): IngestBatcher {
  let b = batchers.get(ctx.db);
  if (!b) batchers.set(ctx.db, (b = new IngestBatcher(ctx)));
  return b;
}
