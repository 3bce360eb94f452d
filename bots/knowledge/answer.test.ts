import { describe, expect, it } from "vitest";
import { articleAnswer, plainText, trimTo } from "./answer.js";

describe("knowledge answers", () => {
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
});
