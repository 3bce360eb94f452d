import { and, desc, eq } from "drizzle-orm";
import { handoffReasonWords } from "../../shared/schemas/bots.js";
import type { HandoffReason } from "../../shared/schemas/common.js";
import type { Tx } from "../db/client.js";
import { botHandoffs, conversations, messages, teams, users } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { routeChange } from "./assignment-routing.js";
import { conversationScope } from "./conversation-queries.js";
import { appendLedger, refreshMetricSamples } from "./ledger.js";
import { type Scope, BadRequest, NotFound } from "./scope.js";
import { refreshSla, slaLedgers, slaMayRun } from "./sla.js";
import { serializeMessage } from "./serialize.js";

type ConversationRow = typeof conversations.$inferSelect;
type Actor = { kind: "agent"; userId: string } | { kind: "bot" } | { kind: "system" } | { kind: "customer" };

/** The seven hand-off reasons in words (shared/schemas/bots.ts); conversations keep the words of the latest. */
export const handoffReasons = handoffReasonWords;
export type { HandoffReason };

/**
 * Loads a conversation and locks it until the transaction ends. Given the caller's Scope, only one
 * they may see (an agent: their teams' and their own); given a workspace id, any of that workspace's
 * (system work: jobs, ingest).
 */
export async function lockConversation(tx: Tx, scope: string | Scope, id: string): Promise<ConversationRow> {
  const where = typeof scope === "string" ? eq(conversations.workspaceId, scope) : conversationScope(scope);
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(where, eq(conversations.id, id)))
    .for("update");
  if (!row) throw new NotFound("conversation not found");
  return row;
}

function ledgerActor(actor: Actor) {
  return { actor: actor.kind === "agent" ? ("agent" as const) : actor.kind, actorUserId: actor.kind === "agent" ? actor.userId : null };
}

export type ConversationChange = {
  status?: ConversationRow["status"];
  owner?: "bot" | "human";
  assigneeId?: string | null;
  handoffReason?: HandoffReason;
  teamId?: string | null;
  priority?: ConversationRow["priority"];
  /** With status snoozed: when it wakes by itself (null or absent: only when the customer writes). */
  snoozedUntil?: Date | null;
  /** What decided an assignment, for the ledger (a policy name, agent_offline, …); default: the actor's kind. */
  assignedBy?: string;
  /** With owner human: what the agent's hand-off card shows (the bot's summary of the conversation). */
  handoffSummary?: string | null;
  /** With owner human: the customer message the bot was answering. */
  handoffMessageId?: string | null;
};

/**
 * Applies status, owner, assignee, team and priority changes to a locked conversation, writing each to
 * the ledger. Setting owner to human records a hand-off; to bot, a hand-back. Then the team queue, the
 * metric samples and the SLA clocks follow the new state, in the same transaction.
 */
