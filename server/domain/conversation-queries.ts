import { and, eq, getTableColumns, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Conversation, ConversationSummary, Handoff, Message } from "../../shared/schemas/conversations.js";
import type { Executor } from "../db/client.js";
import { channels, contactIdentities, contacts, conversations, messages, teamChannels, teamMembers, teams, users } from "../db/schema.js";
import { currentHandoff } from "../../bots/handoffs.js";
import { replyOptions, type ReplyChannel } from "./reply-options.js";
import { type Scope, NotFound } from "./scope.js";
import { type ListedConversation, serializeConversation, serializeMessage } from "./serialize.js";
import { idIn } from "../db/id-in.js";

/**
 * The condition every conversation read carries, inside the query. Admins and supervisors see the
 * whole workspace. An agent sees the conversations assigned to them, those in one of their teams'
 * queues, those on one of their teams' channels, and those of channels that belong to no team (a
 * workspace without teams works as before). A bare `{workspaceId}` is the system's view (jobs,
 * subscribers): the whole workspace.
 */
export function conversationScope(scope: Pick<Scope, "workspaceId"> & Partial<Pick<Scope, "role" | "userId">>): SQL {
  const workspace = eq(conversations.workspaceId, scope.workspaceId);
  if (scope.role !== "agent") return workspace;
  const me = scope.userId!;
  return and(
    workspace,
    or(
      eq(conversations.assigneeId, me),
      sql`${conversations.teamId} in (select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${me})`,
      sql`${conversations.channelId} in (select ${teamChannels.channelId} from ${teamChannels} join ${teamMembers} on ${teamMembers.teamId} = ${teamChannels.teamId} where ${teamMembers.userId} = ${me})`,
      and(isNull(conversations.teamId), sql`not exists (select 1 from ${teamChannels} where ${teamChannels.channelId} = ${conversations.channelId})`),
    ),
  )!;
}

// Every column but the SLA replay's state: an internal cache of the ledger that no summary shows.
const { slaReplay: _slaReplay, ...listedColumns } = getTableColumns(conversations);
/** What a conversation summary needs, selected from conversations joined with contacts, channels and users. */
export const summaryColumns = {
  conversation: listedColumns,
  contactId: contacts.id,
  contactName: contacts.name,
  contactAvatarUrl: contacts.avatarUrl,
  platform: channels.platform,
  channelName: channels.name,
  assigneeName: users.name,
  teamName: sql<string | null>`(select ${teams.name} from ${teams} where ${teams.id} = ${conversations.teamId})`,
};

/** Conversations joined with what their summaries show (contact, channel, assignee), filtered by `where`. */
export function summaryRows(db: Executor, where: SQL | undefined) {
  return db
    .select(summaryColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(channels, eq(channels.id, conversations.channelId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .where(where);
}

type SummaryRow = {
  conversation: ListedConversation;
  contactId: string;
  contactName: string;
  contactAvatarUrl: string | null;
  platform: (typeof channels.$inferSelect)["platform"];
  channelName: string;
  assigneeName: string | null;
  teamName: string | null;
};

/** A row selected with summaryColumns, as the API's ConversationSummary. */
export function summaryOf(r: SummaryRow): ConversationSummary {
  return serializeConversation(r.conversation, { id: r.contactId, name: r.contactName, avatarUrl: r.contactAvatarUrl }, { platform: r.platform, name: r.channelName }, r.assigneeName, r.teamName);
}

export async function getConversation(db: Executor, scope: Parameters<typeof conversationScope>[0], id: string): Promise<Conversation> {
  const c = (await getConversations(db, scope, [id])).get(id);
  if (!c) throw new NotFound("conversation not found");
  return c;
}

/** Several conversations in one query (the socket pushes after an ingest batch), by id; those not found (or not in scope) are absent. */
export async function getConversations(db: Executor, scope: Parameters<typeof conversationScope>[0], ids: string[]): Promise<Map<string, Conversation>> {
  const out = new Map<string, Conversation>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      ...summaryColumns,
      // What the reply options need of the channel, not its secrets or bot settings (read for every pushed conversation).
      channel: { platform: channels.platform, settings: channels.settings, status: channels.status, statusReason: channels.statusReason },
      blockedAt: contactIdentities.blockedAt,
      blockedReason: contactIdentities.blockedReason,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(channels, eq(channels.id, conversations.channelId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .leftJoin(contactIdentities, and(eq(contactIdentities.contactId, conversations.contactId), eq(contactIdentities.channelId, conversations.channelId)))
    .where(and(conversationScope(scope), idIn(conversations.id, ids)));
  for (const r of rows) out.set(r.conversation.id, conversationOf(r, await currentHandoff(db, r.conversation)));
  return out;
}

/** What a whole conversation read is made of: its summary's row, its channel's reply settings and its contact's block on that channel. */
export type ConversationRead = SummaryRow & { channel: ReplyChannel; blockedAt: Date | null; blockedReason: string | null };

/** A conversation as the API and the socket pushes show it, from its row and joins and its current hand-off. */
export function conversationOf(r: ConversationRead, handoff: Handoff | null): Conversation {
  const c = r.conversation;
  return {
    ...serializeConversation(c, { id: r.contactId, name: r.contactName, avatarUrl: r.contactAvatarUrl }, { platform: r.platform, name: r.channelName }, r.assigneeName, r.teamName),
    handoffReason: c.handoffReason,
    handoff,
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    channelStatus: r.channel.status,
    channelStatusReason: r.channel.statusReason,
    replyOptions: replyOptions(c, r.channel, { blockedAt: r.blockedAt, blockedReason: r.blockedReason }),
  };
}

export async function getMessage(db: Executor, scope: Pick<Scope, "workspaceId">, id: string): Promise<Message> {
  const [r] = await db
    .select({ message: messages, authorName: users.name })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(and(eq(messages.workspaceId, scope.workspaceId), eq(messages.id, id)));
  if (!r) throw new NotFound("message not found");
  return serializeMessage(r.message, r.authorName);
}
