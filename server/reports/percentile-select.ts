/**
 * Exact continuous percentiles (PostgreSQL's percentile_cont) without sorting every value: a selection
 * in two passes over the same samples, used by the response-time report (docs/performance.md).
 *
 * Pass 1 counts the samples of each group per value bucket (a hash aggregate, no sort). Buckets are
 * log-spaced and only need to be ordered like the values they hold: every value of bucket b is below
 * every value of bucket b + 1. From those counts, `wantedPositions` finds which bucket holds each rank a
 * percentile needs and at which offset. Pass 2 reads only the values of those buckets (a few percent of
 * the samples), ranks them within their bucket and returns the wanted positions; `percentilesBy`
 * interpolates. The answer is the one percentile_cont gives: the same two neighbouring values,
 * interpolated the same way. The stored bucket column (migration 0012) uses the same formula as `bucketOf`.
 */

/** Buckets per factor e of the value: a bucket spans about 1 % of its values (e^(1/100) = 1.01). */
export const BUCKETS_PER_E = 100;

/** The bucket of a value, as SQL computes it (`bucketSql`): floor(ln(v) × 100); zero and below share one. */
export const ZERO_BUCKET = -2147483648;
export const bucketOf = (v: number) => (v > 0 ? Math.floor(Math.log(v) * BUCKETS_PER_E) : ZERO_BUCKET);

/** The fractions reported: median and p90. */
export const FRACTIONS = [0.5, 0.9] as const;

/** Pass 1's answer for one group: count and sum of its samples per bucket. */
export type BucketCounts = Map<number, { n: number; sum: number }>;

/** Where a rank lies: its bucket and its 0-based position among that bucket's sorted values. */
type Position = { bucket: number; offset: number };

/** The 0-based ranks percentile_cont reads for fraction p of n values, and the weight of the upper one. */
export function ranksOf(n: number, p: number): { lo: number; hi: number; weight: number } {
  const h = p * (n - 1);
  const lo = Math.floor(h);
  return { lo, hi: Math.ceil(h), weight: h - lo };
}

/** The bucket and offset of each rank needed for the FRACTIONS of one group (empty for no samples). */
export function positionsOf(counts: BucketCounts): Map<number, Position> {
  const buckets = [...counts.keys()].sort((a, b) => a - b);
  const n = buckets.reduce((s, b) => s + counts.get(b)!.n, 0);
  const wanted = new Set<number>();
  if (n > 0) {
    for (const p of FRACTIONS) {
      const r = ranksOf(n, p);
      wanted.add(r.lo).add(r.hi);
    }
  }
  const out = new Map<number, Position>();
  const ranks = [...wanted].sort((a, b) => a - b);
  let below = 0;
  let i = 0;
  for (const b of buckets) {
    const c = counts.get(b)!.n;
    while (i < ranks.length && ranks[i]! < below + c) {
      out.set(ranks[i]!, { bucket: b, offset: ranks[i]! - below });
      i++;
    }
    below += c;
  }
  return out;
}

/** The (bucket, offset) positions pass 2 must read for one group, each once. */
export function wantedPositions(counts: BucketCounts): Position[] {
  const seen = new Map<string, Position>();
  for (const p of positionsOf(counts).values()) seen.set(`${p.bucket}|${p.offset}`, p);
  return [...seen.values()];
}

/** The buckets whose values pass 2 must fetch for one group. */
export const neededBuckets = (counts: BucketCounts) => [...new Set(wantedPositions(counts).map((p) => p.bucket))];

/**
 * count, mean and the FRACTIONS' percentiles of one group, from its bucket counts and `pick`, the value at
 * a (bucket, offset) position (offset 0-based among the bucket's values in ascending order). Null when a
 * position is missing (the data changed between the passes): the caller then computes the exact answer
 * another way.
 */
export function percentilesBy(
  counts: BucketCounts,
  pick: (bucket: number, offset: number) => number | undefined,
): { count: number; mean: number | null; percentiles: (number | null)[] } | null {
  let n = 0;
  let sum = 0;
  for (const c of counts.values()) {
    n += c.n;
    sum += c.sum;
  }
  if (n === 0) return { count: 0, mean: null, percentiles: FRACTIONS.map(() => null) };
  const positions = positionsOf(counts);
  const at = (rank: number) => {
    const p = positions.get(rank)!;
    return pick(p.bucket, p.offset);
  };
  const percentiles: number[] = [];
  for (const p of FRACTIONS) {
    const r = ranksOf(n, p);
    const lo = at(r.lo);
    const hi = at(r.hi);
    if (lo === undefined || hi === undefined) return null;
    // percentile_cont's interpolation: lo + (hi − lo) × weight, and lo itself when both ranks are one.
    percentiles.push(r.hi === r.lo ? lo : lo + (hi - lo) * r.weight);
  }
  return { count: n, mean: sum / n, percentiles };
}

/** percentilesBy from all the values of the needed buckets (null when a bucket's count does not match). */
export function percentilesFrom(counts: BucketCounts, values: Map<number, number[]>) {
  const sorted = new Map<number, number[]>();
  for (const b of neededBuckets(counts)) {
    const vs = [...(values.get(b) ?? [])].sort((x, y) => x - y);
    if (vs.length !== counts.get(b)!.n) return null;
    sorted.set(b, vs);
  }
  return percentilesBy(counts, (b, o) => sorted.get(b)?.[o]);
}
