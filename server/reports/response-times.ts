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
type MetricKey = "firstResponseTime" | "replyTime" | "resolutionTime";

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
  // One pass: each metric's aggregates FILTER its own samples, so the totals need no sort of the rows at
  // all, only each percentile's sort of its values; a grouping sorts the rows once by a compact key
  // (uuid, date or hour number, never collated text). work_mem keeps those sorts in memory.
  const perMetric = (m: number) => sql.raw(`
    count(*) filter (where x.m = ${m})::int as n${m},
    avg(x.v) filter (where x.m = ${m})::float8 as mean${m},
    percentile_cont(array[0.5, 0.9]::float8[]) within group (order by x.v) filter (where x.m = ${m}) as pct${m}`);
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '${sql.raw(SORT_MEMORY)}'`);
    // The planner overestimates the groups of a day or hour key; compiling for that costs more than it saves.
    await tx.execute(sql`set local jit = off`);
    const result = await tx.execute(sql`
      select ${q.groupBy ? sql`x.k::text as key, grouping(x.k) = 1 as total` : sql`null::text as key, true as total`},
        ${perMetric(1)}, ${perMetric(2)}, ${perMetric(3)}
      from (
        select case s.metric when 'first_response' then 1 when 'reply' then 2 else 3 end as m, ${key} as k, ${value} as v
        from metric_samples s where ${sql.join(where, sql` and `)}
      ) x
      ${q.groupBy ? sql`group by grouping sets ((), (x.k))` : sql``}`);
    return rowsOf<Record<string, unknown>>(result);
  });
  const totals: Record<MetricKey, Stat> = { firstResponseTime: empty, replyTime: empty, resolutionTime: empty };
  const groups: Groups = new Map();
  for (const r of rows) {
    const stats = { firstResponseTime: statOf(r, 1), replyTime: statOf(r, 2), resolutionTime: statOf(r, 3) };
    if (r.total === true) Object.assign(totals, stats);
    else groups.set(r.key as string | null, stats);
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

/** The group key of a sample, compact for sorting: the id, or the local date or hour (as text only once grouped). */
function keyOf(groupBy: ReportGrouping, timeZone: string): SQL {
  switch (groupBy) {
    case "agent":
      return sql`s.agent_id`;
    case "team":
      return sql`s.team_id`;
    case "channel":
      return sql`s.channel_id`;
    case "day":
      return sql`(s.recorded_at at time zone ${timeZone})::date`;
    case "hour":
      return sql`extract(hour from s.recorded_at at time zone ${timeZone})::int`;
  }
}

/** count, mean and [median, p90] of metric number m (1 first response, 2 reply, 3 resolution) of a row. */
function statOf(row: Record<string, unknown>, m: number): Stat {
  const count = Number(row[`n${m}`] ?? 0);
  if (count === 0) return empty;
  const pct = row[`pct${m}`] as number[] | string;
  const [median, p90] = typeof pct === "string" ? pct.replace(/[{}]/g, "").split(",").map(Number) : pct;
  return { count, mean: round(row[`mean${m}`] as number), median: round(median ?? null), p90: round(p90 ?? null) };
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
    // Grouped by the hour's number: "9" in the query, "09" in the answer.
    return Array.from({ length: 24 }, (_, h) => {
      const key = String(h).padStart(2, "0");
      return { ...row(String(h), `${key}:00`), key };
    });
  }
  if (q.groupBy === "day") {
    const keys = new Set([...groups.keys()].filter((k): k is string => k !== null));
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