export async function changeConversation(
  tx: Tx,
  events: DomainEvent[],
  conv: ConversationRow,
  change: ConversationChange,
  actor: Actor,
  at = new Date(),
): Promise<ConversationRow> {
  const base = { workspaceId: conv.workspaceId, conversationId: conv.id, at, ...ledgerActor(actor) };
  const ledger: Parameters<typeof appendLedger>[1] = [];
  const patch: Partial<ConversationRow> = {};

  if (change.assigneeId !== undefined && change.assigneeId !== conv.assigneeId) {
    if (change.assigneeId) {
      const [assignee] = await tx
        .select({ id: users.id, deactivatedAt: users.deactivatedAt })
        .from(users)
        .where(and(eq(users.id, change.assigneeId), eq(users.workspaceId, conv.workspaceId)));
      if (!assignee) throw new BadRequest("assigneeId: no such user in this workspace", "unknown_assignee");
      if (assignee.deactivatedAt) throw new BadRequest("assigneeId: this person is deactivated", "user_inactive");
    }
    patch.assigneeId = change.assigneeId;
    ledger.push({ ...base, type: "assigned", data: { assigneeId: change.assigneeId, previous: conv.assigneeId, by: change.assignedBy ?? actor.kind } });
    events.push({
      type: "conversation.assigned",
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      assigneeId: change.assigneeId,
      previousAssigneeId: conv.assigneeId,
      actorUserId: actor.kind === "agent" ? actor.userId : null,
    });
  }

  if (change.owner && change.owner !== conv.owner) {
    patch.owner = change.owner;
    patch.botMisses = 0;
    if (change.owner === "human") {
      const reason = change.handoffReason ?? "agent_takeover";
      patch.handoffReason = handoffReasons[reason];
      ledger.push({ ...base, type: "handed_off", data: { reason } });
      await tx.insert(botHandoffs).values({ workspaceId: conv.workspaceId, conversationId: conv.id, reason, summary: change.handoffSummary ?? null, messageId: change.handoffMessageId ?? null, at });
      if (!change.status && conv.status !== "resolved") patch.status = "open";
    } else {
      patch.handoffReason = null;
      // The bot picks up from the customer's next message, never from what a person already handled.
      const [latest] = await tx
        .select({ seq: messages.seq })
        .from(messages)
        .where(and(eq(messages.conversationId, conv.id), eq(messages.author, "customer")))
        .orderBy(desc(messages.seq))
        .limit(1);
      patch.botHandledSeq = Math.max(conv.botHandledSeq, latest?.seq ?? 0);
      ledger.push({ ...base, type: "handed_back", data: {} });
    }
  }

  if (change.teamId !== undefined && change.teamId !== conv.teamId) {
    if (change.teamId) {
      const [team] = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.id, change.teamId), eq(teams.workspaceId, conv.workspaceId)));
      if (!team) throw new BadRequest("teamId: no such team in this workspace", "unknown_team");
    }
    patch.teamId = change.teamId;
    ledger.push({ ...base, type: "team_changed", data: { teamId: change.teamId, previous: conv.teamId, by: change.assignedBy ?? actor.kind } });
  }

  if (change.priority && change.priority !== conv.priority) {
    patch.priority = change.priority;
    ledger.push({ ...base, type: "priority_changed", data: { priority: change.priority, previous: conv.priority } });
  }

  const status = change.status ?? patch.status;
  if (status === "snoozed") {
    const until = change.snoozedUntil ?? null;
    if (until && until.getTime() <= at.getTime()) throw new BadRequest("snoozedUntil: must be in the future", "snooze_in_past");
    if (conv.status === "snoozed" && until?.getTime() !== conv.snoozedUntil?.getTime()) {
      ledger.push({ ...base, type: "status.changed", data: { from: conv.status, to: status, snoozedUntil: until?.toISOString() ?? null } });
    }
    patch.snoozedUntil = until;
    // The wake-up timer is a delayed job after the commit; the sweeper wakes any whose job was lost.
    if (until) events.push({ type: "snooze.timer", workspaceId: conv.workspaceId, conversationId: conv.id, at: until.toISOString() });
  } else if (status && conv.snoozedUntil) {
    patch.snoozedUntil = null;
  }
  if (status && status !== conv.status) {
    patch.status = status;
    if (status === "resolved") {
      patch.resolvedAt = at;
      patch.waitingSince = null;
      ledger.push({ ...base, type: "resolved", data: { from: conv.status } });
    } else if (conv.status === "resolved") {
      patch.resolvedAt = null;
      ledger.push({ ...base, type: "reopened", data: { from: conv.status, to: status } });
    } else {
      ledger.push({ ...base, type: "status.changed", data: { from: conv.status, to: status, ...(status === "snoozed" && { snoozedUntil: patch.snoozedUntil?.toISOString() ?? null }) } });
    }
  }

  if (ledger.length === 0) return conv;
  const routed = await routeChange(tx, conv, { ...conv, ...patch }, change.teamId !== undefined, at);
  Object.assign(patch, routed.patch);
  ledger.push(...routed.ledger);
  const [updated] = await tx
    .update(conversations)
    .set({ ...patch, updatedAt: at, activityAt: at })
    .where(eq(conversations.id, conv.id))
    .returning();
  await appendLedger(tx, ledger);
  const history = await refreshMetricSamples(tx, conv);
  await refreshSla(tx, events, updated!, history, at);
  events.push(...routed.events, { type: "conversation.updated", workspaceId: conv.workspaceId, conversationId: conv.id });
  return updated!;
}

