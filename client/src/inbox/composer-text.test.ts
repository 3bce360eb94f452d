import { describe, expect, it } from "vitest";
import { accepts, mentionedIds, NOTE_MAX, replaceRange, tokenAt } from "./composer-text";

describe("composer text helpers", () => {
  it("finds the /shortcut or @name being typed before the caret", () => {
    expect(tokenAt("Hi /ship", 8, "/")).toEqual({ start: 3, query: "ship" });
    expect(tokenAt("/", 1, "/")).toEqual({ start: 0, query: "" });
    expect(tokenAt("a/b", 3, "/")).toBeNull(); // inside a word: a path, not a shortcut
    expect(tokenAt("ask @Zoë", 8, "@")).toEqual({ start: 4, query: "Zoë" });
    expect(tokenAt("mail@example", 12, "@")).toBeNull();
  });

  it("replaces the token and keeps only mentions still in the text", () => {
    expect(replaceRange("Hi /ship now", 3, 8, "We ship today")).toEqual({ text: "Hi We ship today now", caret: 16 });
    const picked = new Map([
      ["Zoë Li", "u1"],
      ["Sam", "u2"],
    ]);
    expect(mentionedIds("@Zoë Li please check", picked)).toEqual(["u1"]);
  });

  it("checks types against the surface's accept list and reads the note limit from the schema", () => {
    expect(accepts(["image/*", "application/pdf"], "image/png")).toBe(true);
    expect(accepts(["image/*"], "video/mp4")).toBe(false);
    expect(accepts([], "anything/else")).toBe(true);
    expect(NOTE_MAX).toBe(4096);
  });
});
