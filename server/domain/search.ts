import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { SearchResult, Snippet } from "../../shared/schemas/search.js";
import type { Executor } from "../db/client.js";
import { channels, contactIdentities, contacts, conversations, messages } from "../db/schema.js";
import { conversationScope } from "./conversation-queries.js";
import { listInbox } from "./inbox-list.js";
import type { Scope } from "./scope.js";
import { contactIdsMatching, messageMatches, prefixTsquery, searchWords } from "./text-search.js";

// ts_headline marks matches with these; they are taken out of the text first, so any left are ours.
const START = "\u0001";
const STOP = "\u0002";
// ts_headline drops anything that looks like an HTML tag: angle brackets go in as these and come back.
const LT = "\u0003";
const GT = "\u0004";
const headlineOptions = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

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

/**
 * GET /api/search: conversations (as the inbox filters them by q), matching messages newest first with
 * a highlighted snippet, and contacts by name or platform id. Everything is limited to what the caller
 * may see: messages and contacts of conversations in their Scope.
 */
export async function search(db: Executor, scope: Scope, q: string, limit: number): Promise<SearchResult> {
  const tsquery = prefixTsquery(q);
  const { items: found } = await listInbox(db, scope, { q, sort: "activity", limit });

  const messageRows = tsquery
    ? await db
        .select({
          messageId: messages.id,
          conversationId: messages.conversationId,
          author: messages.author,
          createdAt: messages.createdAt,
          contactName: contacts.name,
          headline: sql<string>`ts_headline('simple', translate(${messages.text}, ${START + STOP + LT + GT + "<>"}, ${"    " + LT + GT}), to_tsquery('simple', ${tsquery}), ${headlineOptions})`,
        })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .innerJoin(contacts, eq(contacts.id, conversations.contactId))
        .where(and(eq(messages.workspaceId, scope.workspaceId), messageMatches(tsquery), conversationScope(scope)))
        .orderBy(desc(messages.createdAt), desc(messages.seq))
        .limit(limit)
    : [];

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
    contacts: contactRows.map((c) => ({ id: c.id, name: c.name, avatarUrl: c.avatarUrl, platforms: c.platforms, snippet: nameSnippet(c.name, q) })),
  };
}