export type NewMessage = {
  direction: "in" | "out";
  author: "customer" | "bot" | "agent" | "system";
  authorUserId?: string | null;
  visibility: "public" | "private" | "note";
  text: string;
  status: (typeof messages.$inferInsert)["status"];
  externalId?: string | null;
  surface?: "reply" | "private_reply" | "template" | null;
  rating?: number | null;
  parentExternalId?: string | null;
  attachments?: Array<{ type: string; url?: string | null }>;
  meta?: Record<string, unknown>;
};

/**
 * Stores a message in a locked conversation and updates what the inbox and the metrics read from it.
 * Returns null when the platform message id was already stored (a redelivery).
 */
export async function addMessage(
  tx: Tx,
  events: DomainEvent[],
  conv: ConversationRow,
  msg: NewMessage,
  at = new Date(),
): Promise<typeof messages.$inferSelect | null> {
  const [row] = await tx
    .insert(messages)
    .values({
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      channelId: conv.channelId,
      direction: msg.direction,
      author: msg.author,
      authorUserId: msg.authorUserId ?? null,
      visibility: msg.visibility,
      text: msg.text,
      status: msg.status,
      externalId: msg.externalId ?? null,
      surface: msg.surface ?? null,
      rating: msg.rating ?? null,
      parentExternalId: msg.parentExternalId ?? null,
      attachments: msg.attachments ?? [],
      meta: msg.meta ?? {},
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;

  const patch: Partial<ConversationRow> = { updatedAt: at };
  if (msg.visibility !== "note") {
    const text = msg.text || (msg.rating ? "★".repeat(msg.rating) : msg.attachments?.length ? `[${msg.attachments[0]!.type}]` : "");
    Object.assign(patch, { lastMessageAt: at, lastMessageText: text, lastMessageDirection: msg.direction, activityAt: at });
  }
  if (msg.author === "customer") {
    patch.lastCustomerMessageAt = at;
    patch.waitingSince = conv.waitingSince ?? at;
  } else if (msg.visibility !== "note" && (msg.author === "agent" || (msg.author === "bot" && conv.owner === "bot"))) {
    patch.waitingSince = null;
    if (msg.author === "agent" && !conv.firstHumanReplyAt) patch.firstHumanReplyAt = at;
  }
  const before = { ...conv };
  Object.assign(conv, patch);
  // A conversation that starts with people (a channel without a bot) joins its team's queue with its first message.
  const routed = await routeChange(tx, before, conv, false, at);
  Object.assign(patch, routed.patch);
  await tx.update(conversations).set(patch).where(eq(conversations.id, conv.id));

  await appendLedger(tx, [
    {
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      type: "message.created",
      actor: msg.author,
      actorUserId: msg.authorUserId ?? null,
      messageId: row.id,
      data: { direction: msg.direction, visibility: msg.visibility },
      at,
    },
  ]);
  // A customer message never creates or changes a metric sample (samples end at replies and
  // resolutions), so it skips the recomputation; the ledger is read only when SLA clocks need it.
  const history =
    msg.author !== "customer" ? await refreshMetricSamples(tx, conv) : slaMayRun(conv) ? (await slaLedgers(tx, [conv])).get(conv.id)! : [];
  await refreshSla(tx, events, conv, history, at);
  events.push(
    ...routed.events,
    {
      type: "message.created",
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      messageId: row.id,
      author: msg.author,
      owner: conv.owner,
      // The inserted row is the pushed message; only an author's name would need another query.
      ...(row.authorUserId ? {} : { message: serializeMessage(row) }),
    },
    { type: "conversation.updated", workspaceId: conv.workspaceId, conversationId: conv.id },
  );
  if (msg.status === "queued") {
    events.push({ type: "message.outbound.queued", workspaceId: conv.workspaceId, conversationId: conv.id, messageId: row.id });
  }
  return row;
}

export type { Scope };
