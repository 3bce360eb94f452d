import { sql, type SQL } from "drizzle-orm";
import { botStartedIn, containedCondition } from "../../bots/report.js";
import { handoffReasons } from "../../shared/schemas/common.js";
import type { OverviewReport } from "../../shared/schemas/reports.js";
import type { Db, Executor } from "../db/client.js";
import type { Scope } from "../domain/scope.js";
import { periodFilter, type Period, rowsOf, sideBySide } from "./period.js";

/** A half-open time range [from, to). */
type Range = { from: Date; to: Date };
type Counts = { conversations: number; messagesIn: number; messagesOut: number; handedOff: Map<string, number>; met: number; breached: number; windows: number };

const DAY_MS = 86_400_000;
/** A UTC day is counted once, in report_days, only when it ended at least this long ago by the database's clock (0012_report_rollups). */
const SETTLED = "1 hour";

/**
 * The period's volume and outcomes (docs/metrics.md): conversations started, messages in and out, bot
 * containment and hand-offs (the bot report's own definitions), and SLA targets met or breached.
 * Whole UTC days that ended over an hour ago are read from the daily rollup (computed here on first use);
 * the partial days at either edge, and containment (a later event can still change it), are counted live.
 */
export async function overview(db: Db, scope: Pick<Scope, "workspaceId">, p: Period): Promise<OverviewReport> {
  return assemble(db, scope, p, countsOf(db, scope, p));
}

/** The same report counted straight from the tables, without the rollup (tests compare the two). */
export async function overviewDirect(db: Executor, scope: Pick<Scope, "workspaceId">, p: Period): Promise<OverviewReport> {
  return assemble(db, scope, p, liveCounts(db, scope, p, [p]));
}

async function assemble(db: Executor, scope: Pick<Scope, "workspaceId">, p: Period, counting: Promise<Counts>): Promise<OverviewReport> {
  const [counts, [bot], [contained]] = await Promise.all([
    counting,
    botCount(db, p, sql`select count(*)::int as n ${botStartedIn(scope, p)}`),
    // In WHERE, as the bot report has it: the planner can turn the conditions into (anti-)joins.
    botCount(db, p, sql`select count(*)::int as n ${botStartedIn(scope, p)} and ${containedCondition(scope, p)}`),
  ]);
  const handedOff = Object.fromEntries(handoffReasons.map((r) => [r, 0])) as OverviewReport["handedOff"];
  for (const [reason, n] of counts.handedOff) if (reason in handedOff) handedOff[reason as keyof typeof handedOff] = n;
  const botN = Number(bot?.n ?? 0);
  const botResolved = Number(contained?.n ?? 0);
  const { met, breached } = counts;
  return {
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    conversations: counts.conversations,
    messagesIn: counts.messagesIn,
    messagesOut: counts.messagesOut,
    botConversations: botN,
    botResolved,
    containment: ratio(botResolved, botN),
    handedOff,
    sla: { met, breached, attainment: ratio(met, met + breached) },
    replyWindowsExpired: counts.windows,
  };
}

/**
 * A count over the bot's conversations. With a channel or team filter the planner expects few of them
 * and probes every conversation's ledger one by one; hash joins are faster there, so the filtered
 * counts run with nested loops off (docs/performance.md).
 */
function botCount(db: Executor, p: Period, query: SQL): Promise<Array<{ n: number }>> {
  return sideBySide<{ n: number }>(db, query, { noNestLoop: !!(p.channelId || p.teamId) });
}

const ratio = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10000) / 10000 : null);

/** The counts of the period: the rolled-up whole days in the middle, the edges live. */
async function countsOf(db: Db, scope: Pick<Scope, "workspaceId">, p: Period): Promise<Counts> {
  const days = await rolledUpDays(db, scope.workspaceId, p);
  if (!days) return liveCounts(db, scope, p, [p]);
  const edges = [
    { from: p.from, to: days.from },
    { from: days.to, to: p.to },
  ].filter((r) => r.from < r.to);
  const [rolled, live] = await Promise.all([readRollup(db, scope.workspaceId, p, days), edges.length ? liveCounts(db, scope, p, edges) : null]);
  // A day forgotten between computing and reading (a late row): the whole period live instead.
  if (!rolled) return liveCounts(db, scope, p, [p]);
  return live ? add(rolled, live) : rolled;
}

/**
 * The whole UTC days of the period that ended at least SETTLED ago, all counted in report_days (the
 * missing ones counted now, under the workspace's advisory lock the forgetting triggers share); null
 * when there are none.
 */
