import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { ConversationListQuery, ConversationSummary, InboxView } from "../../shared/schemas/conversations.js";
import { inboxViews } from "../../shared/schemas/conversations.js";
import type { Executor } from "../db/client.js";
import { conversations, messages } from "../db/schema.js";
import { conversationScope, summaryOf, summaryRows } from "./conversation-queries.js";
import { conversationMatches, inboxConditions, textCondition, viewCondition } from "./inbox-filters.js";
import { BadRequest, type Scope } from "./scope.js";
import { contactIdsMatching, messageMatches, prefixTsquery, withSearchSettings } from "./text-search.js";

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

/**
 * How a text filter is answered (see listInbox). `candidates`: how many conversations at the top of the
 * list (without the text filter) are tested one by one. `cap`: up to how many matching messages (or
 * contacts) are collected by id. `common`: a word matching this many of the workspace's newest 1,000
 * messages is taken as common, and the list's top is tried first. Tests lower them to reach every step
 * with a few conversations.
 */
export type TextLimits = { candidates: number; cap: number; common: number };
export const textLimits: TextLimits = { candidates: 100, cap: 5000, common: 10 };

/** Whether at least `common` of the workspace's newest 1,000 messages match (stops reading at that many). */
async function looksCommon(db: Executor, workspaceId: string, tsquery: string, common: number): Promise<boolean> {
  const recent = db.select({ text: messages.text }).from(messages).where(eq(messages.workspaceId, workspaceId)).orderBy(desc(messages.createdAt)).limit(1000).as("recent");
  const hits = db.select({ one: sql`1`.as("one") }).from(recent).where(sql`to_tsvector('simple', ${recent.text}) @@ to_tsquery('simple', ${tsquery})`).limit(common).as("hits");
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(hits);
  return Number(row?.n ?? 0) >= common;
}

/**
 * The first page's ids for a text filter, found among the list's first `candidateCount` conversations
 * (read in the list's order by its index, each tested with conversationMatches until the page is full),
 * or null when those do not settle the page: too few matched and the list goes on.
 */
async function firstTextMatches(db: Executor, scope: Scope, q: ConversationListQuery, where: SQL[], candidateCount: number): Promise<string[] | null> {
  const candidates = db
    .select({ id: conversations.id, contactId: conversations.contactId, activityAt: conversations.activityAt, key: q.sort === "activity" ? sql<null>`null`.as("key") : sortKeys[q.sort] })
    .from(conversations)
    .where(and(...where))
    .orderBy(...orderOf(q.sort))
    .limit(candidateCount)
    .as("candidates");
  const order = [desc(candidates.activityAt), desc(candidates.id)];
  const found = await db
    .select({ id: candidates.id })
    .from(candidates)
    .where(conversationMatches(scope.workspaceId, q.q!, sql`${candidates.id}`, sql`${candidates.contactId}`))
    // The candidates' own order, so the planner keeps it and stops at the page's end.
    .orderBy(...(q.sort === "activity" ? order : [sql`${candidates.key} asc nulls last`, ...order]))
    .limit(q.limit + 1);
  if (found.length > q.limit) return found.map((r) => r.id);
  // Fewer matched: the page is complete only if the whole list was among the candidates.
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(db.select({ one: sql`1` }).from(conversations).where(and(...where)).limit(candidateCount).as("listed"));
  return Number(row?.n ?? 0) < candidateCount ? found.map((r) => r.id) : null;
}

/**
 * A text filter as two literal id lists (conversations with a matching message, matching contacts),
 * read through the GIN indexes, or null when either holds `cap` or more. With literal lists
 * the planner fetches those few conversations and sorts them, rather than walking the whole list.
 */
async function fewTextMatches(db: Executor, workspaceId: string, q: string, cap: number): Promise<SQL | null> {
  const tsquery = prefixTsquery(q);
  // Each list as PostgreSQL array text ("{…}"): it goes back as one parameter, in both drivers alike.
  const asArray = (column: SQL) => sql<string>`coalesce(array_agg(distinct ${column})::text, '{}')`;
  let messageIds = "{}";
  if (tsquery) {
    const found = db.select({ conversationId: messages.conversationId }).from(messages).where(and(eq(messages.workspaceId, workspaceId), messageMatches(tsquery))).limit(cap).as("found");
    const [row] = await db.select({ n: sql<number>`count(*)::int`, ids: asArray(sql`${found.conversationId}`) }).from(found);
    if (Number(row!.n) >= cap) return null;
    messageIds = row!.ids;
  }
  const [named] = await db.select({ n: sql<number>`count(*)::int`, ids: asArray(sql`named.id`) }).from(sql`(${contactIdsMatching(workspaceId, q)} limit ${cap}) as named`);
  if (Number(named!.n) >= cap) return null;
  return sql`(${conversations.id} = any(${messageIds}::uuid[]) or ${conversations.contactId} = any(${named!.ids}::uuid[]))`;
}

/**
 * One page of the inbox. A text filter (`q`) is the costly part at scale. Its page is found by the first
 * of these that settles it, each exact (the same rows, in the same order, as the plain query): the
 * list's first conversations tested one by one (a common word fills the page there), the matching
 * conversations and contacts collected by id (a rarer word has few), and last the set of every match.
 * A word seen often among the newest messages tries the list's top first; any other the ids first.
 */
export function listInbox(db: Executor, scope: Scope, q: ConversationListQuery, limits: TextLimits = textLimits): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
  return q.q ? withSearchSettings(db, (tx) => listPage(tx, scope, q, limits)) : listPage(db, scope, q, limits);
}

async function listPage(db: Executor, scope: Scope, q: ConversationListQuery, limits: TextLimits): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
  const where = inboxConditions(scope, { ...q, q: undefined });
  if (q.cursor) where.push(afterCursor(decodeCursor(q.cursor, q.sort)));
  let ids: string[] | null = null;
  let text: SQL | undefined;
  if (q.q) {
    const tsquery = prefixTsquery(q.q);
    const fromTop = () => firstTextMatches(db, scope, q, where, limits.candidates);
    const byIds = async () => (await fewTextMatches(db, scope.workspaceId, q.q!, limits.cap)) ?? undefined;
    if (tsquery && (await looksCommon(db, scope.workspaceId, tsquery, limits.common))) {
      ids = await fromTop();
      if (!ids) text = await byIds();
    } else {
      text = await byIds();
      if (!text) ids = await fromTop();
    }
    if (!ids && !text) text = textCondition(scope.workspaceId, q.q);
  }
  const rows = ids
    ? ids.length
      ? await summaryRows(db, and(conversationScope(scope), inArray(conversations.id, ids))).orderBy(...orderOf(q.sort))
      : []
    : await summaryRows(db, and(...where, text))
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
