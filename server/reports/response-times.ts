import { sql, type SQL } from "drizzle-orm";
import { DateTime } from "luxon";
import type { ReportGrouping, ReportRow, ResponseTimesReport, Stat } from "../../shared/schemas/reports.js";
import type { Db, Executor } from "../db/client.js";
import type { Scope } from "../domain/scope.js";
import { periodFilter, type Period, rowsOf } from "./period.js";

export type ResponseTimesQuery = Period & {
  agentId?: string;
  businessHours: boolean;
  groupBy?: ReportGrouping;
  /** Of groupBy day and hour. */
  timeZone: string;
};

const empty: Stat = { count: 0, mean: null, median: null, p90: null };
const metricKeys = { first_response: "firstResponseTime", reply: "replyTime", resolution: "resolutionTime" } as const;
type MetricKey = (typeof metricKeys)[keyof typeof metricKeys];

/** work_mem of the report's transaction: enough for the percentile sorts of a month at scale (docs/performance.md). */
const SORT_MEMORY = "64MB";

/** Days in the grouping are filled in (empty) only for periods up to this long. */
const MAX_FILLED_DAYS = 400;

/**
 * First response, reply and resolution times over [from, to), by when each was recorded, in total and
 * (with groupBy) per agent, team, channel, day or hour of the day, in one pass over the covering
 * (workspace_id, recorded_at) index. Median and p90 are continuous percentiles (linear interpolation),
 * as PostgreSQL's percentile_cont computes them. businessHours counts only business time (the sample's
 * business_seconds; samples recorded before those were kept count calendar time).
 */
export async function responseTimes(db: Db, scope: Pick<Scope, "workspaceId">, q: ResponseTimesQuery): Promise<ResponseTimesReport> {
  const value = q.businessHours ? sql`coalesce(s.business_seconds, s.seconds)` : sql`s.seconds`;
  const key = q.groupBy ? keyOf(q.groupBy, q.timeZone) : sql`null::text`;
  const where: SQL[] = [sql`s.workspace_id = ${scope.workspaceId}`, periodFilter(sql`s.recorded_at`, q)];
  if (q.channelId) where.push(sql`s.channel_id = ${q.channelId}`);
  if (q.teamId) where.push(sql`s.team_id = ${q.teamId}`);
  if (q.agentId) where.push(sql`s.agent_id = ${q.agentId}`);
  // Both percentiles from one sort per group; the sorts stay in memory (a month of samples is tens of MB).
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '${sql.raw(SORT_MEMORY)}'`);
    return rowsOf<{ metric: keyof typeof metricKeys; key: string | null; total: boolean; n: number; mean: number; pct: [number, number] | string }>(
      await tx.execute(sql`
        select x.metric, x.key, ${q.groupBy ? sql`grouping(x.key) = 1` : sql`true`} as total, count(*)::int as n,
          avg(x.v)::float8 as mean,
          percentile_cont(array[0.5, 0.9]::float8[]) within group (order by x.v) as pct
        from (select s.metric, ${key} as key, ${value} as v from metric_samples s where ${sql.join(where, sql` and `)}) x
        group by ${q.groupBy ? sql`grouping sets ((x.metric), (x.metric, x.key))` : sql`x.metric, x.key`}`),
    );
  });
  const stat = (r: (typeof rows)[number]): Stat => {
    const [median, p90] = typeof r.pct === "string" ? r.pct.replace(/[{}]/g, "").split(",").map(Number) : r.pct;
    return { count: Number(r.n), mean: round(r.mean), median: round(median ?? null), p90: round(p90 ?? null) };
  };
  const totals: Record<MetricKey, Stat> = { firstResponseTime: empty, replyTime: empty, resolutionTime: empty };
  const groups = new Map<string | null, Record<MetricKey, Stat>>();
  for (const r of rows) {
    const metric = metricKeys[r.metric];
    if (!metric) continue;
    if (r.total) {
      totals[metric] = stat(r);
      continue;
    }
    const g = groups.get(r.key) ?? { firstResponseTime: empty, replyTime: empty, resolutionTime: empty };
    g[metric] = stat(r);
    groups.set(r.key, g);
  }
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    businessHours: q.businessHours,
    ...totals,
    groupBy: q.groupBy ?? null,
    rows: q.groupBy ? await labelled(db, scope, q, groups) : [],
  };
}

/** The group key of a sample, as text: the id, or the local day or hour in the time zone. */
function keyOf(groupBy: ReportGrouping, timeZone: string): SQL {
  switch (groupBy) {
    case "agent":
      return sql`s.agent_id::text`;
    case "team":
      return sql`s.team_id::text`;
    case "channel":
      return sql`s.channel_id::text`;
    case "day":
      return sql`to_char(s.recorded_at at time zone ${timeZone}, 'YYYY-MM-DD')`;
    case "hour":
      return sql`to_char(s.recorded_at at time zone ${timeZone}, 'HH24')`;
  }
}

type Groups = Map<string | null, Record<MetricKey, Stat>>;

/** Names the rows; days and hours with no sample are listed too, so a chart shows the gaps. */
async function labelled(db: Executor, scope: Pick<Scope, "workspaceId">, q: ResponseTimesQuery, groups: Groups): Promise<ReportRow[]> {
  const row = (key: string | null, label: string): ReportRow => ({
    key,
    label,
    ...(groups.get(key) ?? { firstResponseTime: empty, replyTime: empty, resolutionTime: empty }),
  });
  if (q.groupBy === "hour") {
    const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));
    return hours.map((h) => row(h, `${h}:00`));
  }
  if (q.groupBy === "day") {
    const keys = new Set(groups.keys() as Iterable<string>);
    let day = DateTime.fromJSDate(q.from, { zone: q.timeZone }).startOf("day");
    const end = DateTime.fromJSDate(q.to, { zone: q.timeZone });
    for (let i = 0; i < MAX_FILLED_DAYS && day < end; i++, day = day.plus({ days: 1 })) keys.add(day.toISODate()!);
    return [...keys].sort().map((d) => row(d, d));
  }
  const ids = [...groups.keys()].filter((k): k is string => k !== null);
  const names = new Map<string, string>();
  if (ids.length > 0) {
    const table = q.groupBy === "agent" ? sql`users` : q.groupBy === "team" ? sql`teams` : sql`channels`;
    const found = rowsOf<{ id: string; name: string }>(
      await db.execute(sql`select id::text as id, name from ${table} where workspace_id = ${scope.workspaceId} and id::text in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`),
    );
    for (const f of found) names.set(f.id, f.name);
  }
  const none = q.groupBy === "agent" ? "No agent (bot or system)" : q.groupBy === "team" ? "No team" : "Unknown channel";
  return [...groups.keys()]
    .map((k) => row(k, (k && names.get(k)) ?? (k ? "(deleted)" : none)))
    .sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.label.localeCompare(b.label)));
}

const round = (n: number | string | null) => (n === null ? null : Math.round(Number(n) * 1000) / 1000);
