import { asc, eq, sql } from "drizzle-orm";
import type { BusinessHours } from "../../shared/schemas/teams.js";
import type { Executor } from "../db/client.js";
import { conversationEvents, metricSamples } from "../db/schema.js";
import { businessSecondsBetween } from "./business-hours.js";
import { computeSamples, type LedgerEntry } from "../reports/metric-samples.js";
import { idIn } from "../db/id-in.js";

export type LedgerType =
  | "conversation.created"
  | "message.created"
  | "assigned"
  | "handed_off"
  | "handed_back"
  | "status.changed"
  | "reopened"
  | "resolved"
  | "moderated"
  | "team_changed"
  | "priority_changed"
  | "sla_breached"
  | "contact_merged"
  | "labels_changed";

export type LedgerAppend = {
  workspaceId: string;
  conversationId: string;
  type: LedgerType;
  actor: LedgerEntry["actor"];
  actorUserId?: string | null;
  messageId?: string | null;
  data?: Record<string, unknown>;
  at: Date;
};

export async function appendLedger(tx: Executor, rows: LedgerAppend[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(conversationEvents).values(
    rows.map((r) => ({
      workspaceId: r.workspaceId,
      conversationId: r.conversationId,
      type: r.type,
      actor: r.actor,
      actorUserId: r.actorUserId ?? null,
      messageId: r.messageId ?? null,
      data: r.data ?? {},
      at: r.at,
    })),
  );
}

/** One conversation's ledger, oldest first. */
export async function loadLedger(tx: Executor, conversationId: string): Promise<LedgerEntry[]> {
  return (await loadLedgers(tx, [conversationId])).get(conversationId)!;
}

/** The ledgers of several conversations in one read, each oldest first (an empty one for a conversation without entries). */
export async function loadLedgers(tx: Executor, conversationIds: string[]): Promise<Map<string, LedgerEntry[]>> {
  const ledgers = new Map<string, LedgerEntry[]>(conversationIds.map((id) => [id, []]));
  const rows = await tx
    .select({
      conversationId: conversationEvents.conversationId,
      type: conversationEvents.type,
      actor: conversationEvents.actor,
      actorUserId: conversationEvents.actorUserId,
      data: conversationEvents.data,
      at: conversationEvents.at,
    })
    .from(conversationEvents)
    .where(idIn(conversationEvents.conversationId, conversationIds))
    .orderBy(asc(conversationEvents.id));
  for (const { conversationId, ...entry } of rows) ledgers.get(conversationId)!.push(entry as LedgerEntry);
  return ledgers;
}

/** Recomputes a conversation's metric samples from its ledger, in the same transaction; returns that ledger. */
export async function refreshMetricSamples(
  tx: Executor,
  conv: { id: string; workspaceId: string; channelId: string },
): Promise<LedgerEntry[]> {
  const ledger = await loadLedger(tx, conv.id);
  const samples = computeSamples(ledger);
  await tx.delete(metricSamples).where(eq(metricSamples.conversationId, conv.id));
  if (samples.length === 0) return ledger;
  const { teamId, hours } = await teamAndCalendar(tx, conv.id);
  await tx.insert(metricSamples).values(
    samples.map((s) => ({
      ...s,
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      channelId: conv.channelId,
      teamId,
      businessSeconds: hours ? businessSecondsBetween(hours, s.startedAt, s.recordedAt) : s.seconds,
    })),
  );
  return ledger;
}

/**
 * The conversation's team as stored now (a change in this transaction included) and its business hours:
 * the team's own, else the workspace's, else none (always open: business time is calendar time).
 */
async function teamAndCalendar(tx: Executor, conversationId: string): Promise<{ teamId: string | null; hours: BusinessHours | null }> {
  const result = await tx.execute(sql`
    select c.team_id, coalesce(t.business_hours, w.business_hours) as hours
    from conversations c
      left join teams t on t.id = c.team_id
      left join workspace_business_hours w on w.workspace_id = c.workspace_id
    where c.id = ${conversationId}`);
  const row = (result as unknown as { rows: { team_id: string | null; hours: BusinessHours | string | null }[] }).rows[0];
  const hours = typeof row?.hours === "string" ? (JSON.parse(row.hours) as BusinessHours) : (row?.hours ?? null);
  return { teamId: row?.team_id ?? null, hours };
}
