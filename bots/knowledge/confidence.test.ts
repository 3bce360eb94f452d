import { describe, expect, it } from "vitest";
import { type ArticleLexemes, type Concept, confidence, conceptWeight, coverage, idf, lexemeMatch, rankArticles, subjectCoverage } from "./confidence.js";
import { questionConcepts } from "./concepts.js";

const concept = (...alts: string[][]): Concept => ({ numeric: false, alternatives: alts.map((lexemes, i) => ({ lexemes, synonym: i > 0 })) });
const article = (entries: Record<string, "A" | "B" | "C">): ArticleLexemes => new Map(Object.entries(entries));

describe("knowledge confidence", () => {
  const df = new Map([["cancel", 1], ["plan", 4], ["data", 3]]);

  it("counts a word no article uses against every article, less than a known word it misses", () => {
    expect(idf(1, 10)).toBeGreaterThan(idf(9, 10));
    const q = [concept(["cancel"]), concept(["plan"])];
    expect(coverage(q, article({ cancel: "A", plan: "C" }), df, 10)).toBeGreaterThan(0.8);
    const known = new Map([["plan", 4], ["call", 2], ["roam", 1]]);
    const withUnknown = coverage([concept(["plan"]), concept(["call"]), concept(["usa"])], article({ plan: "B", call: "C" }), known, 10);
    const withKnownMissing = coverage([concept(["plan"]), concept(["call"]), concept(["roam"])], article({ plan: "B", call: "C" }), known, 10);
    expect(withUnknown).toBeLessThan(coverage([concept(["plan"]), concept(["call"])], article({ plan: "B", call: "C" }), known, 10));
    expect(withKnownMissing).toBeLessThan(withUnknown);
  });

  it("needs the article's title to be asked about: 'do you sell kayaks' is not answered by 'Do you sell gift cards?'", () => {
    const titles = new Map([["sell", 1], ["gift", 1], ["card", 1]]);
    const giftCards = article({ sell: "A", gift: "A", card: "A" });
    const kayaks = coverage([concept(["sell"]), concept(["kayak"])], giftCards, titles, 10);
    const buyGiftCard = coverage([concept(["buy"], ["sell"]), concept(["gift"]), concept(["card"])], giftCards, titles, 10);
    expect(kayaks).toBeLessThan(0.3);
    expect(buyGiftCard).toBeGreaterThan(0.8);
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
    // A clear lead at a modest coverage is an answer: most right answers share only part of the question.
    expect(confidence(0.45, 0.2)).toBeGreaterThan(0.38);
    expect(confidence(0.45, 0.4)).toBeLessThan(0.15);
    const ranked = rankArticles([concept(["parcel"])], [{ id: "a", lexemes: article({ parcel: "A" }) }, { id: "b", lexemes: article({ parcel: "A" }) }], new Map([["parcel", 2]]), 10);
    expect(ranked[0]!.confidence).toBeLessThan(0.3);
  });

  it("turns a question into concepts: synonym phrases whole, fillers and mentions dropped", () => {
    expect(questionConcepts("@shop Hi, I want my money back please!").map((c) => c.word)).toEqual(["money back", "i", "my"]);
    expect(questionConcepts("do you take apple pay").map((c) => c.word)).toEqual(["do", "you", "apple", "pay"]);
  });

  it("counts a tag as naming the article's subject: 'my buckle snapped, can you repair it' is about the warranty article", () => {
    const df = new Map([["warranti", 1], ["cover", 2], ["repair", 1], ["buckl", 0], ["snap", 0], ["defect", 1]]);
    const warranty: ArticleLexemes = article({ warranti: "A", cover: "A", repair: "B", defect: "B" });
    const q = [concept(["buckl"]), concept(["snap"]), concept(["repair"])];
    expect(coverage(q, warranty, df, 20, [["warranti", "cover"], ["repair"], ["defect"]])).toBeGreaterThan(0.3);
    expect(coverage(q, warranty, df, 20)).toBe(0); // by its title alone it would not be named
  });

  it("trusts a subject of one everyday word less than a rare one, and a tag less than the title", () => {
    const df = new Map([["store", 8], ["repair", 1]]);
    expect(subjectCoverage([concept(["store"])], [[], ["store"]], df, 20)).toBeLessThan(0.5);
    expect(subjectCoverage([concept(["repair"])], [[], ["repair"]], df, 20)).toBeCloseTo(0.8);
    expect(subjectCoverage([concept(["repair"])], [["repair"]], df, 20)).toBeCloseTo(1);
    expect(subjectCoverage([concept(["kayak"])], [["sell", "gift", "card"], ["voucher"]], new Map([["sell", 1], ["gift", 1], ["card", 1], ["voucher", 1]]), 20)).toBe(0);
  });

  it("weighs background words and unknown words less than known words of the question", () => {
    const df = new Map([["deliveri", 2]]);
    const asked = conceptWeight(concept(["deliveri"]), df, 20);
    expect(conceptWeight({ ...concept(["deliveri"]), focus: 0.1 }, df, 20)).toBeCloseTo(asked * 0.1);
    expect(conceptWeight(concept(["kayak"]), df, 20)).toBeLessThan(idf(0, 20));
    expect(conceptWeight({ ...concept(["kayak"]), focus: 0.1 }, df, 20)).toBeLessThan(conceptWeight(concept(["kayak"]), df, 20) * 0.1);
  });
});
