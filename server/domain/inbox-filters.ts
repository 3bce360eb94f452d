import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { ConversationFilters, InboxView } from "../../shared/schemas/conversations.js";
import { channels, conversations, messages, teamMembers } from "../db/schema.js";
import { conversationScope } from "./conversation-queries.js";
import type { Scope } from "./scope.js";
import { contactIdsMatching, messageMatches, prefixTsquery } from "./text-search.js";

/** Open and pending; written as literals so the planner matches the partial index of migration 0010. */
const active = sql`${conversations.status} in ('open', 'pending')`;

/** What each preset view holds, for the caller (see InboxView). */
export function viewCondition(view: InboxView, scope: Scope): SQL {
  switch (view) {
    case "mine":
      return and(active, eq(conversations.assigneeId, scope.userId))!;
    case "unassigned":
      return and(active, eq(conversations.owner, "human"), isNull(conversations.assigneeId))!;
    case "my_teams":
      // In one of my teams' queues: the same test the console applies to live rows.
      return and(active, sql`${conversations.teamId} in (select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${scope.userId})`)!;
    case "all":
      return active;
    case "bot":
      return and(active, eq(conversations.owner, "bot"))!;
    case "snoozed":
      return eq(conversations.status, "snoozed");
    case "resolved":
      return eq(conversations.status, "resolved");
  }
}

/**
 * Every condition of a list: what the caller may see, the view, then each filter narrowing it. The
 * text filter matches a message (full text) or the contact's name, as GET /api/search does.
 */
export function inboxConditions(scope: Scope, f: ConversationFilters): SQL[] {
  const where: SQL[] = [conversationScope(scope)];
  if (f.view) where.push(viewCondition(f.view, scope));
  if (f.status) where.push(eq(conversations.status, f.status));
  if (f.channelId) where.push(eq(conversations.channelId, f.channelId));
  if (f.platform) where.push(sql`${conversations.channelId} in (select ${channels.id} from ${channels} where ${channels.workspaceId} = ${scope.workspaceId} and ${channels.platform} = ${f.platform})`);
  if (f.kind) where.push(eq(conversations.kind, f.kind));
  if (f.owner) where.push(eq(conversations.owner, f.owner));
  if (f.assigneeId === "me") where.push(eq(conversations.assigneeId, scope.userId));
  else if (f.assigneeId === "none") where.push(isNull(conversations.assigneeId));
  else if (f.assigneeId) where.push(eq(conversations.assigneeId, f.assigneeId));
  if (f.teamId) where.push(eq(conversations.teamId, f.teamId));
  if (f.label) where.push(sql`${conversations.labels} @> array[${f.label}]::text[]`);
  if (f.priority) where.push(eq(conversations.priority, f.priority));
  if (f.q) where.push(textCondition(scope.workspaceId, f.q));
  return where;
}

/** Conversations with a message matching q (full text) or whose contact matches by name or platform id. */
export function textCondition(workspaceId: string, q: string): SQL {
  const tsquery = prefixTsquery(q);
  const byName = sql`${conversations.contactId} in (${contactIdsMatching(workspaceId, q)})`;
  if (!tsquery) return byName;
  const byMessage = sql`${conversations.id} in (select ${messages.conversationId} from ${messages} where ${messages.workspaceId} = ${workspaceId} and ${messageMatches(tsquery)})`;
  return sql`(${byMessage} or ${byName})`;
}

/**
 * The same text test for one conversation at a time (its id and contact given as columns of an outer
 * query): its own messages are read through messages_conversation_idx and stop at the first match.
 * Cheap for a few conversations, whatever the word; the set form above pays for every match in the
 * workspace, which for a common word is most of the messages.
 */
export function conversationMatches(workspaceId: string, q: string, conversationId: SQL, contactId: SQL): SQL {
  const tsquery = prefixTsquery(q);
  const byName = sql`${contactId} in (${contactIdsMatching(workspaceId, q)})`;
  if (!tsquery) return byName;
  const byMessage = sql`exists (select 1 from ${messages} where ${messages.conversationId} = ${conversationId} and ${messages.workspaceId} = ${workspaceId} and ${messageMatches(tsquery)})`;
  return sql`(${byMessage} or ${byName})`;
}
