import { describe, expect, it } from "vitest";
import type { BotRule } from "../shared/schemas/bots.js";
import { matchRule } from "./rule-bot.js";

const rule = (name: string, pattern: string, matchType: "keyword" | "regex" = "keyword", position = 0, enabled = true): BotRule => ({
  id: "00000000-0000-4000-8000-000000000000",
  name,
  pattern,
  matchType,
  reply: name,
  position,
  enabled,
});

describe("rules stage", () => {
  it("matches keywords as whole words, alternatives separated by commas", () => {
    const rules = [rule("hours", "opening hours, open")];
    expect(matchRule(rules, "What are your OPENING  hours?")?.name).toBe("hours");
    expect(matchRule(rules, "are you open today")?.name).toBe("hours");
    expect(matchRule(rules, "I opened the box")).toBeNull();
  });
  it("takes the first enabled rule by position; a broken regex never matches", () => {
    const rules = [rule("b", "refund", "keyword", 2), rule("a", "refund(s|ed)?", "regex", 1), rule("off", "refund", "keyword", 0, false), rule("bad", "(", "regex", 0)];
    expect(matchRule(rules, "was it refunded?")?.name).toBe("a");
  });
});
