import { sql, type SQL } from "drizzle-orm";

/** A report's period [from, to) and its optional filters. */
export type Period = { from: Date; to: Date; channelId?: string; teamId?: string };

export const periodFilter = (column: SQL, p: Pick<Period, "from" | "to">) =>
  sql`${column} >= ${p.from.toISOString()}::timestamptz and ${column} < ${p.to.toISOString()}::timestamptz`;

export const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
