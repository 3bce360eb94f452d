/**
 * `npx tsx bench/heap-diff.ts <earlier.heapsnapshot> <later.heapsnapshot>`: what grew between two heap
 * snapshots of one process (e.g. from `BENCH_HEAP_SNAPSHOTS=20000,60000 npm run bench:processes`).
 * Sums self size and count per constructor (objects, closures, arrays by name; strings, code and the
 * rest by type) and prints the groups that grew most. A leak shows as a group growing with the number
 * of events; a heap that is only larger shows as no group growing much.
 */
import { readFileSync } from "node:fs";

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};
type Group = { count: number; bytes: number };

/** Groups keyed by "type name" for named kinds, by type alone for the rest (strings are their own text). */
function groups(file: string): { byKey: Map<string, Group>; total: number } {
  const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const named = new Set(["object", "closure", "array", "native", "hidden", "object shape"]);
  const byKey = new Map<string, Group>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const key = named.has(type) ? `${type} ${snap.strings[snap.nodes[i + nameAt]!]}` : type;
    const size = snap.nodes[i + sizeAt]!;
    const g = byKey.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += size;
    byKey.set(key, g);
    total += size;
  }
  return { byKey, total };
}

const [earlier, later] = process.argv.slice(2);
if (!earlier || !later) throw new Error("usage: heap-diff.ts <earlier.heapsnapshot> <later.heapsnapshot>");
const a = groups(earlier);
const b = groups(later);
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`heap (self sizes): ${kib(a.total)} → ${kib(b.total)} (${kib(b.total - a.total)})`);
const rows = [...new Set([...a.byKey.keys(), ...b.byKey.keys()])].map((key) => {
  const x = a.byKey.get(key) ?? { count: 0, bytes: 0 };
  const y = b.byKey.get(key) ?? { count: 0, bytes: 0 };
  return { key, count: y.count - x.count, bytes: y.bytes - x.bytes, now: y };
});
rows.sort((p, q) => q.bytes - p.bytes);
for (const r of rows.slice(0, Number(process.env.TOP || 25))) {
  console.log(`${kib(r.bytes).padStart(10)} ${String(r.count).padStart(8)} objects  (now ${kib(r.now.bytes)}, ${r.now.count})  ${r.key.slice(0, 100)}`);
}
