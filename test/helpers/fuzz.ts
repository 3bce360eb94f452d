/**
 * Deterministic generators of hostile webhook bodies for the fuzz tests: a seeded PRNG, JSON-level
 * mutations of real platform payloads, and byte-level damage.
 */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

/** Nested arrays, built without recursion. */
export function deepArray(depth: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Values that have broken parsers, databases and renderers somewhere. */
export const hostileValues: readonly unknown[] = [
  "",
  "\u0000",
  "text with a \u0000 NUL",
  "\ud800",
  "lone low \udfff surrogate",
  "x".repeat(700),
  "y".repeat(20_000),
  "🙂".repeat(400),
  "\u202e right-to-left override",
  "<script>alert(1)</script>",
  "' OR 1=1; --",
  "%00%ff",
  "../../../etc/passwd",
  "2026-13-45T99:99:99Z",
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00Z",
  "NaN",
  1e308,
  -1e308,
  -1,
  0,
  1.5,
  2 ** 53 + 1, // past the safe integers (stays 2^53 once parsed)
  2 ** 31,
  true,
  false,
  null,
  [],
  {},
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  ["a", 1, null],
  deepArray(40),
  deepArray(70),
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function randomPath(rng: Rng, root: Json): Array<string | number> {
  const path: Array<string | number> = [];
  let cur: Json = root;
  while (cur && typeof cur === "object" && rng.chance(0.75)) {
    const keys: Array<string | number> = Array.isArray(cur) ? cur.map((_, i) => i) : Object.keys(cur);
    if (keys.length === 0) break;
    const k = rng.pick(keys);
    path.push(k);
    cur = (cur as Record<string | number, Json>)[k]!;
  }
  return path;
}

/** One JSON-level mutation of a copy of `value`. */
export function mutateJson(rng: Rng, value: Json): Json {
  const root = structuredClone(value);
  const path = randomPath(rng, root);
  if (path.length === 0) return rng.chance(0.5) ? (rng.pick(hostileValues) as Json) : root;
  const parent = path.slice(0, -1).reduce((o: Json, k) => (o as Record<string | number, Json>)[k]!, root) as Record<string | number, Json>;
  const key = path.at(-1)!;
  switch (rng.int(5)) {
    case 0:
      delete parent[key];
      break;
    case 1:
      parent[key] = [parent[key]!];
      break;
    case 2:
      parent[`extra_${rng.int(1000)}`] = rng.pick(hostileValues) as Json;
      break;
    default:
      parent[key] = rng.pick(hostileValues) as Json;
  }
  return root;
}

/** Byte-level damage: truncation, flipped bytes, raw NUL, invalid UTF-8, doubling. */
export function damageBytes(rng: Rng, body: Buffer): Buffer {
  const b = Buffer.from(body);
  switch (rng.int(5)) {
    case 0:
      return b.subarray(0, rng.int(b.length + 1));
    case 1:
      for (let i = 0; i < 1 + rng.int(8) && b.length; i++) b[rng.int(b.length)] = rng.int(256);
      return b;
    case 2: {
      const at = rng.int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), Buffer.from([0]), b.subarray(at)]);
    }
    case 3: {
      const at = rng.int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3]), b.subarray(at)]);
    }
    default:
      return Buffer.concat([b, b]);
  }
}
