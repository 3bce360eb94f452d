import type { Ctx } from "../context.js";
import { enqueue } from "../context.js";
import type { Db } from "../db/client.js";
import type { inboundEvents } from "../db/schema.js";
import { runStatement, statement } from "../db/raw.js";
import { isConnectionError } from "../infra/db-errors.js";
import { ingestGroupJob } from "./ingest.job.js";

/** A delivery to store as pending, addressed to a connected channel. */
export type PendingRow = { workspaceId: string; channelId: string; platform: (typeof inboundEvents.$inferInsert)["platform"]; externalEventId: string; payload: string };

type Waiter = { row: PendingRow; resolve: (id: string | null) => void; reject: (err: unknown) => void };

/** Most rows in one INSERT: a few hundred keeps statements small and parameters far under the 65,535 limit. */
const MAX_ROWS = 200;
/** Batches written at once; further rows wait for one to finish and then go together. */
const MAX_IN_FLIGHT = 4;
/**
 * When rows come this close together (a few hundred webhooks a second), a row waits this long for
 * others to join its group. A group costs about the same whatever its size (an INSERT round trip and
 * a queue job to add, take and complete), so the wait roughly halves the groups at 500/s; rows further
 * apart are written on the next tick, as a lone row gains nothing by waiting (docs/performance.md).
 */
const LINGER_MS = 4;

/**
 * Group commit for webhook acceptance. Concurrent requests hand their rows here; rows that arrive
 * in the same turn of the event loop, or while earlier batches are being written, go to PostgreSQL
 * as one multi-row INSERT (one commit, one WAL flush) and to the queue as one group job. Each caller
 * is answered only after its row is committed and its job added (or the add failed, which the
 * sweeper repairs). An idle process adds no delay: a lone row is written on the next tick; under
 * load a row waits up to LINGER_MS for others.
 *
 * If a batch's INSERT fails, its rows are retried one by one, so one bad row fails only its own
 * request.
 */
export class AcceptBatcher {
  private pending: Waiter[] = [];
  private inFlight = 0;
  private scheduled = false;
  private lastRowAt = 0;

  constructor(private readonly ctx: Ctx) {}

  /** Stores the row; resolves with its id, or null when it was already stored (a redelivery). */
  store(row: PendingRow): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const now = Date.now();
      const linger = now - this.lastRowAt < LINGER_MS;
      this.lastRowAt = now;
      this.pending.push({ row, resolve, reject });
      this.schedule(linger);
    });
  }

  /** `linger`: rows are coming close together, so wait LINGER_MS for more (rows that waited for a batch in flight go on the next tick). */
  private schedule(linger = false) {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.pending.length === 0) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      while (this.inFlight < MAX_IN_FLIGHT && this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_ROWS);
        this.inFlight++;
        void this.write(batch).finally(() => {
          this.inFlight--;
          this.schedule();
        });
      }
    };
    // setImmediate: every request whose body was read in this poll phase joins the batch.
    if (linger && this.pending.length < MAX_ROWS) setTimeout(flush, LINGER_MS);
    else setImmediate(flush);
  }

  private async write(batch: Waiter[]) {
    let ids: Array<string | null>;
    try {
      ids = await insertRows(this.ctx.db, batch.map((w) => w.row));
    } catch (err) {
      // A database that is away fails every row the same way: no point in trying them one by one.
      if (batch.length === 1 || isConnectionError(err)) {
        batch.forEach((w) => w.reject(err));
        return;
      }
      this.ctx.log.warn("grouped accept failed; storing its rows one by one", { rows: batch.length, error: err });
      await Promise.all(batch.map((w) => this.write([w])));
      return;
    }
    const stored = ids.filter((id): id is string => id !== null);
    try {
      // One job for the group (its first delivery's id names it: a delivery is in one group only).
      if (stored.length) await enqueue(this.ctx, ingestGroupJob, { inboundEventIds: stored }, { jobId: `group-${stored[0]}` });
    } catch (err) {
      // Stored already: the sweeper enqueues them again when the queue is back.
      this.ctx.log.warn("ingest enqueue failed; the sweeper will retry", { events: stored.length, error: err });
    }
    batch.forEach((w, i) => w.resolve(ids[i]!));
  }
}

/**
 * One INSERT for all rows; returns each row's new id, or null for a row already stored (the unique
 * key on channel and event id), including a repeat of an earlier row of the same batch.
 */
async function insertRows(db: Db, rows: PendingRow[]): Promise<Array<string | null>> {
  const returned = await runStatement<{ id: string; channelId: string; externalEventId: string }>(db, insertPending, [
    rows.map((r) => r.workspaceId),
    rows.map((r) => r.channelId),
    rows.map((r) => r.platform),
    rows.map((r) => r.externalEventId),
    rows.map((r) => r.payload),
  ]);
  const byKey = new Map(returned.map((r) => [keyOf(r.channelId!, r.externalEventId), r.id]));
  return rows.map((row) => {
    const key = keyOf(row.channelId, row.externalEventId);
    const id = byKey.get(key) ?? null;
    byKey.delete(key); // a second row with the same key is the duplicate
    return id;
  });
}

/** Rows in the order given (a repeated key keeps its first row, as with VALUES). */
const insertPending = statement(
  "accept_insert_pending",
  `insert into inbound_events (workspace_id, channel_id, platform, external_event_id, payload)
   select workspace_id, channel_id, platform, external_event_id, payload
     from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]) with ordinality as r(workspace_id, channel_id, platform, external_event_id, payload, n)
    order by n
   on conflict do nothing
   returning id, channel_id as "channelId", external_event_id as "externalEventId"`,
);

const keyOf = (channelId: string, externalEventId: string) => `${channelId}\u0000${externalEventId}`;

/** One batcher per database handle (that is, per process). */
const batchers = new WeakMap<Db, AcceptBatcher>();
export function acceptBatcher(ctx: Ctx): AcceptBatcher {
  let b = batchers.get(ctx.db);
  if (!b) batchers.set(ctx.db, (b = new AcceptBatcher(ctx)));
  return b;
}
