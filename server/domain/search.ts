import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { SearchResult, Snippet } from "../../shared/schemas/search.js";
import type { Executor } from "../db/client.js";
import { channels, contactIdentities, contacts, conversations, messages } from "../db/schema.js";
import { conversationScope } from "./conversation-queries.js";
import { summariesByIds } from "./inbox-list.js";
import type { Scope } from "./scope.js";
import { contactIdsMatching, messageMatches, prefixTsquery, searchWords, withSearchSettings } from "./text-search.js";
import { avatarPath } from "./contact-profile.js";

// ts_headline marks matches with these; they are taken out of the text first, so any left are ours.
const START = "\u0001";
const STOP = "\u0002";
// ts_headline drops anything that looks like an HTML tag: angle brackets go in as these and come back.
const LT = "\u0003";
const GT = "\u0004";
// ShortWord=0: fragments otherwise drop short words at their edges ("Do you ship parcels" became "ship parcels").
const headlineOptions = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, ShortWord=0, FragmentDelimiter=" … "`;

/** A marked headline as plain text plus the ranges to highlight: the console never renders HTML from it. */
export function snippetOf(marked: string): Snippet {
  const highlights: Snippet["highlights"] = [];
  let text = "";
  let start = -1;
  for (const ch of marked) {
    if (ch === START) start = text.length;
    else if (ch === STOP) {
      if (start >= 0 && text.length > start) highlights.push({ start, length: text.length - start });
      start = -1;
    } else text += ch === LT ? "<" : ch === GT ? ">" : ch;
  }
  return { text, highlights };
}

/** A contact's name with every searched word (or the whole query) marked where it occurs. */
export function nameSnippet(name: string, q: string): Snippet {
  const lower = name.toLowerCase();
  const ranges: Array<[number, number]> = [];
  for (const needle of [q.trim().toLowerCase(), ...searchWords(q)]) {
    if (!needle) continue;
    for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) ranges.push([i, i + needle.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  return { text: name, highlights: merged.map(([s, e]) => ({ start: s, length: e - s })) };
}

/** A common word is found among this many newest messages; only a rarer one needs the whole index. */
const RECENT_WINDOW = 1000;

type Found = { messageId: string; conversationId: string; author: "customer" | "bot" | "agent" | "system"; createdAt: Date; contactName: string; headline: string };

/**
 * The newest messages matching, in two steps that keep both cases fast on a large workspace: a
 * common word is found among the newest messages (read in date order, stopping at `limit`), and only
 * when they hold too few is the GIN index asked for every match (then there are few to sort).
 */
async function matchingMessages(db: Executor, scope: Scope, tsquery: string, limit: number): Promise<Found[]> {
  const query = to_tsquery(tsquery);
  const recent = db
    .select({ id: messages.id, conversationId: messages.conversationId, author: messages.author, createdAt: messages.createdAt, seq: messages.seq, text: messages.text })
    .from(messages)
    .where(eq(messages.workspaceId, scope.workspaceId))
    .orderBy(desc(messages.createdAt))
    .limit(RECENT_WINDOW)
    .as("recent");
  const headline = (text: SQL | typeof messages.text) => sql<string>`ts_headline('simple', translate(${text}, ${START + STOP + LT + GT + "<>"}, ${"    " + LT + GT}), ${query}, ${headlineOptions})`;
  const inWindow = await db
    .select({ messageId: recent.id, conversationId: recent.conversationId, author: recent.author, createdAt: recent.createdAt, contactName: contacts.name, headline: headline(sql`${recent.text}`) })
    .from(recent)
    .innerJoin(conversations, eq(conversations.id, recent.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(sql`to_tsvector('simple', ${recent.text}) @@ ${query}`, conversationScope(scope)))
    .orderBy(desc(recent.createdAt), desc(recent.seq))
    .limit(limit);
  if (inWindow.length === limit) return inWindow;
  // A prefix query's row estimate is a guess (thousands of rows even for a number found once), and for
  // that many the planner hashes every conversation and contact (100 ms at 50,000). Joined row by row
  // through their primary keys instead, a few matches cost well under a millisecond and a word matching
  // many thousands of messages (not among the newest 1,000) a few ms per thousand. Until the end of
  // the search's transaction.
  await db.execute(sql`select set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`);
  return db
    .select({ messageId: messages.id, conversationId: messages.conversationId, author: messages.author, createdAt: messages.createdAt, contactName: contacts.name, headline: headline(messages.text) })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(eq(messages.workspaceId, scope.workspaceId), messageMatches(tsquery), conversationScope(scope)))
    // Sorted by an expression, not the column: walking the date index instead of asking the GIN index
    // would read every message for a word that is rare (the planner cannot tell prefixes apart).
    .orderBy(sql`${messages.createdAt} + interval '0 seconds' desc`, desc(messages.seq))
    .limit(limit);
}

const to_tsquery = (tsquery: string) => sql`to_tsquery('simple', ${tsquery})`;

/**
 * GET /api/search: matching messages newest first with a highlighted snippet, contacts by name or
 * platform id, and the conversations of both (latest activity first). Everything is limited to what
 * the caller may see: messages and contacts of conversations in their Scope. (GET /api/conversations?q=
 * filters the whole inbox by the same match, page after page.)
 */
export function search(db: Executor, scope: Scope, q: string, limit: number): Promise<SearchResult> {
  return withSearchSettings(db, (tx) => searchIn(tx, scope, q, limit));
}

async function searchIn(db: Executor, scope: Scope, q: string, limit: number): Promise<SearchResult> {
  const tsquery = prefixTsquery(q);
  const messageRows = tsquery ? await matchingMessages(db, scope, tsquery, limit) : [];

  const contactRows = await db
    .select({
      id: contacts.id,
      name: contacts.name,
      avatarUrl: contacts.avatarUrl,
      // Written out with aliases: in a one-table select the query builder drops table names from columns.
      platforms: sql<string[]>`array(select distinct ch.platform from ${contactIdentities} ci join ${channels} ch on ch.id = ci.channel_id where ci.contact_id = "contacts"."id" order by 1)`,
    })
    .from(contacts)
    .where(
      and(
        sql`${contacts.id} in (${contactIdsMatching(scope.workspaceId, q)})`,
        sql`exists (select 1 from ${conversations} where ${conversations.contactId} = ${contacts.id} and ${conversationScope(scope)})`,
      ),
    )
    // Names that start with the query first, then the shortest (the closest) names.
    .orderBy(sql`case when lower(${contacts.name}) like ${q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) + "%"} then 0 else 1 end`, sql`length(${contacts.name})`, asc(contacts.name))
    .limit(limit);

  const byContact = contactRows.length
    ? await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(conversationScope(scope), inArray(conversations.contactId, contactRows.map((c) => c.id))))
        .orderBy(desc(conversations.activityAt))
        .limit(limit)
    : [];
  const conversationIds = [...new Set([...messageRows.map((m) => m.conversationId), ...byContact.map((c) => c.id)])];
  const found = (await summariesByIds(db, scope, conversationIds)).slice(0, limit);

  return {
    conversations: found,
    messages: messageRows.map((m) => ({
      conversationId: m.conversationId,
      messageId: m.messageId,
      author: m.author,
      contactName: m.contactName,
      createdAt: m.createdAt.toISOString(),
      snippet: snippetOf(m.headline),
    })),
    contacts: contactRows.map((c) => ({ id: c.id, name: c.name, avatarUrl: avatarPath(c.id, c.avatarUrl), platforms: c.platforms, snippet: nameSnippet(c.name, q) })),
  };
}
