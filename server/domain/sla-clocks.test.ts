import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../reports/metric-samples.js";
import { replaySla } from "./sla-clocks.js";

const T0 = Date.parse("2026-03-02T09:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000);
const msg = (actor: LedgerEntry["actor"], visibility = "private", userId: string | null = null) => ({ actor, data: { visibility }, actorUserId: userId });
function ledger(...rows: Array<[number, string, Partial<LedgerEntry>?]>): LedgerEntry[] {
  return rows.map(([s, type, extra]) => ({ type, actor: "system", actorUserId: null, data: {}, at: at(s), ...extra }));
}
const runningOf = (l: LedgerEntry[]) => Object.fromEntries(replaySla(l).running.map((r) => [r.metric, (r.start.getTime() - T0) / 1000]));
const completedOf = (l: LedgerEntry[]) => replaySla(l).completed.map((c) => [c.metric, (c.start.getTime() - T0) / 1000, (c.end.getTime() - T0) / 1000, c.agentId]);

describe("SLA clocks from the ledger", () => {
  it("a conversation that starts with people waits for a first response and a resolution", () => {
    const l = ledger([0, "conversation.created", { data: { owner: "human" } }], [0, "message.created", msg("customer")]);
    expect(runningOf(l)).toEqual({ first_response: 0, resolution: 0, reply_window: 0 });
  });

  it("the first human reply meets the first response; the next customer message starts the next response", () => {
    const l = ledger(
      [0, "conversation.created", { data: { owner: "human" } }],
      [0, "message.created", msg("customer")],
      [50, "message.created", msg("agent", "note", "u1")], // a note is no response
      [120, "message.created", msg("agent", "private", "u1")],
      [300, "message.created", msg("customer")],
      [330, "message.created", msg("customer")],
    );
    expect(completedOf(l)).toEqual([
      ["first_response", 0, 120, "u1"],
      ["reply_window", 0, 120, "u1"],
    ]);
    expect(runningOf(l)).toEqual({ next_response: 300, resolution: 0, reply_window: 300 });
    const last = replaySla(l).running.find((r) => r.metric === "reply_window")!;
    expect((last.lastCustomerAt!.getTime() - T0) / 1000).toBe(330);
  });

  it("a bot-owned conversation has no clock until the hand-off, which starts the human wait", () => {
    const bot = ledger(
      [0, "conversation.created", { data: { owner: "bot" } }],
      [0, "message.created", msg("customer")],
      [5, "message.created", msg("bot")],
    );
    expect(runningOf(bot)).toEqual({});
    const handed = [...bot, ...ledger([60, "message.created", msg("customer")], [61, "handed_off", { data: { reason: "customer_request" } }])];
    expect(runningOf(handed)).toEqual({ first_response: 61, resolution: 0, reply_window: 60 });
    const back = [...handed, ...ledger([70, "handed_back"])];
    expect(runningOf(back)).toEqual({});
  });

  it("resolving ends every clock and measures the resolution; a reopen starts again from the reopen", () => {
    const l = ledger(
      [0, "conversation.created", { data: { owner: "human" } }],
      [0, "message.created", msg("customer")],
      [100, "message.created", msg("agent", "private", "u1")],
      [200, "resolved", { actorUserId: "u2" }],
    );
    expect(runningOf(l)).toEqual({});
    expect(completedOf(l).at(-1)).toEqual(["resolution", 0, 200, "u2"]);
    const reopened = [...l, ...ledger([500, "reopened"], [500, "message.created", msg("customer")])];
    expect(runningOf(reopened)).toEqual({ first_response: 500, resolution: 500, reply_window: 500 });
  });

  it("a resolution without any reply completes no response clock", () => {
    const l = ledger([0, "conversation.created", { data: { owner: "human" } }], [0, "message.created", msg("customer")], [90, "resolved"]);
    expect(completedOf(l)).toEqual([["resolution", 0, 90, null]]);
  });
});