async function rolledUpDays(db: Db, ws: string, p: Range): Promise<Range | null> {
  const first = Math.ceil(p.from.getTime() / DAY_MS) * DAY_MS;
  const [row] = rowsOf<{ cutoff: Date | string }>(await db.execute(sql`select now() - interval '${sql.raw(SETTLED)}' as cutoff`));
  const end = Math.floor(Math.min(p.to.getTime(), new Date(row!.cutoff).getTime()) / DAY_MS) * DAY_MS;
  if (end <= first) return null;
  const range = { from: new Date(first), to: new Date(end) };
  const missing = rowsOf<{ day: string }>(
    await db.execute(sql`
      select d::date::text as day from generate_series(${isoDay(range.from)}::date, ${isoDay(range.to)}::date - 1, interval '1 day') d
      where not exists (select 1 from report_days r where r.workspace_id = ${ws} and r.day = d::date)`),
  ).map((r) => r.day);
  if (missing.length) await countDays(db, ws, missing);
  return range;
}

/** Counts the given UTC days into the rollup; a day another report counted meanwhile is left alone. */
async function countDays(db: Db, ws: string, days: string[]) {
  const sorted = [...days].sort();
  const lo = `${sorted[0]}T00:00:00.000Z`;
  const hi = new Date(Date.parse(`${sorted[sorted.length - 1]}T00:00:00.000Z`) + DAY_MS).toISOString();
  const inRange = (column: SQL) => sql`${column} >= ${lo}::timestamptz and ${column} < ${hi}::timestamptz`;
  const day = (column: SQL) => sql`(${column} at time zone 'UTC')::date`;
  await db.transaction(async (tx) => {
    // Waits for writers of late rows (they hold it shared until they commit), so this count sees their rows.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('report_days:' || ${ws}::text, 0))`);
    await tx.execute(sql`
      with d as (
        insert into report_days (workspace_id, day) select ${ws}::uuid, x from unnest(${`{${sorted.join(",")}}`}::date[]) x
        on conflict do nothing returning day)
      insert into report_day_counts (workspace_id, day, channel_id, team_id, measure, n)
      select ${ws}::uuid, x.day, x.channel_id, x.team_id, x.measure, x.n from (
        select ${day(sql`c.created_at`)} as day, c.channel_id, c.team_id, 'conversations' as measure, count(*)::int as n
        from conversations c where c.workspace_id = ${ws} and ${inRange(sql`c.created_at`)} group by 1, 2, 3
        union all
        select ${day(sql`m.created_at`)}, m.channel_id, c.team_id, case when m.direction = 'in' then 'messages_in' else 'messages_out' end, count(*)::int
        from messages m join conversations c on c.id = m.conversation_id
        where m.workspace_id = ${ws} and ${inRange(sql`m.created_at`)}
          and (m.direction = 'in' or (m.direction = 'out' and m.visibility <> 'note' and m.status <> 'cancelled'))
        group by 1, 2, 3, 4
        union all
        select ${day(sql`e.at`)}, c.channel_id, c.team_id, 'handed_off:' || coalesce(e.data->>'reason', ''), count(*)::int
        from conversation_events e join conversations c on c.id = e.conversation_id
        where e.workspace_id = ${ws} and e.type = 'handed_off' and ${inRange(sql`e.at`)} group by 1, 2, 3, 4
        union all
        select ${day(sql`t.outcome_at`)}, t.channel_id, t.team_id,
          case when t.metric = 'reply_window' then 'reply_windows_expired' when t.status = 'met' then 'sla_met' else 'sla_breached' end, count(*)::int
        from sla_targets t
        where t.workspace_id = ${ws} and t.status in ('met', 'breached') and not (t.metric = 'reply_window' and t.status = 'met')
          and ${inRange(sql`t.outcome_at`)} group by 1, 2, 3, 4
      ) x where x.day in (select day from d)`);
  });
}

/** The rollup's sums over the days, filtered like the report; null when a day is no longer counted. */
async function readRollup(db: Executor, ws: string, p: Period, days: Range): Promise<Counts | null> {
  const rows = rowsOf<{ measure: string | null; n: number; counted: number }>(
    await db.execute(sql`
      select k.measure, k.n, (select count(*)::int from report_days r where r.workspace_id = ${ws} and r.day >= ${isoDay(days.from)}::date and r.day < ${isoDay(days.to)}::date) as counted
      from (select 1) one left join (
        select measure, sum(n)::int as n from report_day_counts
        where workspace_id = ${ws} and day >= ${isoDay(days.from)}::date and day < ${isoDay(days.to)}::date
          ${p.channelId ? sql`and channel_id = ${p.channelId}` : sql``} ${p.teamId ? sql`and team_id = ${p.teamId}` : sql``}
        group by measure) k on true`),
  );
  const expected = Math.round((days.to.getTime() - days.from.getTime()) / DAY_MS);
  if (Number(rows[0]?.counted ?? 0) !== expected) return null;
  const c: Counts = { conversations: 0, messagesIn: 0, messagesOut: 0, handedOff: new Map(), met: 0, breached: 0, windows: 0 };
  for (const r of rows) {
    const n = Number(r.n ?? 0);
    if (r.measure === null) continue;
    if (r.measure.startsWith("handed_off:")) c.handedOff.set(r.measure.slice("handed_off:".length), n);
    else if (r.measure === "conversations") c.conversations = n;
    else if (r.measure === "messages_in") c.messagesIn = n;
    else if (r.measure === "messages_out") c.messagesOut = n;
    else if (r.measure === "sla_met") c.met = n;
    else if (r.measure === "sla_breached") c.breached = n;
    else if (r.measure === "reply_windows_expired") c.windows = n;
  }
  return c;
}

