import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import type { Executor } from "./client.js";

/**
 * A hot statement as fixed SQL text: list-shaped inputs go in as array parameters (`= any($1)`,
 * `unnest($1, $2, …)`), so the text is the same whatever the batch size. Ingest sends these a few
 * times per batch; building them with Drizzle's query builder (and mapping every returned row
 * through it) was the largest share of the ingest's Node CPU. On node-postgres the statement is
 * also named, so each connection parses and plans it once.
 *
 * `planEachRun` sends it unnamed instead, planned for its parameters on every run: for a lookup
 * whose cached plan could go stale. A connection's cached plan is chosen for the table's size at
 * that moment and kept until the next ANALYZE; one made while `messages` was small went on reading
 * it whole as it grew (the redelivery check took 0.3 to 4.5 ms a batch at 25,000 messages in the
 * bench, against about 0.1 ms planned afresh).
 */
export type Statement = { readonly name: string; readonly text: string; readonly planEachRun?: boolean };

export const statement = (name: string, text: string, opts: { planEachRun?: boolean } = {}): Statement => ({ name, text, ...opts });

type Driver = { query(config: unknown, params?: unknown[]): Promise<{ rows: unknown[] }> };

/**
 * Runs a statement on the database or inside an open transaction, straight on the driver (the
 * transaction's own connection, or PGlite's). Rows come back as the driver gives them: column names
 * as the SQL aliases them; timestamps as Date and JSON parsed on both drivers; bigint as a string on
 * node-postgres (convert it where one is read).
 */
export async function runStatement<T>(ex: Executor, st: Statement, params: unknown[]): Promise<T[]> {
  const client = (ex as unknown as { session: { client: Driver } }).session.client;
  const named = !st.planEachRun && (client instanceof pg.Pool || client instanceof pg.Client);
  const result = named ? await client.query({ name: st.name, text: st.text, values: params }) : await client.query(st.text, params);
  return result.rows as T[];
}

/** A timestamp parameter: node-postgres would send a Date in the process's time zone. */
export const isoOf = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/**
 * A table's whole row as a statement returns it: `list` names every column under its property name
 * (for a `returning` or `select` list, derived from the schema so it cannot fall behind it), and
 * `read` turns a driver row into the row Drizzle would give (bigint numbers as numbers).
 * With `as`, the columns are taken from the relation `as.from` and named `<as.prefix><property>`, so
 * that one select can return two tables' rows side by side; `read` then picks that table's row out.
 */
export function rowOf<T extends PgTable>(
  table: T,
  as?: { from: string; prefix: string },
): { list: string; read: (row: Record<string, unknown>) => T["$inferSelect"] } {
  const columns = Object.entries(getTableColumns(table));
  const numbers: string[] = [];
  for (const [key, column] of columns) {
    if (column.columnType === "PgBigSerial53" || column.columnType === "PgBigInt53") numbers.push(key);
    if (column.columnType === "PgTimestamp" && !(column as unknown as { withTimezone: boolean }).withTimezone) throw new Error(`rowOf: ${column.name} has no time zone`);
  }
  const prefix = as?.prefix ?? "";
  return {
    list: columns.map(([key, column]) => `${as ? `${as.from}.` : ""}"${column.name}" as "${prefix}${key}"`).join(", "),
    read: (row) => {
      const out: Record<string, unknown> = as ? Object.fromEntries(columns.map(([key]) => [key, row[prefix + key]])) : row;
      for (const key of numbers) if (out[key] !== null && out[key] !== undefined) out[key] = Number(out[key]);
      return out as T["$inferSelect"];
    },
  };
}
