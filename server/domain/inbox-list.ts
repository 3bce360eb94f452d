import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { ConversationListQuery, ConversationSummary, InboxView } from "../../shared/schemas/conversations.js";
import { inboxViews } from "../../shared/schemas/conversations.js";
import type { Executor } from "../db/client.js";
import { channels, contacts, conversations, users } from "../db/schema.js";
import { conversationScope, summaryColumns, summaryOf } from "./conversation-queries.js";
import { inboxConditions, viewCondition } from "./inbox-filters.js";
import { BadRequest, type Scope } from "./scope.js";

type Sort = ConversationListQuery["sort"];

/**
 * Each sort is a key column and a direction, with the id breaking ties; the matching indexes are in
 * migration 0005. breach and waiting put conversations without a deadline (or not waiting) last.
 */
const sortKeys = {
  activity: { column: conversations.activityAt, descending: true },
  breach: { column: conversations.slaDueAt, descending: false },
  waiting: { column: conversations.waitingSince, descending: false },
} as const;

type CursorValue = { sort: Sort; at: Date | null; id: string };

function encodeCursor(c: CursorValue): string {
  return Buffer.from(JSON.stringify({ s: c.sort, a: c.at?.toISOString() ?? null, i: c.id })).toString("base64url");
}

function decodeCursor(cursor: string, sort: Sort): CursorValue {
  const invalid = () => new BadRequest("cursor is not valid", "invalid_cursor");
  let raw: { s?: unknown; a?: unknown; i?: unknown };
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (raw === null || typeof raw !== "object") throw invalid();
  if (raw.s !== sort) throw new BadRequest("cursor belongs to another sort: start again without it", "invalid_cursor");
  if (typeof raw.i !== "string" || !/^[0-9a-f-]{36}$/i.test(raw.i)) throw invalid();
  const at = raw.a === null ? null : new Date(typeof raw.a === "string" ? raw.a : "");
  if (at && Number.isNaN(at.getTime())) throw invalid();
  if (!at && sort === "activity") throw invalid();
  return { sort, at, id: raw.i };
}

/** Rows after the cursor in the sort's order: a row-value comparison the index can seek to. */
function afterCursor(c: CursorValue): SQL {
  const { column, descending } = sortKeys[c.sort];
  const at = c.at?.toISOString() ?? null;
  if (descending) return sql`(${column}, ${conversations.id}) < (${at}::timestamptz, ${c.id}::uuid)`;
  // Ascending with nulls last: after a dated row come later dates, then every undated row.
  if (at) return sql`((${column}, ${conversations.id}) > (${at}::timestamptz, ${c.id}::uuid) or ${column} is null)`;
  return sql`(${column} is null and ${conversations.id} > ${c.id}::uuid)`;
}

export async function listInbox(db: Executor, scope: Scope, q: ConversationListQuery): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
  const where = inboxConditions(scope, q);
  if (q.cursor) where.push(afterCursor(decodeCursor(q.cursor, q.sort)));
  const { column, descending } = sortKeys[q.sort];
  const rows = await db
    .select(summaryColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(channels, eq(channels.id, conversations.channelId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .where(and(...where))
    .orderBy(...(descending ? [desc(column), desc(conversations.id)] : [sql`${column} asc nulls last`, asc(conversations.id)]))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1]?.conversation;
  const lastKey = last ? { activity: last.activityAt, breach: last.slaDueAt, waiting: last.waitingSince }[q.sort] : null;
  return {
    items: page.map(summaryOf),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ sort: q.sort, at: lastKey, id: last.id }) : null,
  };
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
