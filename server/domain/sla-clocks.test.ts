import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../reports/metric-samples.js";
import { REPLAY_VERSION, replaySla, resumable } from "./sla-clocks.js";

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

  it("resuming from the state after any prefix gives what replaying the whole ledger gives", () => {
    // A long life: bot start, hand-off, replies, a note, a resolution, a reopen, a hand-back and a second hand-off.
    const whole = ledger(
      [0, "conversation.created", { data: { owner: "bot" } }],
      [0, "message.created", msg("customer")],
      [5, "message.created", msg("bot")],
      [60, "message.created", msg("customer")],
      [61, "handed_off", { data: { reason: "customer_request" } }],
      [80, "message.created", msg("agent", "note", "u1")],
      [120, "message.created", msg("agent", "private", "u1")],
      [300, "message.created", msg("customer")],
      [330, "message.created", msg("customer")],
      [400, "message.created", msg("agent", "private", "u2")],
      [500, "resolved", { actorUserId: "u2" }],
      [900, "reopened"],
      [900, "message.created", msg("customer")],
      [950, "handed_back"],
      [960, "message.created", msg("bot")],
      [990, "message.created", msg("customer")],
      [991, "handed_off", { data: { reason: "no_answer" } }],
      [995, "message.created", msg("customer")],
    ).map((e, i) => ({ ...e, id: 10 + i * 3 })); // ids rise, with gaps (other conversations' entries)
    const all = replaySla(whole);
    expect(all.state.upTo).toBe(whole.at(-1)!.id);
    for (let cut = 0; cut <= whole.length; cut++) {
      const first = replaySla(whole.slice(0, cut));
      // Stored as JSON on the conversation, then resumed with the whole ledger or with only what follows.
      const stored = JSON.parse(JSON.stringify(first.state));
      for (const rest of [whole, whole.slice(cut)]) {
        const second = replaySla(rest, resumable(stored));
        expect(second.running).toEqual(all.running);
        expect([...first.completed, ...second.completed]).toEqual(all.completed);
        expect(second.state).toEqual(all.state);
      }
    }
  });

  it("a state kept by another version of the rules is not resumed from", () => {
    const l = ledger([0, "conversation.created", { data: { owner: "human" } }], [0, "message.created", msg("customer")]).map((e, i) => ({ ...e, id: i + 1 }));
    const { state } = replaySla(l);
    expect(resumable(state)).toEqual(state);
    expect(resumable({ ...state, v: REPLAY_VERSION + 1 })).toBeNull();
    expect(resumable(null)).toBeNull();
  });
});
