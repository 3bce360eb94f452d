import { describe, expect, it } from "vitest";
import { conceptLexicon } from "../language/lexicon.js";
import { asksSomething, CONTEXT, fillerWords, isQuestion, questionConcepts, sentencesOf, synonymGroups } from "./concepts.js";

const focusOf = (text: string) => Object.fromEntries(questionConcepts(text).map((c) => [c.word, c.focus]));

describe("finding the question in a message", () => {
  it("splits a message into sentences, keeping the question mark with its sentence", () => {
    expect(sentencesOf("Hi there! I ordered boots on Monday. When will they arrive?\nThanks")).toEqual(["Hi there!", "I ordered boots on Monday.", "When will they arrive?", "Thanks"]);
  });

  it("knows a question by its mark or by how it starts, in any language pack, after greetings", () => {
    expect(isQuestion("do you ship to Norway")).toBe(true);
    expect(isQuestion("Hi, so how do I reset my password")).toBe(true);
    expect(isQuestion("Tell me your opening hours")).toBe(true);
    expect(isQuestion("Wie lange dauert der Versand")).toBe(true);
    expect(isQuestion("¿Cuánto tarda el envío")).toBe(true);
    expect(isQuestion("Combien coûte la livraison")).toBe(true);
    expect(isQuestion("I love your new autumn collection.")).toBe(false);
    expect(isQuestion("My brother's birthday is next Saturday.")).toBe(false);
  });

  it("weighs the words of the asking sentence above the background around it", () => {
    const focus = focusOf("Hi! I've been eyeing your hiking boots for weeks. How long does delivery take to Austria?");
    expect(focus.delivery).toBe(1);
    expect(focus.austria).toBe(1);
    expect(focus.boots).toBe(CONTEXT);
    expect(focus.eyeing).toBe(CONTEXT);
  });

  it("keeps every word at full weight when nothing, or everything, is a question", () => {
    expect(Object.values(focusOf("My parcel says delivered but it is not here. The neighbours do not have it."))).toEqual(expect.arrayContaining([1]));
    expect(new Set(Object.values(focusOf("My parcel says delivered but it is not here. The neighbours do not have it.")))).toEqual(new Set([1]));
    expect(new Set(Object.values(focusOf("Do you ship to Norway? What does it cost?")))).toEqual(new Set([1]));
  });

  it("counts a word that is both in the background and in the question as asked", () => {
    expect(focusOf("I returned my jacket. When do I get my refund for the jacket?").jacket).toBe(1);
  });

  it("tells a review that asks something from one that only praises", () => {
    expect(asksSomething("Good jackets, fair prices.")).toBe(false);
    expect(asksSomething("Great boots. Do you also sell socks?")).toBe(true);
  });
});

describe("customer-service concepts across languages", () => {
  const groupOf = (word: string) => synonymGroups.filter((g) => g.includes(word)).flat();

  it("puts a customer's word in any language in one group with the words articles use in the others", () => {
    expect(groupOf("erstattung")).toEqual(expect.arrayContaining(["refund", "money back", "reembolso", "remboursement"]));
    expect(groupOf("mot de passe")).toEqual(expect.arrayContaining(["password", "passwort", "contraseña"]));
    expect(groupOf("öffnungszeiten")).toEqual(expect.arrayContaining(["opening hours", "horario", "horaires"]));
  });

  it("keeps a multi-word concept whole in the question", () => {
    expect(questionConcepts("Wie bekomme ich mein Geld zurück?").map((c) => c.word)).toContain("geld zurück");
    expect(questionConcepts("j'ai oublié mon mot de passe").map((c) => c.word)).toContain("mot de passe");
  });

  it("drops words that only frame the question ('what's your return policy?')", () => {
    expect(questionConcepts("what's your return policy?").map((c) => c.word)).not.toContain("policy");
    expect(questionConcepts("what's your return policy?").map((c) => c.word)).toContain("return");
  });

  it("never lists a word that the search drops as a filler", () => {
    const fillers = new Set(fillerWords);
    expect(Object.values(conceptLexicon).flat().filter((w) => fillers.has(w))).toEqual([]);
  });
});

describe("contractions in a question (round 4)", () => {
  it("keeps the word before an English contraction and drops negated auxiliaries", () => {
    const words = questionConcepts("I'm sure we'd manage, but it doesn't open and the kit's charger won't work: what's wrong?").map((c) => c.word);
    expect(words).toContain("kit");
    expect(words).toContain("charger");
    expect(words).not.toContain("i'm");
    expect(words).not.toContain("doesn't");
    expect(words).not.toContain("won't");
    expect(words).not.toContain("kit's");
  });

  it("leaves French and other apostrophes alone", () => {
    const words = questionConcepts("Quelle est l'adresse d'expédition ?").map((c) => c.word);
    expect(words).toContain("l'adresse");
    expect(words).toContain("d'expédition");
  });
});
