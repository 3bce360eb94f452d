import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../shared/schemas/normalized.js";
import { type Delivery, setCandidate, setItems } from "./apply-set.js";

const channel = { id: "ch-1" } as Delivery["channel"];
const other = { id: "ch-2" } as Delivery["channel"];
const message = (contact: string, id: string, extra: { direction?: "in" | "out"; parentExternalId?: string; thread?: string } = {}): NormalizedEvent => ({
  type: "message",
  thread: { kind: "dm", key: extra.thread ?? `contact:${contact}` },
  contact: { externalId: contact },
  message: { externalId: id, text: id, direction: extra.direction ?? "in", ...(extra.parentExternalId ? { parentExternalId: extra.parentExternalId } : {}) },
});
const delivery = (id: string, ...normalized: NormalizedEvent[]): Delivery => ({ id, channel, normalized });
const now = () => new Date(0);

describe("which deliveries the set-based ingest takes", () => {
  it("takes single customer messages, not echoes, replies to a stored message or several events at once", () => {
    expect(setCandidate([message("a", "m1")])).not.toBeNull();
    expect(setCandidate([message("a", "m1", { direction: "out" })])).toBeNull();
    expect(setCandidate([message("a", "m1", { parentExternalId: "m0" })])).toBeNull();
    expect(setCandidate([message("a", "m1"), message("a", "m2")])).toBeNull();
    expect(setCandidate([{ type: "ignored", reason: "typing" }])).toBeNull();
  });

  it("leaves a whole thread to the per-delivery path when one of its deliveries is not a plain customer message", () => {
    const items = setItems(
      [
        delivery("d1", message("a", "m1")),
        delivery("d2", message("b", "m2")),
        delivery("d3", message("a", "echo", { direction: "out" })), // the brand's own message in a's thread
        delivery("d4", message("a", "m3")),
        delivery("d5", message("c", "m4")),
      ],
      now,
    );
    expect(items.map((i) => i.id)).toEqual(["d2", "d5"]);
  });

  it("leaves a contact's threads alone when a block or read watermark names that contact", () => {
    const items = setItems(
      [
        delivery("d1", message("a", "m1")),
        delivery("d2", { type: "contact.blocked", contactExternalId: "a", blocked: true, reason: "blocked the bot" }),
        delivery("d3", message("b", "m2")),
      ],
      now,
    );
    expect(items.map((i) => i.id)).toEqual(["d3"]);
  });

  it("tells threads of the same key apart by channel", () => {
    const items = setItems([delivery("d1", message("a", "m1", { direction: "out" })), { id: "d2", channel: other, normalized: [message("a", "m2")] }], now);
    expect(items.map((i) => i.id)).toEqual(["d2"]);
  });
});
