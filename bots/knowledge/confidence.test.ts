import { describe, expect, it } from "vitest";
import { type ArticleLexemes, type Concept, confidence, coverage, idf, lexemeMatch, rankArticles } from "./confidence.js";
import { questionConcepts } from "./concepts.js";

const concept = (...alts: string[][]): Concept => ({ numeric: false, alternatives: alts.map((lexemes, i) => ({ lexemes, synonym: i > 0 })) });
const article = (entries: Record<string, "A" | "B" | "C">): ArticleLexemes => new Map(Object.entries(entries));

describe("knowledge confidence", () => {
  const df = new Map([["cancel", 1], ["plan", 4], ["data", 3]]);

  it("weighs words no article uses most: an article cannot answer what it never mentions", () => {
    expect(idf(0, 10)).toBeGreaterThan(idf(1, 10));
    expect(idf(1, 10)).toBeGreaterThan(idf(9, 10));
    const q = [concept(["cancel"]), concept(["plan"])];
    expect(coverage(q, article({ cancel: "A", plan: "C" }), df, 10)).toBeGreaterThan(0.8);
    const usa = [concept(["plan"]), concept(["call"]), concept(["usa"])];
    expect(coverage(usa, article({ plan: "B", call: "C" }), new Map([["plan", 4], ["call", 2]]), 10)).toBeLessThan(0.4);
  });

  it("matches parts of compound words and prefixes, less than whole words", () => {
    expect(lexemeMatch("versand", article({ expressversand: "A" }))).toBeCloseTo(0.7);
    expect(lexemeMatch("versand", article({ versand: "A" }))).toBe(1);
    expect(lexemeMatch("car", article({ cards: "A" }))).toBe(0);
  });

  it("counts a synonym a little less than the customer's own word", () => {
    const invoice = [concept(["invoic"], ["bill"])];
    const own = coverage([concept(["bill"])], article({ bill: "A" }), new Map([["bill", 1]]), 10);
    expect(coverage(invoice, article({ bill: "A" }), new Map([["bill", 1]]), 10)).toBeLessThan(own);
    expect(coverage(invoice, article({ bill: "A" }), new Map([["bill", 1]]), 10)).toBeGreaterThan(0.7);
  });

  it("lowers confidence when another article covers the question almost as well", () => {
    expect(confidence(0.9, 0.1)).toBeGreaterThan(0.88);
    expect(confidence(0.9, 0.85)).toBeLessThan(0.4);
    const ranked = rankArticles([concept(["parcel"])], [{ id: "a", lexemes: article({ parcel: "A" }) }, { id: "b", lexemes: article({ parcel: "A" }) }], new Map([["parcel", 2]]), 10);
    expect(ranked[0]!.confidence).toBeLessThan(0.3);
  });

  it("turns a question into concepts: synonym phrases whole, fillers and mentions dropped", () => {
    expect(questionConcepts("@shop Hi, I want my money back please!").map((c) => c.word)).toEqual(["money back", "i", "my"]);
    expect(questionConcepts("do you take apple pay").map((c) => c.word)).toEqual(["do", "you", "take", "apple", "pay"]);
  });
});
