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

export function replaySla(ledger: LedgerEntry[]): { completed: Completed[]; running: Running[] } {
  const completed: Completed[] = [];
  let owner: "bot" | "human" = "human";
  let waitStart: Date | null = null;
  let firstResponseDone = true;
  let waitingSince: Date | null = null;
  let lastCustomerAt: Date | null = null;
  let resolutionStart: Date | null = null;
  let resolved = false;

  for (const e of ledger) {
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
  return { completed, running };
}
