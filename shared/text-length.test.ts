import { beforeAll, describe, expect, it } from "vitest";
import { lengthIn, loadUnit, prefixWithin } from "./text-length.js";

describe("reply length in a platform's unit", () => {
  beforeAll(() => loadUnit("weighted"));

  it("counts characters as the composer always did, and bytes as UTF-8 encodes them", () => {
    for (const text of ["", "plain ascii", "Grüße", "返品したい", "thanks 👍🏽", "a\u{10348}b", "lone \ud800 surrogate", "é".repeat(3000)]) {
      expect(lengthIn(text, "characters")).toBe(text.length);
      expect(lengthIn(text, "bytes"), text.slice(0, 20)).toBe(Buffer.byteLength(text, "utf8"));
    }
    expect(lengthIn("返品したい", "bytes")).toBe(15);
  });

  it("counts as X does for posts: CJK characters and emoji 2, any link 23", () => {
    expect(lengthIn("hello", "weighted")).toBe(5);
    expect(lengthIn("返品したい", "weighted")).toBe(10);
    expect(lengthIn("👨‍👩‍👧‍👦", "weighted")).toBe(2);
    expect(lengthIn(`see https://example.com/${"a".repeat(200)} ok`, "weighted")).toBe(4 + 23 + 3);
    // 140 Japanese characters are X's whole 280; one more is over.
    expect(lengthIn("返".repeat(140), "weighted")).toBe(280);
    expect(prefixWithin("返".repeat(200), 280, "weighted")).toBe(140);
    expect(prefixWithin("plain words", 5, "weighted")).toBe(5);
    const mixed = `Thanks! 返品はこちら https://shop.example/returns/${"x".repeat(100)} 👍`;
    for (let max = 0; max <= 60; max += 3) expect(lengthIn(mixed.slice(0, prefixWithin(mixed, max, "weighted")), "weighted"), String(max)).toBeLessThanOrEqual(max);
  });

  it("takes the longest start that fits, never half of an emoji", () => {
    expect(prefixWithin("hello", 3, "characters")).toBe(3);
    expect(prefixWithin("hello", 10, "bytes")).toBe(5);
    // "é" is 2 bytes: 5 bytes hold two of them, not two and a half.
    expect(prefixWithin("ééé", 5, "bytes")).toBe(2);
    // 👍 is two code units and 4 bytes: it fits whole or not at all, in either unit.
    expect(prefixWithin("a👍b", 2, "characters")).toBe(1);
    expect(prefixWithin("a👍b", 3, "characters")).toBe(3);
    expect(prefixWithin("a👍b", 4, "bytes")).toBe(1);
    expect(prefixWithin("a👍b", 5, "bytes")).toBe(3);
    for (const text of ["返品したい、返金", "mixé 👍 text", "x".repeat(50)])
      for (let max = 0; max <= 30; max++) {
        const n = prefixWithin(text, max, "bytes");
        expect(lengthIn(text.slice(0, n), "bytes")).toBeLessThanOrEqual(max);
        // The longest: one more character (one or two code units) would not fit.
        const next = [...text.slice(n)][0];
        if (next) expect(lengthIn(text.slice(0, n) + next, "bytes")).toBeGreaterThan(max);
      }
  });
});
