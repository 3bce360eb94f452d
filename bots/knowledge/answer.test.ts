import { beforeAll, describe, expect, it } from "vitest";
import { lengthIn, loadUnit } from "../../shared/text-length.js";
import { articleAnswer, plainText, trimTo } from "./answer.js";

describe("knowledge answers", () => {
  beforeAll(() => loadUnit("weighted"));

  it("answers with the article's title and body as plain text", () => {
    expect(articleAnswer({ title: "How do I return an item?", body: "Start a **return** in [your account](https://x.test/orders).\n\n* Print the label" }, 1000)).toBe(
      "How do I return an item?\n\nStart a return in your account (https://x.test/orders).\n\n- Print the label",
    );
    expect(plainText("# Title\n`code` and _soft_ words")).toBe("Title\ncode and soft words");
  });

  it("trims to the platform's limit at a sentence or word boundary", () => {
    const body = "Standard delivery takes 2 to 4 working days. Express delivery costs 9.90 EUR. We do not ship to the moon.";
    const answer = articleAnswer({ title: "How long does delivery take?", body }, 100);
    expect(answer.length).toBeLessThanOrEqual(100);
    expect(answer).toBe("How long does delivery take?\n\nStandard delivery takes 2 to 4 working days. …");
    expect(trimTo("one two three four five six", 14)).toBe("one two three…");
    expect(trimTo("short", 14)).toBe("short");
  });

  it("trims to a limit in bytes (Google's review replies) or as X counts (its posts)", () => {
    // 30 sentences of 10 Japanese characters: 30 bytes each, 10 characters each.
    const body = "ご迷惑をおかけしました。".repeat(30);
    expect(trimTo(body, 4096, "characters")).toBe(body);
    const cut = trimTo(body, 200, "bytes");
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(200);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut.length).toBeGreaterThan(40);
    // No word spaces and no ". ": cut where the bytes run out, still within them with the mark.
    for (let max = 10; max < 300; max += 7) expect(Buffer.byteLength(trimTo(body, max, "bytes")), String(max)).toBeLessThanOrEqual(max);
    const latin = "Ünsere Lieferung dauert zwei bis vier Tage. Expresszustellung kostet 9,90 EUR. Wir liefern nicht zum Mond.";
    for (let max = 20; max < 120; max += 3) {
      const out = trimTo(latin, max, "bytes");
      expect(Buffer.byteLength(out), String(max)).toBeLessThanOrEqual(max);
      expect(latin.startsWith(out.replace(/ ?…$/, ""))).toBe(true);
    }
    // An X mention: 280 as X counts, where each of these characters weighs 2.
    const post = articleAnswer({ title: "配送について", body }, 280, "weighted");
    expect(lengthIn(post, "weighted")).toBeLessThanOrEqual(280);
    expect(lengthIn(post, "weighted")).toBeGreaterThan(250);
    const answer = articleAnswer({ title: "配送について", body }, 300, "bytes");
    expect(Buffer.byteLength(answer)).toBeLessThanOrEqual(300);
    expect(answer.startsWith("配送について\n\n")).toBe(true);
  });
});
