/** Small statistics and formatting helpers for the bench. */

export type Summary = { count: number; p50: number; p90: number; p99: number; max: number; mean: number };

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

export const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms` : "n/a");
export const perSecond = (v: number) => (Number.isFinite(v) ? `${v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US")}/s` : "n/a");
export const seconds = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} s` : "n/a");

/** A plain text table with a header rule, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

/**
 * Latencies grouped by when their requests were sent: one row per `bucketMs` with the count, p50,
 * p99 and max, and beneath, the whole run's p99 without the first one and two buckets.
 */
export function timeline(sentMs: readonly number[], latencyMs: readonly number[], bucketMs: number): string {
  const buckets: number[][] = [];
  sentMs.forEach((t, i) => (buckets[Math.max(0, Math.floor(t / bucketMs))] ??= []).push(latencyMs[i]!));
  const rows = [...buckets.entries()].map(([b, values]) => {
    const s = summarize(values ?? []);
    return [`${(b * bucketMs) / 1000}`, String(s.count), ms(s.p50), ms(s.p99), ms(s.max)];
  });
  const without = (n: number) => ms(summarize(latencyMs.filter((_, i) => sentMs[i]! >= n * bucketMs)).p99);
  return `${table(["sent at (s)", "messages", "p50", "p99", "max"], rows)}\np99 without the first bucket ${without(1)}, without the first two ${without(2)}`;
}
