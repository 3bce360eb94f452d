/**
 * Turns one conversation's ledger into metric samples, exactly as docs/metrics.md defines them:
 * - first response: first human public or private reply after the start of a human wait (the latest
 *   hand-off from the bot, or the reopen, or else the creation); once per wait start.
 * - reply: each later human reply minus waiting_since (the first customer message not yet answered);
 *   a bot reply clears waiting_since only while the bot owns the conversation.
 * - resolution: each resolution minus the creation, or minus the reopen that preceded it.
 * Notes, bot, automation and system messages are never responses.
 */
export type LedgerEntry = {
  type: string;
  actor: "customer" | "bot" | "agent" | "system";
  actorUserId: string | null;
  data: Record<string, unknown>;
  at: Date;
};

export type MetricSample = {
  metric: "first_response" | "reply" | "resolution";
  seconds: number;
  startedAt: Date;
  recordedAt: Date;
  agentId: string | null;
};

export function computeSamples(ledger: LedgerEntry[]): MetricSample[] {
  const out: MetricSample[] = [];
  const sample = (metric: MetricSample["metric"], startedAt: Date, e: LedgerEntry) =>
    out.push({
      metric,
      seconds: (e.at.getTime() - startedAt.getTime()) / 1000,
      startedAt,
      recordedAt: e.at,
      agentId: e.actorUserId,
    });

  let owner: "bot" | "human" = "human";
  let waitStart: Date | null = null; // start of the current human wait
  let firstResponseDone = true;
  let waitingSince: Date | null = null;
  let resolutionStart: Date | null = null;

  for (const e of ledger) {
    switch (e.type) {
      case "conversation.created":
        owner = e.data.owner === "bot" ? "bot" : "human";
        resolutionStart = e.at;
        waitStart = e.at;
        firstResponseDone = false;
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
        break;
      case "resolved":
        if (resolutionStart) sample("resolution", resolutionStart, e);
        resolutionStart = null;
        waitingSince = null;
        break;
      case "message.created": {
        const visibility = e.data.visibility;
        if (visibility === "note") break;
        if (e.actor === "customer") {
          waitingSince ??= e.at;
        } else if (e.actor === "agent") {
          if (owner === "human" && !firstResponseDone && waitStart) {
            sample("first_response", waitStart, e);
            firstResponseDone = true;
          } else if (waitingSince) {
            sample("reply", waitingSince, e);
          }
          waitingSince = null;
        } else if (e.actor === "bot" && owner === "bot") {
          waitingSince = null;
        }
        break;
      }
    }
  }
  return out;
}
