import { sql, type SQL } from "drizzle-orm";
import { botStartedIn, containedCondition, handoffsIn } from "../../bots/report.js";
import { handoffReasons } from "../../shared/schemas/common.js";
import type { OverviewReport } from "../../shared/schemas/reports.js";
import type { Executor } from "../db/client.js";
import type { Scope } from "../domain/scope.js";
import { periodFilter, type Period, rowsOf } from "./period.js";

/**
 * The period's volume and outcomes (docs/metrics.md): conversations started, messages in and out, bot
 * containment and hand-offs (the bot report's own definitions), and SLA targets met or breached.
 * Each number is one query on an index led by (workspace_id, time).
 */
export async function overview(db: Executor, scope: Pick<Scope, "workspaceId">, p: Period): Promise<OverviewReport> {
  const ws = scope.workspaceId;
  const byChannel = (column: SQL) => (p.channelId ? sql`and ${column} = ${p.channelId}` : sql``);
  const byTeam = (column: SQL) => (p.teamId ? sql`and ${column} = ${p.teamId}` : sql``);
  // Messages carry no team: a team's are those of its conversations.
  const teamMessages = p.teamId ? sql`and m.conversation_id in (select id from conversations where workspace_id = ${ws} and team_id = ${p.teamId})` : sql``;

  // Independent queries: on PostgreSQL each takes its own pooled connection, so they run side by side.
  const [[conv], [msg], [bot], [contained], handoffs, [sla]] = await Promise.all([
    db
      .execute(sql`
        select count(*)::int as n from conversations c
        where c.workspace_id = ${ws} and ${periodFilter(sql`c.created_at`, p)} ${byChannel(sql`c.channel_id`)} ${byTeam(sql`c.team_id`)}`)
      .then(rowsOf<{ n: number }>),
    db
      .execute(sql`
        select count(*) filter (where m.direction = 'in')::int as inbound,
          count(*) filter (where m.direction = 'out' and m.visibility <> 'note' and m.status <> 'cancelled')::int as outbound
        from messages m
        where m.workspace_id = ${ws} and ${periodFilter(sql`m.created_at`, p)} ${byChannel(sql`m.channel_id`)} ${teamMessages}`)
      .then(rowsOf<{ inbound: number; outbound: number }>),
    db.execute(sql`select count(*)::int as n ${botStartedIn(scope, p)}`).then(rowsOf<{ n: number }>),
    // In WHERE, as the bot report has it: the planner can turn the conditions into (anti-)joins.
    db.execute(sql`select count(*)::int as n ${botStartedIn(scope, p)} and ${containedCondition(scope, p)}`).then(rowsOf<{ n: number }>),
    db.execute(sql`select e.data->>'reason' as reason, count(*)::int as n ${handoffsIn(scope, p)} group by 1`).then(rowsOf<{ reason: string; n: number }>),
    db
      .execute(sql`
        select count(*) filter (where t.status = 'met' and t.metric <> 'reply_window')::int as met,
          count(*) filter (where t.status = 'breached' and t.metric <> 'reply_window')::int as breached,
          count(*) filter (where t.status = 'breached' and t.metric = 'reply_window')::int as windows
        from sla_targets t
        where t.workspace_id = ${ws} and t.status in ('met', 'breached') and ${periodFilter(sql`t.outcome_at`, p)}
          ${byChannel(sql`t.channel_id`)} ${byTeam(sql`t.team_id`)}`)
      .then(rowsOf<{ met: number; breached: number; windows: number }>),
  ]);

  const handedOff = Object.fromEntries(handoffReasons.map((r) => [r, 0])) as OverviewReport["handedOff"];
  for (const h of handoffs) if (h.reason in handedOff) handedOff[h.reason as keyof typeof handedOff] = Number(h.n);
  const botN = Number(bot?.n ?? 0);
  const botResolved = Number(contained?.n ?? 0);
  const met = Number(sla?.met ?? 0);
  const breached = Number(sla?.breached ?? 0);
  return {
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    conversations: Number(conv?.n ?? 0),
    messagesIn: Number(msg?.inbound ?? 0),
    messagesOut: Number(msg?.outbound ?? 0),
    botConversations: botN,
    botResolved,
    containment: ratio(botResolved, botN),
    handedOff,
    sla: { met, breached, attainment: ratio(met, met + breached) },
    replyWindowsExpired: Number(sla?.windows ?? 0),
  };
}

const ratio = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10000) / 10000 : null);
