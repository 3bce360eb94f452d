import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../db/client.js";

/** A report's period [from, to) and its optional filters. */
export type Period = { from: Date; to: Date; channelId?: string; teamId?: string };

export const periodFilter = (column: SQL, p: Pick<Period, "from" | "to">) =>
  sql`${column} >= ${p.from.toISOString()}::timestamptz and ${column} < ${p.to.toISOString()}::timestamptz`;

export const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/**
 * One of a report's side-by-side statements, in its own transaction without parallel workers: the
 * report already runs its statements at once on pooled connections, and workers on top of that crowd
 * the cores (on 2 cores the team overview took 270–360 ms with them, 145–230 ms without). `noNestLoop`
 * is for statements the planner misjudges into per-row probes (docs/performance.md).
 */
export async function sideBySide<T>(db: Executor, query: SQL, opts: { noNestLoop?: boolean } = {}): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(
      opts.noNestLoop
        ? sql`select set_config('max_parallel_workers_per_gather', '0', true), set_config('enable_nestloop', 'off', true)`
        : sql`select set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    return rowsOf<T>(await tx.execute(query));
  });
}
