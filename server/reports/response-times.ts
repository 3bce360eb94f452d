import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { ResponseTimesReport, Stat } from "../../shared/schemas/reports.js";
import type { Executor } from "../db/client.js";
import { metricSamples } from "../db/schema.js";
import type { Scope } from "../domain/scope.js";

const empty: Stat = { count: 0, mean: null, median: null, p90: null };

/**
 * First response, reply and resolution times over [from, to), by when each was recorded. Median and
 * p90 are continuous percentiles (linear interpolation), as PostgreSQL's percentile_cont computes them.
 */
export async function responseTimes(
  db: Executor,
  scope: Pick<Scope, "workspaceId">,
  range: { from: Date; to: Date; channelId?: string },
): Promise<ResponseTimesReport> {
  const where: SQL[] = [
    eq(metricSamples.workspaceId, scope.workspaceId),
    gte(metricSamples.recordedAt, range.from),
    lt(metricSamples.recordedAt, range.to),
  ];
  if (range.channelId) where.push(eq(metricSamples.channelId, range.channelId));
  const rows = await db
    .select({
      metric: metricSamples.metric,
      count: sql<number>`count(*)::int`,
      mean: sql<number>`avg(${metricSamples.seconds})::float8`,
      median: sql<number>`percentile_cont(0.5) within group (order by ${metricSamples.seconds})::float8`,
      p90: sql<number>`percentile_cont(0.9) within group (order by ${metricSamples.seconds})::float8`,
    })
    .from(metricSamples)
    .where(and(...where))
    .groupBy(metricSamples.metric);
  const stat = (metric: string): Stat => {
    const r = rows.find((x) => x.metric === metric);
    return r ? { count: Number(r.count), mean: round(r.mean), median: round(r.median), p90: round(r.p90) } : empty;
  };
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    firstResponseTime: stat("first_response"),
    replyTime: stat("reply"),
    resolutionTime: stat("resolution"),
  };
}

const round = (n: number | string) => Math.round(Number(n) * 1000) / 1000;
