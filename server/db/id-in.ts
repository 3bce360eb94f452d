import { eq, inArray, type AnyColumn, type SQL } from "drizzle-orm";

/** `column = id` for one id (the plain equality and its plan), `column IN (ids)` for several. */
export function idIn(column: AnyColumn, ids: string[]): SQL {
  return ids.length === 1 ? eq(column, ids[0]!) : inArray(column, ids);
}