/** The counts over the ranges, straight from the tables; each query on an index led by (workspace_id, time). */
async function liveCounts(db: Executor, scope: Pick<Scope, "workspaceId">, p: Period, ranges: Range[]): Promise<Counts> {
  const ws = scope.workspaceId;
  const within = (column: SQL) => sql`(${sql.join(ranges.map((r) => periodFilter(column, r)), sql` or `)})`;
  const byChannel = (column: SQL) => (p.channelId ? sql`and ${column} = ${p.channelId}` : sql``);
  const byTeam = (column: SQL) => (p.teamId ? sql`and ${column} = ${p.teamId}` : sql``);
  // Messages carry no team: a team's are those of its conversations.
  const teamMessages = p.teamId ? sql`and m.conversation_id in (select id from conversations where workspace_id = ${ws} and team_id = ${p.teamId})` : sql``;
  const teamOrChannel = p.channelId || p.teamId;
  // Independent queries: on PostgreSQL each takes its own pooled connection, so they run side by side.
  const [[conv], [msg], handoffs, [sla]] = await Promise.all([
    sideBySide<{ n: number }>(
      db,
      sql`
        select count(*)::int as n from conversations c
        where c.workspace_id = ${ws} and ${within(sql`c.created_at`)} ${byChannel(sql`c.channel_id`)} ${byTeam(sql`c.team_id`)}`,
    ),
    sideBySide<{ inbound: number; outbound: number }>(
      db,
      sql`
        select count(*) filter (where m.direction = 'in')::int as inbound,
          count(*) filter (where m.direction = 'out' and m.visibility <> 'note' and m.status <> 'cancelled')::int as outbound
        from messages m
        where m.workspace_id = ${ws} and ${within(sql`m.created_at`)} ${byChannel(sql`m.channel_id`)} ${teamMessages}`,
    ),
    sideBySide<{ reason: string; n: number }>(
      db,
      sql`
        select e.data->>'reason' as reason, count(*)::int as n
        from conversation_events e
        where e.workspace_id = ${ws} and e.type = 'handed_off' and ${within(sql`e.at`)}
          ${teamOrChannel ? sql`and exists (select 1 from conversations c where c.id = e.conversation_id ${byChannel(sql`c.channel_id`)} ${byTeam(sql`c.team_id`)})` : sql``}
        group by 1`,
    ),
    sideBySide<{ met: number; breached: number; windows: number }>(
      db,
      sql`
        select count(*) filter (where t.status = 'met' and t.metric <> 'reply_window')::int as met,
          count(*) filter (where t.status = 'breached' and t.metric <> 'reply_window')::int as breached,
          count(*) filter (where t.status = 'breached' and t.metric = 'reply_window')::int as windows
        from sla_targets t
        where t.workspace_id = ${ws} and t.status in ('met', 'breached') and ${within(sql`t.outcome_at`)}
          ${byChannel(sql`t.channel_id`)} ${byTeam(sql`t.team_id`)}`,
    ),
  ]);
  return {
    conversations: Number(conv?.n ?? 0),
    messagesIn: Number(msg?.inbound ?? 0),
    messagesOut: Number(msg?.outbound ?? 0),
    handedOff: new Map(handoffs.map((h) => [h.reason, Number(h.n)])),
    met: Number(sla?.met ?? 0),
    breached: Number(sla?.breached ?? 0),
    windows: Number(sla?.windows ?? 0),
  };
}

function add(a: Counts, b: Counts): Counts {
  const handedOff = new Map(a.handedOff);
  for (const [k, n] of b.handedOff) handedOff.set(k, (handedOff.get(k) ?? 0) + n);
  return {
    conversations: a.conversations + b.conversations,
    messagesIn: a.messagesIn + b.messagesIn,
    messagesOut: a.messagesOut + b.messagesOut,
    handedOff,
    met: a.met + b.met,
    breached: a.breached + b.breached,
    windows: a.windows + b.windows,
  };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
