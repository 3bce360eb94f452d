import { sql, type SQL } from "drizzle-orm";
import { DateTime } from "luxon";
import type { ReportGrouping, ReportRow, ResponseTimesReport, Stat } from "../../shared/schemas/reports.js";
import type { Db, Executor } from "../db/client.js";
import type { Scope } from "../domain/scope.js";
import { type BucketCounts, percentilesBy, wantedPositions } from "./percentile-select.js";
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
  const grouping = q.groupBy ? keyOf(q.groupBy, q.timeZone, q) : { key: sql`null::text`, name: (k: string) => k };
  const key = grouping.key;
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
        // The three metrics already run side by side: parallel workers on top would scan the whole table once
        // per metric (a parallel sequential scan filters every metric's rows) and crowd two cores.
        await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
        // Grouped on the key's own type (a uuid or an integer); only the few groups are turned into text.
        const counted = rowsOf<{ key: string; b: number; n: number; s: number }>(
          await tx.execute(sql`
            select coalesce(g.k::text, '') as key, g.b, g.n, g.s from (
              select x.k, x.b, count(*)::int as n, sum(x.v)::float8 as s
              from (${bucketed(metric)}) x group by x.k, x.b) g`),
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
        // Pass 2: the values of the buckets holding the wanted ranks, ranked within their bucket (over all
        // groups for the totals, within the group otherwise); only the wanted positions come back.
        const totalWanted = wantedPositions(total);
        const groupWanted = q.groupBy ? [...byGroup].flatMap(([k, counts]) => wantedPositions(counts).map((w) => ({ k, ...w }))) : [];
        const buckets = [...new Set([...totalWanted, ...groupWanted].map((w) => w.bucket))];
        const totalBuckets = [...new Set(totalWanted.map((w) => w.bucket))];
        const picked = buckets.length
          ? rowsOf<{ key: string; b: number; v: number; rg: number; rt: number }>(
              await tx.execute(sql`
                select r.key, r.b, r.v, r.rg, r.rt from (
                  select coalesce(x.k::text, '') as key, x.b, x.v::float8 as v,
                    (row_number() over (partition by x.k, x.b order by x.v))::int - 1 as rg,
                    (row_number() over (partition by x.b order by x.v))::int - 1 as rt
                  from (${bucketed(metric, sql`${intArray(buckets)}::int[]`)}) x) r
                where (r.b = any(${intArray(totalBuckets)}::int[]) and (r.b, r.rt) in (select * from unnest(${intArray(totalWanted.map((w) => w.bucket))}::int[], ${intArray(totalWanted.map((w) => w.offset))}::int[])))
                  ${groupWanted.length ? sql`or (r.key, r.b, r.rg) in (select * from unnest(${textArray(groupWanted.map((w) => w.k))}::text[], ${intArray(groupWanted.map((w) => w.bucket))}::int[], ${intArray(groupWanted.map((w) => w.offset))}::int[]))` : sql``}`),
            )
          : [];
        const totalAt = new Map<string, number>();
        const groupAt = new Map<string, number>();
        for (const r of picked) {
          totalAt.set(`${r.b}|${r.rt}`, Number(r.v));
          groupAt.set(`${r.key}|${r.b}|${r.rg}`, Number(r.v));
        }
        const rows: StatRow[] = [];
        const add = (k: string, isTotal: boolean, counts: BucketCounts) => {
          const s = percentilesBy(counts, (b, o) => (isTotal ? totalAt.get(`${b}|${o}`) : groupAt.get(`${k}|${b}|${o}`)));
          if (!s) return false;
          rows.push({ key: isTotal || k === "" ? null : grouping.name(k), total: isTotal, n: s.count, mean: s.mean, pct: s.count ? (s.percentiles as number[]) : null });
          return true;
        };
        let ok = add("", true, total);
        if (q.groupBy) for (const [k, counts] of byGroup) ok = ok && add(k, false, counts);
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
    return rowsOf<StatRow>(result).map((r) => (r.total || r.key === null ? r : { ...r, key: grouping.name(r.key) }));
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

/** Local days or hours of a period beyond this many are keyed by converting each sample's time instead. */
const MAX_LOCAL_STEPS = 2000;

/**
 * The group key of a sample, compact for sorting: the id, or the local date or hour. A local day or hour
 * is found without converting each sample's time to the zone: the period's local day (or hour) starts
 * are computed once here, as instants (time-zone rules, daylight saving and half-hour offsets included),
 * and each sample's start is looked up among them by binary search (width_bucket), then named from an
 * array. Converting every sample's time was most of a 30-day grouping by day.
 */
function keyOf(groupBy: ReportGrouping, timeZone: string, period: Pick<Period, "from" | "to">): { key: SQL; name: (key: string) => string } {
  const same = (k: string) => k;
  switch (groupBy) {
    case "agent":
      return { key: sql`s.agent_id`, name: same };
    case "team":
      return { key: sql`s.team_id`, name: same };
    case "channel":
      return { key: sql`s.channel_id`, name: same };
    case "day":
    case "hour": {
      const unit = groupBy === "day" ? "day" : "hour";
      const starts: string[] = [];
      const names: string[] = [];
      let t = DateTime.fromJSDate(period.from, { zone: timeZone }).startOf(unit);
      const end = DateTime.fromJSDate(period.to, { zone: timeZone });
      for (; t < end && starts.length <= MAX_LOCAL_STEPS; t = unit === "day" ? t.plus({ days: 1 }) : t.plus({ hours: 1 }).startOf("hour")) {
        starts.push(t.toUTC().toISO()!);
        names.push(unit === "day" ? t.toISODate()! : String(t.hour));
      }
      if (starts.length > MAX_LOCAL_STEPS || starts.length === 0) {
        const converted = unit === "day" ? sql`(s.recorded_at at time zone ${timeZone})::date` : sql`extract(hour from s.recorded_at at time zone ${timeZone})::int`;
        return { key: converted, name: same };
      }
      const position = sql`width_bucket(s.recorded_at, ${`{${starts.join(",")}}`}::timestamptz[])`;
      // Integers only in SQL (an int[] subscript is direct; a text[] one walks the array): the day is named here.
      if (unit === "hour") return { key: sql`(${`{${names.join(",")}}`}::int[])[${position}]`, name: same };
      return { key: position, name: (k: string) => names[Number(k) - 1] ?? k };
    }
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
