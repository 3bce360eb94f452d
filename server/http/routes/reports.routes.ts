import { ReportQuery, ResponseTimesReport } from "../../../shared/schemas/reports.js";
import type { Ctx } from "../../context.js";
import { getChannelRow } from "../../domain/channels.js";
import { BadRequest } from "../../domain/scope.js";
import { responseTimes } from "../../reports/response-times.js";
import { managers, type RouteTable } from "../route.js";

export function reportRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/reports/response-times",
    summary: "First response, reply and resolution times (count, mean, median, p90, in seconds), as docs/metrics.md defines them",
    tag: "reports",
    access: managers,
    query: ReportQuery,
    response: ResponseTimesReport,
    async handler({ query, scope }) {
      const to = query.to ? new Date(query.to) : new Date();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * 86400_000);
      if (from >= to) throw new BadRequest("from must be before to", "invalid_range");
      if (query.channelId) await getChannelRow(ctx.db, scope, query.channelId);
      return responseTimes(ctx.db, scope, { from, to, channelId: query.channelId });
    },
  });
}
