import { sql } from "drizzle-orm";
import { availabilities } from "../../shared/schemas/common.js";
import type { LiveReport } from "../../shared/schemas/reports.js";
import type { Executor } from "../db/client.js";
import type { Scope } from "../domain/scope.js";
import { rowsOf } from "./period.js";

/** The waiting list shows this many of the longest waits. */
export const OLDEST_LIMIT = 10;

/**
 * The supervisor's view of now: the team queues (open, people-owned, unassigned conversations, by
 * queued_at), SLA deadlines at risk or breached, each person's availability and open load, and what bots
 * hold. Small queries on partial indexes, so it stays cheap to refetch on every change.
 */
export async function liveReport(db: Executor, scope: Pick<Scope, "workspaceId">, q: { teamId?: string; now: Date }): Promise<LiveReport> {
  const ws = scope.workspaceId;
  const now = q.now.toISOString();
  const byTeam = q.teamId ? sql`and team_id = ${q.teamId}` : sql``;
  const teamMembers = q.teamId ? sql`and u.id in (select user_id from team_members where team_id = ${q.teamId})` : sql``;
  const [[waiting], oldest, [sla], agents, [bot]] = await Promise.all([
    db
      .execute(sql`select count(*)::int as n, min(queued_at) as oldest from conversations where workspace_id = ${ws} and queued_at is not null ${byTeam}`)
      .then(rowsOf<{ n: number; oldest: string | Date | null }>),
    db
      .execute(sql`
        select id, channel_id, team_id, queued_at from conversations
        where workspace_id = ${ws} and queued_at is not null ${byTeam}
        order by queued_at limit ${OLDEST_LIMIT}`)
      .then(rowsOf<{ id: string; channel_id: string; team_id: string | null; queued_at: string | Date }>),
    // At risk: running and past the warning; breached: past due and still waiting (a due timer not yet run counts too).
    db
      .execute(sql`
        select count(*) filter (where status = 'running' and warn_at <= ${now}::timestamptz and due_at > ${now}::timestamptz)::int as at_risk,
          count(*) filter (where status = 'breached' or due_at <= ${now}::timestamptz)::int as breached
        from sla_targets
        where workspace_id = ${ws} and ended_at is null and status in ('running', 'breached') and metric <> 'reply_window' ${byTeam}`)
      .then(rowsOf<{ at_risk: number; breached: number }>),
    db
      .execute(sql`
        select u.id, u.name, u.role, u.availability,
          (select count(*) from conversations c where c.assignee_id = u.id and c.status = 'open')::int as open
        from users u
        where u.workspace_id = ${ws} and u.deactivated_at is null ${teamMembers}
        order by u.name, u.id`)
      .then(rowsOf<{ id: string; name: string; role: string; availability: LiveReport["agents"][number]["availability"]; open: number }>),
    db
      .execute(sql`select count(*)::int as n from conversations where workspace_id = ${ws} and owner = 'bot' and status <> 'resolved' ${byTeam}`)
      .then(rowsOf<{ n: number }>),
  ]);
  const at = q.now.getTime();
  const wait = (since: string | Date) => Math.max(0, Math.round((at - new Date(since).getTime()) / 1000));
  const byAvailability = Object.fromEntries(availabilities.map((a) => [a, 0])) as LiveReport["byAvailability"];
  for (const a of agents) byAvailability[a.availability] += 1;
  return {
    at: q.now.toISOString(),
    waiting: {
      count: Number(waiting?.n ?? 0),
      longestWaitSeconds: waiting?.oldest ? wait(waiting.oldest) : null,
      oldest: oldest.map((c) => ({ conversationId: c.id, channelId: c.channel_id, teamId: c.team_id, since: new Date(c.queued_at).toISOString(), waitSeconds: wait(c.queued_at) })),
    },
    sla: { atRisk: Number(sla?.at_risk ?? 0), breached: Number(sla?.breached ?? 0) },
    agents: agents.map((a) => ({ id: a.id, name: a.name, role: a.role, availability: a.availability, openConversations: Number(a.open) })),
    byAvailability,
    botOwned: Number(bot?.n ?? 0),
  };
}
