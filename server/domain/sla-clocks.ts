import type { SlaMetric } from "../../shared/schemas/sla.js";
import type { LedgerEntry } from "../reports/metric-samples.js";

/**
 * Replays one conversation's ledger into its SLA clocks, by the same rules as the metrics
 * (docs/metrics.md), so that an SLA is met exactly when the measured time is within the target:
 * - first_response runs from the start of the human wait (hand-off, reopen, or else creation) to the
 *   first human reply;
 * - next_response runs from `waiting_since` (the first unanswered customer message) to the next human
 *   reply, once the first response is done;
 * - resolution runs from creation (or the latest reopen) to the resolution;
 * - reply_window runs from `waiting_since` to a human reply; its deadline is the platform's window after
 *   the latest customer message.
 * Clocks run only while people own the conversation: a bot-owned conversation has no SLA.
 */

/** A measured interval that ended with the awaited event (a human reply or the resolution). */
export type Completed = { metric: SlaMetric; start: Date; end: Date; agentId: string | null };

/** A clock that is running now. */
export type Running = { metric: SlaMetric; start: Date; lastCustomerAt?: Date };

/**
 * Where a replay stands after some prefix of the ledger: what the clocks need of everything before
 * (dates as ISO strings, as it is stored as JSON on the conversation). `upTo` is the id of the last
 * entry replayed; `v` changes whenever the rules above change, so a state kept by an older version is
 * not resumed (the whole ledger is replayed again instead).
 */
export type ReplayState = {
  v: typeof REPLAY_VERSION;
  upTo: number;
  owner: "bot" | "human";
  waitStart: string | null;
  firstResponseDone: boolean;
  waitingSince: string | null;
  lastCustomerAt: string | null;
  resolutionStart: string | null;
  resolved: boolean;
};
export const REPLAY_VERSION = 1;

/** The stored state if it can be resumed from, else null (none, or kept by another version of the rules). */
export function resumable(stored: unknown): ReplayState | null {
  const s = stored as ReplayState | null;
  return s && s.v === REPLAY_VERSION && Number.isFinite(s.upTo) ? s : null;
}

const dateOf = (iso: string | null) => (iso ? new Date(iso) : null);

/**
 * Replays ledger entries into the clocks, from the start of the ledger or, given `from`, from where an
 * earlier replay stopped (then only entries after `from.upTo` count: the whole ledger may be passed).
 * `completed` holds the intervals that ended in the entries replayed now; `state` is where this replay
 * stands, for the next one to resume from.
 */
export function replaySla(ledger: Array<LedgerEntry & { id?: number }>, from: ReplayState | null = null): { completed: Completed[]; running: Running[]; state: ReplayState } {
  const completed: Completed[] = [];
  let owner: "bot" | "human" = from?.owner ?? "human";
  let waitStart: Date | null = dateOf(from?.waitStart ?? null);
  let firstResponseDone = from?.firstResponseDone ?? true;
  let waitingSince: Date | null = dateOf(from?.waitingSince ?? null);
  let lastCustomerAt: Date | null = dateOf(from?.lastCustomerAt ?? null);
  let resolutionStart: Date | null = dateOf(from?.resolutionStart ?? null);
  let resolved = from?.resolved ?? false;
  let upTo = from?.upTo ?? 0;

  for (const e of ledger) {
    if (e.id !== undefined) {
      if (e.id <= upTo) continue; // replayed before
      upTo = e.id;
    }
    switch (e.type) {
      case "conversation.created":
        owner = e.data.owner === "bot" ? "bot" : "human";
        resolutionStart = e.at;
        waitStart = e.at;
        firstResponseDone = false;
        resolved = false;
        break;
      case "handed_off":
        owner = "human";
        waitStart = e.at;
        firstResponseDone = false;
        break;
      case "handed_back":
        owner = "bot";
        break;
      case "reopened":
        resolutionStart = e.at;
        waitStart = e.at;
        firstResponseDone = false;
        resolved = false;
        break;
      case "resolved":
        if (resolutionStart) completed.push({ metric: "resolution", start: resolutionStart, end: e.at, agentId: e.actorUserId });
        resolutionStart = null;
        waitingSince = null;
        resolved = true;
        break;
      case "message.created": {
        if (e.data.visibility === "note") break;
        if (e.actor === "customer") {
          waitingSince ??= e.at;
          lastCustomerAt = e.at;
        } else if (e.actor === "agent") {
          if (owner === "human" && !firstResponseDone && waitStart) {
            completed.push({ metric: "first_response", start: waitStart, end: e.at, agentId: e.actorUserId });
            firstResponseDone = true;
          } else if (waitingSince) {
            completed.push({ metric: "next_response", start: waitingSince, end: e.at, agentId: e.actorUserId });
          }
          if (waitingSince) completed.push({ metric: "reply_window", start: waitingSince, end: e.at, agentId: e.actorUserId });
          waitingSince = null;
        } else if (e.actor === "bot" && owner === "bot") {
          waitingSince = null;
        }
        break;
      }
    }
  }

  const running: Running[] = [];
  if (owner === "human" && !resolved) {
    if (!firstResponseDone && waitStart) running.push({ metric: "first_response", start: waitStart });
    if (firstResponseDone && waitingSince) running.push({ metric: "next_response", start: waitingSince });
    if (resolutionStart) running.push({ metric: "resolution", start: resolutionStart });
    if (waitingSince && lastCustomerAt) running.push({ metric: "reply_window", start: waitingSince, lastCustomerAt });
  }
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const state: ReplayState = {
    v: REPLAY_VERSION,
    upTo,
    owner,
    waitStart: iso(waitStart),
    firstResponseDone,
    waitingSince: iso(waitingSince),
    lastCustomerAt: iso(lastCustomerAt),
    resolutionStart: iso(resolutionStart),
    resolved,
  };
  return { completed, running, state };
}
