import { and, eq, isNotNull, or } from "drizzle-orm";
import type { Tx } from "../db/client.js";
import { conversations, teamChannels, teams, users } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";
import type { LedgerAppend } from "./ledger.js";

type ConversationRow = typeof conversations.$inferSelect;

/** Open, owned by people, nobody assigned: it waits in its team's queue. */
export const waitsForPerson = (c: Pick<ConversationRow, "owner" | "status" | "assigneeId">) => c.owner === "human" && c.status === "open" && !c.assigneeId;

async function channelTeam(tx: Tx, channelId: string): Promise<string | null> {
  const [row] = await tx.select({ teamId: teamChannels.teamId }).from(teamChannels).where(eq(teamChannels.channelId, channelId));
  return row?.teamId ?? null;
}

/** Whether a team returns a missing member's conversations to its queue (the default; false for "keep"). */
async function assigneeUnavailable(tx: Tx, userId: string, teamId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(teams, and(eq(teams.id, teamId), eq(teams.whenOffline, "requeue")))
    .where(and(eq(users.id, userId), or(eq(users.availability, "offline"), isNotNull(users.deactivatedAt))));
  return Boolean(row);
}

/**
 * Decides, inside the transaction that changes a conversation, what that change means for its team's
 * queue. `before` is the stored row, `next` the row as the change leaves it (patched in place):
 * - passing to people (hand-off, reopen, wake-up) on a team's channel puts it in that team's queue;
 *   if its assignee is offline or deactivated and the team requeues, it goes back to the queue;
 * - waiting for a person sets `queued_at` (kept while it waits: the queue is first in, first out);
 * - an assignee who stops holding it open (resolved, pending, reassigned) may take the next one.
 * Queue work itself runs after commit (`assignment.check`), under the team's lock.
 */
export async function routeChange(
  tx: Tx,
  before: ConversationRow,
  next: ConversationRow,
  teamExplicit: boolean,
  at: Date,
): Promise<{ patch: Partial<ConversationRow>; ledger: LedgerAppend[]; events: DomainEvent[] }> {
  const patch: Partial<ConversationRow> = {};
  const ledger: LedgerAppend[] = [];
  const events: DomainEvent[] = [];
  const toPeople = next.owner === "human" && next.status === "open" && (before.owner !== "human" || before.status !== "open");

  if (toPeople && !teamExplicit && !next.teamId) {
    const teamId = await channelTeam(tx, next.channelId);
    if (teamId) {
      patch.teamId = next.teamId = teamId;
      ledger.push({ workspaceId: next.workspaceId, conversationId: next.id, type: "team_changed", actor: "system", data: { teamId, previous: null, by: "channel" }, at });
    }
  }
  if (toPeople && next.assigneeId && next.assigneeId === before.assigneeId && next.teamId && (await assigneeUnavailable(tx, next.assigneeId, next.teamId))) {
    ledger.push({
      workspaceId: next.workspaceId,
      conversationId: next.id,
      type: "assigned",
      actor: "system",
      data: { assigneeId: null, previous: next.assigneeId, by: "assignee_unavailable" },
      at,
    });
    events.push({ type: "conversation.assigned", workspaceId: next.workspaceId, conversationId: next.id, assigneeId: null, previousAssigneeId: next.assigneeId, actorUserId: null });
    patch.assigneeId = next.assigneeId = null;
  }

  if (waitsForPerson(next)) {
    const joined = !next.queuedAt;
    if (joined) patch.queuedAt = next.queuedAt = at;
    if (next.teamId && (joined || !waitsForPerson(before) || next.teamId !== before.teamId)) {
      events.push({ type: "assignment.check", workspaceId: next.workspaceId, teamId: next.teamId, userId: null });
    }
  } else if (next.queuedAt) {
    patch.queuedAt = next.queuedAt = null;
  }

  // The previous assignee had it open and no longer does: they may have room for the next one.
  if (before.assigneeId && before.status === "open" && (next.assigneeId !== before.assigneeId || next.status !== "open")) {
    events.push({ type: "assignment.check", workspaceId: next.workspaceId, teamId: null, userId: before.assigneeId });
  }
  return { patch, ledger, events };
}
