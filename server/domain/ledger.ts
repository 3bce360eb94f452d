import { asc, eq } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { conversationEvents, metricSamples } from "../db/schema.js";
import { computeSamples, type LedgerEntry } from "../reports/metric-samples.js";

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
  return tx
    .select({
      type: conversationEvents.type,
      actor: conversationEvents.actor,
      actorUserId: conversationEvents.actorUserId,
      data: conversationEvents.data,
      at: conversationEvents.at,
    })
    .from(conversationEvents)
    .where(eq(conversationEvents.conversationId, conversationId))
    .orderBy(asc(conversationEvents.id));
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
  await tx.insert(metricSamples).values(
    samples.map((s) => ({ ...s, workspaceId: conv.workspaceId, conversationId: conv.id, channelId: conv.channelId })),
  );
  return ledger;
}
