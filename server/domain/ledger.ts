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

/** A ledger entry as read, with its id (entries follow one another in id order). */
export type LoggedEntry = LedgerEntry & { id: number };

/** One conversation's ledger, oldest first. */
export async function loadLedger(tx: Executor, conversationId: string): Promise<LoggedEntry[]> {
  return (await loadLedgersAfter(tx, [{ id: conversationId, after: 0 }])).get(conversationId)!;
}

/**
 * The entries of several conversations after a given entry id each (0: the whole ledger), in one read,
 * each oldest first (an empty list for a conversation without such entries). Ingest reads only what
 * follows the SLA replay's stored state (`resumable(conv.slaReplay)?.upTo`): re-reading every
 * conversation's whole ledger on each batch was the largest share of PostgreSQL's time at a steady rate.
 */
export async function loadLedgersAfter(tx: Executor, from: Array<{ id: string; after: number }>): Promise<Map<string, LoggedEntry[]>> {
  const ledgers = new Map<string, LoggedEntry[]>(from.map(({ id }) => [id, []]));
  const rows = await runStatement<LoggedEntry & { conversationId: string }>(tx, readEntriesAfter, [from.map((f) => f.id), from.map((f) => f.after)]);
  for (const { conversationId, ...entry } of rows) ledgers.get(conversationId)!.push({ ...entry, id: Number(entry.id) });
  return ledgers;
}

// Read on every ingest batch for the SLA clocks of its conversations, so it skips the query builder too.
// Each conversation's entries come from its own range of the (conversation_id, id) index: as a plain
// join, the planner cannot tell how few entries follow `after`, and chose to hash the whole table.
// (The ORDER BY keeps the subquery from being merged into a join.)
const readEntriesAfter = statement(
  "ledger_read_after",
  `select e.id, f.conversation_id as "conversationId", e.type, e.actor, e.actor_user_id as "actorUserId", e.data, e.at
     from unnest($1::uuid[], $2::bigint[]) as f(conversation_id, after)
     cross join lateral (
       select id, type, actor, actor_user_id, data, at from conversation_events
        where conversation_id = f.conversation_id and id > f.after order by id
     ) e
    order by e.id`,
);

/** Recomputes a conversation's metric samples from its ledger, in the same transaction; returns that ledger. */
export async function refreshMetricSamples(
  tx: Executor,
  conv: { id: string; workspaceId: string; channelId: string },
): Promise<LoggedEntry[]> {
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
