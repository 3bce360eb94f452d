import { eq, sql } from "drizzle-orm";
import type { BusinessHours } from "../../shared/schemas/teams.js";
import type { Executor } from "../db/client.js";
import { metricSamples } from "../db/schema.js";
import { businessSecondsBetween } from "./business-hours.js";
import { computeSamples, type LedgerEntry } from "../reports/metric-samples.js";
import { isoOf, runStatement, statement } from "../db/raw.js";

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

/** Appends entries in the order given (their ids follow it), in one statement whatever their number. */
export async function appendLedger(tx: Executor, rows: LedgerAppend[]): Promise<void> {
  if (rows.length === 0) return;
  await runStatement(tx, insertEntries, [
    rows.map((r) => r.workspaceId),
    rows.map((r) => r.conversationId),
    rows.map((r) => r.type),
    rows.map((r) => r.actor),
    rows.map((r) => r.actorUserId ?? null),
    rows.map((r) => r.messageId ?? null),
    rows.map((r) => JSON.stringify(r.data ?? {})),
    rows.map((r) => isoOf(r.at)),
  ]);
}

const insertEntries = statement(
  "ledger_append",
  `insert into conversation_events (workspace_id, conversation_id, type, actor, actor_user_id, message_id, data, at)
   select workspace_id, conversation_id, type, actor, actor_user_id, message_id, data::jsonb, at
     from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::timestamptz[])
          with ordinality as e(workspace_id, conversation_id, type, actor, actor_user_id, message_id, data, at, n)
    order by n`,
);

/** One conversation's ledger, oldest first. */
export async function loadLedger(tx: Executor, conversationId: string): Promise<LedgerEntry[]> {
  return (await loadLedgers(tx, [conversationId])).get(conversationId)!;
}

/** The ledgers of several conversations in one read, each oldest first (an empty one for a conversation without entries). */
export async function loadLedgers(tx: Executor, conversationIds: string[]): Promise<Map<string, LedgerEntry[]>> {
  const ledgers = new Map<string, LedgerEntry[]>(conversationIds.map((id) => [id, []]));
  const rows = await runStatement<LedgerEntry & { conversationId: string }>(tx, readEntries, [conversationIds]);
  for (const { conversationId, ...entry } of rows) ledgers.get(conversationId)!.push(entry);
  return ledgers;
}

// Read on every ingest batch for the SLA clocks of its conversations, so it skips the query builder too.
const readEntries = statement(
  "ledger_read",
  `select conversation_id as "conversationId", type, actor, actor_user_id as "actorUserId", data, at
     from conversation_events where conversation_id = any($1::uuid[]) order by id`,
);

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
