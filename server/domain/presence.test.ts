import { describe, expect, it } from "vitest";
import { presenceOf, stillThere } from "./presence.js";

const conv = "c1";
const sock = (id: string, userId: string, name: string, typingUntil?: number) => ({ id, data: { user: { id: userId, name }, typing: (typingUntil ? { [conv]: typingUntil } : {}) as Record<string, number> } });

describe("presence", () => {
  it("lists other people once each, and only live typers", () => {
    const sockets = [sock("s1", "me", "Me", 5000), sock("s2", "ana", "Ana", 5000), sock("s3", "ana", "Ana"), sock("s4", "bo", "Bo", 900)];
    expect(presenceOf(sockets, conv, "me", 1000)).toEqual({
      viewers: [
        { userId: "ana", name: "Ana" },
        { userId: "bo", name: "Bo" },
      ],
      typing: [{ userId: "ana", name: "Ana" }],
    });
  });

  it("a person with another tab still open has not left", () => {
    const sockets = [sock("s1", "ana", "Ana"), sock("s2", "ana", "Ana"), sock("s3", "bo", "Bo")];
    expect(stillThere(sockets, "ana", "s1")).toBe(true);
    expect(stillThere(sockets, "bo", "s3")).toBe(false);
  });
});
