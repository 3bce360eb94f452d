import { sql, type SQL } from "drizzle-orm";
import { DateTime } from "luxon";
import type { ReportGrouping, ReportRow, ResponseTimesReport, Stat } from "../../shared/schemas/reports.js";
import type { Db, Executor } from "../db/client.js";
import type { Scope } from "../domain/scope.js";
import { type BucketCounts, neededBuckets, percentilesFrom } from "./percentile-select.js";
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
const metrics = [
  ["first_response", "firstResponseTime"],
  ["reply", "replyTime"],
  ["resolution", "resolutionTime"],
] as const;
type StatRow = { key: string | null; total: boolean; n: number; mean: number | null; pct: number[] | string | null };

/** work_mem of the fallback's transaction: enough for the percentile sorts of a month at scale (docs/performance.md). */
const SORT_MEMORY = "64MB";

/** Days in the grouping are filled in (empty) only for periods up to this long. */
const MAX_FILLED_DAYS = 400;

/**
 * First response, reply and resolution times over [from, to), by when each was recorded, in total and
 * (with groupBy) per agent, team, channel, day or hour of the day, from the covering
 * (workspace_id, metric, recorded_at) index. Median and p90 are continuous percentiles (linear interpolation),
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
  // Per metric, in one snapshot: pass 1 counts the samples per group and value bucket (a hash aggregate of
  // an index-only range scan of (workspace_id, metric, recorded_at), no sort); pass 2 fetches only the
  // values of the buckets that hold the ranks the median and p90 need (percentile-select.ts). Exact, like
  // percentile_cont, without sorting a month of values. On PostgreSQL the three metrics run side by side.
  // The sample's bucket, stored beside its value (0012_report_rollups: floor(ln(value) × 100)).
  const bucket = q.businessHours ? sql`s.business_bucket` : sql`s.bucket`;
  const samples = (metric: string) => sql`
    select ${key} as k, ${value} as v from metric_samples s where s.metric = ${metric} and ${sql.join(where, sql` and `)}`;
  const bucketed = (metric: string, only?: SQL) => sql`
    select ${key} as k, ${value} as v, ${bucket} as b from metric_samples s
    where s.metric = ${metric} and ${sql.join(where, sql` and `)} ${only ? sql`and ${bucket} = any(${only})` : sql``}`;
  const perMetric = async (metric: (typeof metrics)[number][0]) =>
    db.transaction(
      async (tx) => {
        // The planner overestimates the groups of a day or hour key; compiling for that costs more than it saves.
        await tx.execute(sql`set local jit = off`);
        const counted = rowsOf<{ key: string; b: number; n: number; s: number }>(
          await tx.execute(sql`
            select coalesce(x.k::text, '') as key, x.b, count(*)::int as n, sum(x.v)::float8 as s
            from (${bucketed(metric)}) x group by x.k, x.b`),
        );
        const byGroup = new Map<string, BucketCounts>();
        const total: BucketCounts = new Map();
        for (const r of counted) {
          const b = Number(r.b);
          const c = { n: Number(r.n), sum: Number(r.s) };
          if (!byGroup.has(r.key)) byGroup.set(r.key, new Map());
          byGroup.get(r.key)!.set(b, c);
          const t = total.get(b);
          total.set(b, t ? { n: t.n + c.n, sum: t.sum + c.sum } : { ...c });
        }
        const totalBuckets = neededBuckets(total);
        const pairs = q.groupBy ? [...byGroup].flatMap(([k, counts]) => neededBuckets(counts).map((b) => [k, b] as const)) : [];
        const all = [...new Set([...totalBuckets, ...pairs.map(([, b]) => b)])];
        const fetched = all.length
          ? rowsOf<{ key: string; b: number; v: number }>(
              await tx.execute(sql`
                select coalesce(x.k::text, '') as key, x.b, x.v::float8 as v from (${bucketed(metric, sql`${intArray(all)}::int[]`)}) x
                where (x.b = any(${intArray(totalBuckets)}::int[])
                    ${pairs.length ? sql`or (coalesce(x.k::text, ''), x.b) in (select u.k, u.b from unnest(${textArray(pairs.map(([k]) => k))}::text[], ${intArray(pairs.map(([, b]) => b))}::int[]) u(k, b))` : sql``})`),
            )
          : [];
        const totalValues = new Map<number, number[]>();
        const groupValues = new Map<string, Map<number, number[]>>();
        const push = (m: Map<number, number[]>, b: number, v: number) => (m.get(b) ?? m.set(b, []).get(b)!).push(v);
        const totalSet = new Set(totalBuckets);
        const pairSet = new Set(pairs.map(([k, b]) => `${k}|${b}`));
        for (const r of fetched) {
          const b = Number(r.b);
          const v = Number(r.v);
          if (totalSet.has(b)) push(totalValues, b, v);
          if (pairSet.has(`${r.key}|${b}`)) push(groupValues.get(r.key) ?? groupValues.set(r.key, new Map()).get(r.key)!, b, v);
        }
        const rows: StatRow[] = [];
        const add = (k: string | null, isTotal: boolean, counts: BucketCounts, values: Map<number, number[]>) => {
          const s = percentilesFrom(counts, values);
          if (!s) return false;
          rows.push({ key: k, total: isTotal, n: s.count, mean: s.mean, pct: s.count ? (s.percentiles as number[]) : null });
          return true;
        };
        let ok = add(null, true, total, totalValues);
        if (q.groupBy) for (const [k, counts] of byGroup) ok = ok && add(k === "" ? null : k, false, counts, groupValues.get(k) ?? new Map());
        // Cannot happen in one snapshot; should it ever, percentile_cont answers instead.
        if (!ok) return bySort(tx, metric);
        return rows;
      },
      { isolationLevel: "repeatable read" },
    );
  /** The same numbers by PostgreSQL's own percentile_cont (sorting every value): the fallback. */
  const bySort = async (tx: Executor, metric: string) => {
    await tx.execute(sql`set local work_mem = '${sql.raw(SORT_MEMORY)}'`);
    const result = await tx.execute(sql`
      select ${q.groupBy ? sql`x.k::text as key, grouping(x.k) = 1 as total` : sql`null::text as key, true as total`},
        count(*)::int as n, avg(x.v)::float8 as mean, percentile_cont(array[0.5, 0.9]::float8[]) within group (order by x.v) as pct
      from (${samples(metric)}) x
      ${q.groupBy ? sql`group by grouping sets ((), (x.k))` : sql``}`);
    return rowsOf<StatRow>(result);
  };
  const results = await Promise.all(metrics.map(([metric]) => perMetric(metric)));
  const totals: Record<MetricKey, Stat> = { firstResponseTime: empty, replyTime: empty, resolutionTime: empty };
  const groups: Groups = new Map();
  metrics.forEach(([, field], i) => {
    for (const r of results[i]!) {
      if (r.total) {
        totals[field] = statOf(r);
        continue;
      }
      const g = groups.get(r.key) ?? { firstResponseTime: empty, replyTime: empty, resolutionTime: empty };
      g[field] = statOf(r);
      groups.set(r.key, g);
    }
  });
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

/** count, mean, median and p90 of a row (percentile_cont's array may come as its text form). */
function statOf(row: StatRow): Stat {
  const count = Number(row.n ?? 0);
  if (count === 0 || row.pct === null) return empty;
  const [median, p90] = typeof row.pct === "string" ? row.pct.replace(/[{}]/g, "").split(",").map(Number) : row.pct;
  return { count, mean: round(row.mean), median: round(median ?? null), p90: round(p90 ?? null) };
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

/** Array literals for parameters (keys are uuids, dates, hour numbers or "" for none: nothing to escape but the quotes added). */
const intArray = (xs: number[]) => `{${xs.map((x) => String(Math.trunc(x))).join(",")}}`;
const textArray = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/["\\]/g, "")}"`).join(",")}}`;
