import { and, eq } from "drizzle-orm";
import { LiveQuery, LiveReport, OverviewQuery, OverviewReport, ReportQuery, ResponseTimesReport } from "../../../shared/schemas/reports.js";
import type { Ctx } from "../../context.js";
import { teams, users } from "../../db/schema.js";
import { isKnownTimeZone } from "../../domain/business-hours.js";
import { getChannelRow } from "../../domain/channels.js";
import { BadRequest, type Scope } from "../../domain/scope.js";
import { responseTimesCsv } from "../../reports/csv.js";
import { liveReport } from "../../reports/live.js";
import { overview } from "../../reports/overview.js";
import type { Period } from "../../reports/period.js";
import { responseTimes } from "../../reports/response-times.js";
import { managers, type RouteTable } from "../route.js";

type PeriodQuery = { from?: string; to?: string; channelId?: string; teamId?: string };

export function reportRoutes(ctx: Ctx, t: RouteTable) {
  /** The period [from, to) (default: the 7 days before now), with its filters checked against the workspace. */
  async function periodOf(scope: Scope, query: PeriodQuery): Promise<Period> {
    const to = query.to ? new Date(query.to) : ctx.clock.now();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * 86400_000);
    if (from >= to) throw new BadRequest("from must be before to", "invalid_range");
    if (query.channelId) await getChannelRow(ctx.db, scope, query.channelId);
    if (query.teamId) await checkTeam(scope, query.teamId);
    return { from, to, channelId: query.channelId, teamId: query.teamId };
  }

  async function checkTeam(scope: Scope, teamId: string) {
    const [team] = await ctx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.id, teamId), eq(teams.workspaceId, scope.workspaceId)));
    if (!team) throw new BadRequest("teamId: no such team in this workspace", "unknown_team");
  }

  t.add({
    method: "get",
    path: "/reports/response-times",
    summary:
      "First response, reply and resolution times (count, mean, median, p90, in seconds), as docs/metrics.md defines them; optionally in business hours, and broken down by agent, team, channel, day or hour (rows); format=csv answers text/csv",
    tag: "reports",
    access: managers,
    query: ReportQuery,
    response: ResponseTimesReport,
    alsoProduces: ["text/csv"],
    async handler({ query, scope, res }) {
      const period = await periodOf(scope, query);
      if (query.agentId) {
        const [user] = await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.id, query.agentId), eq(users.workspaceId, scope.workspaceId)));
        if (!user) throw new BadRequest("agentId: no such person in this workspace", "unknown_user");
      }
      const timeZone = query.timeZone ?? "UTC";
      if (!isKnownTimeZone(timeZone)) throw new BadRequest(`timeZone: unknown time zone ${timeZone}`, "invalid_time_zone");
      const report = await responseTimes(ctx.db, scope, {
        ...period,
        agentId: query.agentId,
        businessHours: query.businessHours === "true",
        groupBy: query.groupBy,
        timeZone,
      });
      if (query.format === "csv") {
        const name = `response-times-${period.from.toISOString().slice(0, 10)}-${query.groupBy ?? "total"}.csv`;
        res.status(200).type("text/csv; charset=utf-8").setHeader("Content-Disposition", `attachment; filename="${name}"`);
        res.send(responseTimesCsv(report));
      }
      return report;
    },
  });

  t.add({
    method: "get",
    path: "/reports/overview",
    summary:
      "The period's conversations started, messages in and out, bot containment (conversations a bot started in and resolved alone), hand-offs per reason, and SLA targets met and breached",
    tag: "reports",
    access: managers,
    query: OverviewQuery,
    response: OverviewReport,
    async handler({ query, scope }) {
      return overview(ctx.db, scope, await periodOf(scope, query));
    },
  });

  t.add({
    method: "get",
    path: "/reports/live",
    summary: "Now: conversations waiting in team queues and the longest wait, SLA deadlines at risk and breached, people by availability with their open load, conversations bots hold",
    tag: "reports",
    access: managers,
    query: LiveQuery,
    response: LiveReport,
    async handler({ query, scope }) {
      if (query.teamId) await checkTeam(scope, query.teamId);
      return liveReport(ctx.db, scope, { teamId: query.teamId, now: ctx.clock.now() });
    },
  });
}
