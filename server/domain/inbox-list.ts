import { and, desc, inArray, sql, type SQL } from "drizzle-orm";
import type { ConversationListQuery, ConversationSummary, InboxView } from "../../shared/schemas/conversations.js";
import { inboxViews } from "../../shared/schemas/conversations.js";
import type { Executor } from "../db/client.js";
import { conversations } from "../db/schema.js";
import { conversationScope, summaryOf, summaryRows } from "./conversation-queries.js";
import { inboxConditions, viewCondition } from "./inbox-filters.js";
import { BadRequest, type Scope } from "./scope.js";

type Sort = ConversationListQuery["sort"];

/**
 * activity: latest first. breach and waiting: an ascending key (nearest deadline, longest wait) with
 * the rows without one last, ties by latest activity; the id breaks every tie. The console orders live
 * rows the same way; the matching indexes are in migration 0010.
 */
const sortKeys = {
  breach: conversations.slaDueAt,
  waiting: conversations.waitingSince,
} as const;

type CursorValue = { sort: Sort; key: Date | null; activityAt: Date; id: string };

function encodeCursor(c: CursorValue): string {
  return Buffer.from(JSON.stringify({ s: c.sort, k: c.key?.toISOString() ?? null, a: c.activityAt.toISOString(), i: c.id })).toString("base64url");
}

function decodeCursor(cursor: string, sort: Sort): CursorValue {
  const invalid = () => new BadRequest("cursor is not valid", "invalid_cursor");
  let raw: { s?: unknown; k?: unknown; a?: unknown; i?: unknown };
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (raw === null || typeof raw !== "object") throw invalid();
  if (raw.s !== sort) throw new BadRequest("cursor belongs to another sort: start again without it", "invalid_cursor");
  if (typeof raw.i !== "string" || !/^[0-9a-f-]{36}$/i.test(raw.i)) throw invalid();
  const date = (v: unknown) => (typeof v === "string" && !Number.isNaN(new Date(v).getTime()) ? new Date(v) : null);
  const activityAt = date(raw.a);
  const key = raw.k === null ? null : date(raw.k);
  if (!activityAt || (raw.k !== null && !key)) throw invalid();
  return { sort, key, activityAt, id: raw.i };
}

/** Rows after the cursor in the sort's order, as conditions the sort's index can seek with. */
function afterCursor(c: CursorValue): SQL {
  const later = sql`(${conversations.activityAt}, ${conversations.id}) < (${c.activityAt.toISOString()}::timestamptz, ${c.id}::uuid)`;
  if (c.sort === "activity") return later;
  const column = sortKeys[c.sort];
  if (!c.key) return sql`(${column} is null and ${later})`;
  const key = sql`${c.key.toISOString()}::timestamptz`;
  return sql`(${column} > ${key} or ${column} is null or (${column} = ${key} and ${later}))`;
}

function orderOf(sort: Sort): SQL[] {
  const latest = [desc(conversations.activityAt), desc(conversations.id)];
  return sort === "activity" ? latest : [sql`${sortKeys[sort]} asc nulls last`, ...latest];
}

export async function listInbox(db: Executor, scope: Scope, q: ConversationListQuery): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
  const where = inboxConditions(scope, q);
  if (q.cursor) where.push(afterCursor(decodeCursor(q.cursor, q.sort)));
  const rows = await summaryRows(db, and(...where))
    .orderBy(...orderOf(q.sort))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1]?.conversation;
  const key = last ? { activity: null, breach: last.slaDueAt, waiting: last.waitingSince }[q.sort] : null;
  return {
    items: page.map(summaryOf),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ sort: q.sort, key, activityAt: last.activityAt, id: last.id }) : null,
  };
}

/** The summaries of the given conversations the caller may see, latest activity first. */
export async function summariesByIds(db: Executor, scope: Scope, ids: string[]): Promise<ConversationSummary[]> {
  if (ids.length === 0) return [];
  const rows = await summaryRows(db, and(conversationScope(scope), inArray(conversations.id, ids)))
    .orderBy(...orderOf("activity"));
  return rows.map(summaryOf);
}

/** Counting stops here: the navigation shows "99+" rather than scanning a huge view. */
export const COUNT_CAP = 99;

/** How many conversations each preset view holds for the caller, each count capped. */
export async function viewCounts(db: Executor, scope: Scope): Promise<{ counts: Record<InboxView, number>; cap: number }> {
  const counts = {} as Record<InboxView, number>;
  for (const view of inboxViews) {
    const capped = db
      .select({ one: sql`1` })
      .from(conversations)
      .where(and(conversationScope(scope), viewCondition(view, scope)))
      .limit(COUNT_CAP)
      .as("capped");
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
    counts[view] = Number(row?.n ?? 0);
  }
  return { counts, cap: COUNT_CAP };
}
