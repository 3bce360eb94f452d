import { describe, expect, it } from "vitest";
import { type BucketCounts, bucketOf, neededBuckets, percentilesFrom, ranksOf } from "./percentile-select.js";

/** percentile_cont as PostgreSQL defines it: sort, then interpolate between the two neighbouring ranks. */
function percentileCont(values: number[], p: number) {
  const s = [...values].sort((a, b) => a - b);
  const { lo, hi, weight } = ranksOf(s.length, p);
  return s[lo]! + (s[hi]! - s[lo]!) * weight;
}

/** Pass 1 and pass 2 in memory: counts per bucket, then only the needed buckets' values. */
function select(values: number[]) {
  const counts: BucketCounts = new Map();
  for (const v of values) {
    const b = bucketOf(v);
    const c = counts.get(b) ?? { n: 0, sum: 0 };
    counts.set(b, { n: c.n + 1, sum: c.sum + v });
  }
  const needed = new Set(neededBuckets(counts));
  const fetched = new Map<number, number[]>();
  for (const v of values) if (needed.has(bucketOf(v))) (fetched.get(bucketOf(v)) ?? fetched.set(bucketOf(v), []).get(bucketOf(v))!).push(v);
  return { result: percentilesFrom(counts, fetched), fetched: [...fetched.values()].reduce((s, vs) => s + vs.length, 0) };
}

describe("exact percentiles by bucket selection", () => {
  it("gives percentile_cont's median and p90 on the documented example and on edge cases", () => {
    // Three values a < b < c: median b, p90 = b + 0.8 (c − b).
    expect(select([10, 20, 30]).result).toEqual({ count: 3, mean: 20, percentiles: [20, 28] });
    expect(select([42]).result).toEqual({ count: 1, mean: 42, percentiles: [42, 42] });
    expect(select([]).result).toEqual({ count: 0, mean: null, percentiles: [null, null] });
    // Zero (an instant reply) and ties share buckets.
    expect(select([0, 0, 5, 5, 5]).result!.percentiles).toEqual([5, 5]);
    expect(select([0, 0, 0, 1]).result!.percentiles).toEqual([0, percentileCont([0, 0, 0, 1], 0.9)]);
  });

  it("equals percentile_cont on random samples of many shapes, reading only a small part of them", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rand() * (round < 100 ? 50 : 5000));
      const shape = round % 4;
      const values = Array.from({ length: n }, () =>
        shape === 0 ? rand() * 1000 : shape === 1 ? Math.exp(rand() * 14) / 100 : shape === 2 ? Math.round(rand() * 20) * 60 : Math.round(rand() * 1e6) / 1000,
      );
      const { result, fetched } = select(values);
      expect(result!.count).toBe(n);
      expect(result!.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / n, 6);
      expect(result!.percentiles).toEqual([percentileCont(values, 0.5), percentileCont(values, 0.9)]);
      if (n >= 5000 && shape !== 2) expect(fetched).toBeLessThan(n * 0.1);
    }
  });

  it("reports a mismatch between the passes instead of a wrong value", () => {
    const counts: BucketCounts = new Map([[bucketOf(10), { n: 2, sum: 20 }]]);
    expect(percentilesFrom(counts, new Map([[bucketOf(10), [10]]]))).toBeNull();
  });
});
