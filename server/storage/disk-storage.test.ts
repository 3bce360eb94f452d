import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diskStorage } from "./disk-storage.js";
import { TooLarge } from "./storage.js";

const dir = mkdtempSync(path.join(tmpdir(), "parley-disk-"));
const ws = "11111111-1111-4111-8111-111111111111";
const key = (n: number) => `${ws}/00000000-0000-4000-8000-00000000000${n}`;
async function* chunks(...parts: string[]) {
  for (const p of parts) yield Buffer.from(p);
}
const read = async (s: NodeJS.ReadableStream) => {
  const out: Buffer[] = [];
  for await (const c of s) out.push(c as Buffer);
  return Buffer.concat(out).toString();
};

describe("disk storage", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const store = diskStorage(dir);

  it("stores, reads whole or by range, sizes and deletes", async () => {
    expect(await store.put(key(1), chunks("hello ", "world"), { maxBytes: 100 })).toEqual({ size: 11 });
    expect(await read(await store.get(key(1)))).toBe("hello world");
    expect(await read(await store.get(key(1), { start: 6, end: 10 }))).toBe("world");
    expect(await store.size(key(1))).toBe(11);
    await store.delete(key(1));
    expect(await store.size(key(1))).toBeNull();
  });

  it("refuses more than the limit and leaves nothing behind", async () => {
    await expect(store.put(key(2), chunks("12345", "67890"), { maxBytes: 8 })).rejects.toBeInstanceOf(TooLarge);
    expect(await store.size(key(2))).toBeNull();
    expect(readdirSync(path.join(dir, ws))).toEqual([]);
  });

  it("refuses keys that are not Parley's ids (no path tricks)", async () => {
    await expect(store.put("../etc/passwd", chunks("x"), { maxBytes: 10 })).rejects.toThrow(/invalid storage key/);
    await expect(store.get(`${ws}/../../x`)).rejects.toThrow(/invalid storage key/);
  });
});
