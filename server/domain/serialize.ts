import type { Platform } from "../../shared/schemas/common.js";
import type { ConversationSummary, Message } from "../../shared/schemas/conversations.js";
import type { conversations, messages } from "../db/schema.js";
import { avatarPath } from "./contact-profile.js";

type MessageRow = typeof messages.$inferSelect;
type ConversationRow = typeof conversations.$inferSelect;
/** A conversation as lists and summaries read it: without the SLA replay's state (an internal cache). */
export type ListedConversation = Omit<ConversationRow, "slaReplay">;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function serializeMessage(m: MessageRow, authorName: string | null = null): Message {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    author: m.author,
    authorUserId: m.authorUserId,
    // In a group chat, the customer message's own sender (connectors keep it in meta.sender).
    authorName: authorName ?? ((m.meta.sender as { name?: string } | undefined)?.name ?? null),
    visibility: m.visibility,
    text: m.text,
    status: m.status,
    failureReason: m.failureReason,
    externalId: m.externalId,
    surface: m.surface,
    rating: m.rating,
    attachments: m.attachments,
    hidden: m.hidden,
    editedAt: iso(m.editedAt),
    editHistory: Array.isArray(m.meta.history) ? (m.meta.history as Message["editHistory"]) : [],
    deletedAt: iso(m.deletedAt),
    deletedBy: m.deletedAt ? (m.meta.deletedBy === "agent" ? "agent" : "customer") : null,
    templateName: (m.meta.template as { name?: string } | undefined)?.name ?? null,
    via: typeof m.meta.via === "string" ? m.meta.via : null,
    bot: botInfoOf(m),
    createdAt: m.createdAt.toISOString(),
  };
}

/** A bot answer's stage, cited articles and thumbs-down, kept in meta.bot (bots/bot-message.ts writes it). */
function botInfoOf(m: MessageRow): Message["bot"] {
  if (m.author !== "bot") return null;
  const b = (m.meta.bot ?? {}) as Partial<NonNullable<Message["bot"]>>;
  return { stage: b.stage ?? "rules", articles: b.articles ?? [], wrongAnswer: b.wrongAnswer ?? null };
}

export function serializeConversation(
  c: ListedConversation,
  contact: { id: string; name: string; avatarUrl: string | null },
  channel: { platform: Platform; name: string },
  assigneeName: string | null,
  teamName: string | null = null,
): ConversationSummary {
  return {
    id: c.id,
    channelId: c.channelId,
    platform: channel.platform,
    channelName: channel.name,
    kind: c.kind,
    status: c.status,
    owner: c.owner,
    assigneeId: c.assigneeId,
    assigneeName,
    teamId: c.teamId,
    teamName,
    priority: c.priority,
    labels: c.labels,
    snoozedUntil: iso(c.snoozedUntil),
    sla:
      c.slaMetric && c.slaDueAt
        ? { policyId: c.slaPolicyId, metric: c.slaMetric, dueAt: c.slaDueAt.toISOString(), breachedAt: iso(c.slaBreachedAt) }
        : null,
    contact: { id: contact.id, name: contact.name, avatarUrl: avatarPath(contact.id, contact.avatarUrl) },
    context: c.context,
    lastMessage:
      c.lastMessageAt && c.lastMessageDirection
        ? { text: c.lastMessageText ?? "", direction: c.lastMessageDirection, createdAt: c.lastMessageAt.toISOString() }
        : null,
    waitingSince: iso(c.waitingSince),
    activityAt: c.activityAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
