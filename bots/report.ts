import { sql } from "drizzle-orm";
import type { BotReport } from "../shared/schemas/bots.js";
import { handoffReasons } from "../shared/schemas/common.js";
import type { Executor } from "../server/db/client.js";
import type { Scope } from "../server/domain/scope.js";

/** Each number lists at most this many conversation ids (newest first). */
export const IDS_LIMIT = 200;
const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

export type BotPeriod = { from: Date; to: Date; channelId?: string; teamId?: string };

const conversationFilter = (q: BotPeriod) =>
  sql`${q.channelId ? sql`and c.channel_id = ${q.channelId}` : sql``} ${q.teamId ? sql`and c.team_id = ${q.teamId}` : sql``}`;
const since = (q: BotPeriod) => sql`${q.from.toISOString()}::timestamptz`;

/**
 * FROM and WHERE of the conversations a bot started in, in the period (e is their creation event;
 * e.conversation_id the conversation). The conversation is read only to filter by channel or team.
 */
export const botStartedIn = (scope: Pick<Scope, "workspaceId">, q: BotPeriod) => sql`
    from conversation_events e
    where e.workspace_id = ${scope.workspaceId} and e.type = 'conversation.created' and e.data->>'owner' = 'bot'
      and e.at >= ${since(q)} and e.at < ${q.to.toISOString()}::timestamptz
      ${q.channelId || q.teamId ? sql`and exists (select 1 from conversations c where c.id = e.conversation_id ${conversationFilter(q)})` : sql``}`;

/**
 * Containment, the one definition (docs/metrics.md): a bot resolved it, with no hand-off and no human
 * message. A conversation's events come after its creation, so only events since the period's start
 * are read: the planner can then hash each set once instead of probing every conversation's ledger.
 */
export const containedCondition = (scope: Pick<Scope, "workspaceId">, q: BotPeriod) => sql`(
    e.conversation_id in (select r.conversation_id from conversation_events r
      where r.workspace_id = ${scope.workspaceId} and r.type = 'resolved' and r.actor = 'bot' and r.at >= ${since(q)})
    and not exists (select 1 from conversation_events h
      where h.workspace_id = ${scope.workspaceId} and h.type = 'handed_off' and h.at >= ${since(q)} and h.conversation_id = e.conversation_id)
    and not exists (select 1 from conversation_events m
      where m.workspace_id = ${scope.workspaceId} and m.type = 'message.created' and m.actor = 'agent' and m.at >= ${since(q)} and m.conversation_id = e.conversation_id))`;

/** FROM and WHERE of the hand-offs in the period (alias e, with the reason in e.data). */
export const handoffsIn = (scope: Pick<Scope, "workspaceId">, q: BotPeriod) => sql`
      from conversation_events e
      where e.workspace_id = ${scope.workspaceId} and e.type = 'handed_off'
        and e.at >= ${since(q)} and e.at < ${q.to.toISOString()}::timestamptz
        ${q.channelId || q.teamId ? sql`and exists (select 1 from conversations c where c.id = e.conversation_id ${conversationFilter(q)})` : sql``}`;

/**
 * The supervisor's bot numbers for a period, each with the conversations it counts (METRICS.md's
 * containment: conversations a bot resolved with no human message and no hand-off, divided by the
 * conversations a bot started in). Computed from the ledger, so every number can be traced.
 */
export async function botReport(db: Executor, scope: Pick<Scope, "workspaceId">, q: BotPeriod): Promise<BotReport> {
  const started = botStartedIn(scope, q);
  const [bot] = rowsOf<{ n: number; ids: string[] | null }>(
    await db.execute(sql`select count(*)::int as n, (array_agg(e.conversation_id::text order by e.at desc))[1:${sql.raw(String(IDS_LIMIT))}] as ids ${started}`),
  );
  const [contained] = rowsOf<{ n: number; ids: string[] | null }>(
    await db.execute(sql`
      select count(*)::int as n, (array_agg(e.conversation_id::text order by e.at desc))[1:${sql.raw(String(IDS_LIMIT))}] as ids ${started}
        and ${containedCondition(scope, q)}`),
  );
  const handoffs = rowsOf<{ reason: string; n: number; ids: string[] | null }>(
    await db.execute(sql`
      select e.data->>'reason' as reason, count(*)::int as n, (array_agg(e.conversation_id::text order by e.at desc))[1:${sql.raw(String(IDS_LIMIT * 2))}] as ids
      ${handoffsIn(scope, q)}
      group by 1`),
  );
  const [wrong] = rowsOf<{ n: number; ids: string[] | null; messages: string[] | null }>(
    await db.execute(sql`
      select count(*)::int as n, (array_agg(f.conversation_id::text order by f.at desc))[1:${sql.raw(String(IDS_LIMIT))}] as ids, (array_agg(f.message_id::text order by f.at desc))[1:${sql.raw(String(IDS_LIMIT))}] as messages
      from bot_feedback f join conversations c on c.id = f.conversation_id
      where f.workspace_id = ${scope.workspaceId} and f.at >= ${q.from.toISOString()}::timestamptz and f.at < ${q.to.toISOString()}::timestamptz ${conversationFilter(q)}`),
  );
  const unique = (ids: string[] | null | undefined) => [...new Set(ids ?? [])].slice(0, IDS_LIMIT);
  const byReason = Object.fromEntries(handoffReasons.map((r) => [r, { count: 0, conversationIds: [] as string[] }])) as BotReport["handoffs"]["byReason"];
  for (const h of handoffs) {
    if (h.reason in byReason) byReason[h.reason as keyof typeof byReason] = { count: Number(h.n), conversationIds: unique(h.ids) };
  }
  const botN = Number(bot?.n ?? 0);
  const containedN = Number(contained?.n ?? 0);
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    idsLimit: IDS_LIMIT,
    botConversations: { count: botN, conversationIds: unique(bot?.ids) },
    contained: { count: containedN, rate: botN ? Math.round((containedN / botN) * 10000) / 10000 : null, conversationIds: unique(contained?.ids) },
    handoffs: { total: handoffs.reduce((s, h) => s + Number(h.n), 0), byReason },
    wrongAnswers: { count: Number(wrong?.n ?? 0), conversationIds: unique(wrong?.ids), messageIds: unique(wrong?.messages) },
  };
}
