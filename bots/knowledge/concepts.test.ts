import { describe, expect, it } from "vitest";
import { asksSomething, CONTEXT, isQuestion, questionConcepts, sentencesOf } from "./concepts.js";

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
