import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import type { DryRunItem } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { keys } from "../../query-client";
import { onServerEvent } from "../../socket";
import { ErrorMessage } from "../error-message";

const botWords: Record<DryRunItem["bot"]["action"], string> = {
  answer: "Answer",
  handoff: "Hand off",
  fallback: "Fallback reply",
  resolve: "Resolve",
  silent: "Stay silent",
};
const actualWords: Record<DryRunItem["actual"]["action"], string> = {
  bot_reply: "Bot replied",
  agent_reply: "Agent replied",
  handoff: "Handed off",
  resolved: "Resolved",
  none: "Nothing yet",
};

/**
 * Runs the channel's bot over its last N customer messages without sending anything, and shows,
 * side by side, what the bot would have done and what actually happened. Progress comes live
 * (bot.dry_run.updated) and by polling while it runs, in case an event is missed.
 */
export function DryRunPanel({ channelId }: { channelId: string }) {
  const qc = useQueryClient();
  const [limit, setLimit] = useState("20");
  const [useLlm, setUseLlm] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  // Coming back to the page shows the channel's latest run until a new one starts.
  const latest = useQuery({ queryKey: keys.dryRuns(channelId), queryFn: () => api.listDryRuns(channelId) });
  const shownId = runId ?? latest.data?.items[0]?.id ?? null;
  const run = useQuery({
    queryKey: keys.dryRun(shownId ?? ""),
    queryFn: () => api.getDryRun(shownId!),
    enabled: shownId !== null,
    refetchInterval: (q) => (q.state.data && (q.state.data.dryRun.status === "done" || q.state.data.dryRun.status === "failed") ? false : 2000),
  });

  useEffect(
    () =>
      onServerEvent("bot.dry_run.updated", ({ dryRun }) => {
        if (dryRun.id === shownId) void qc.invalidateQueries({ queryKey: keys.dryRun(dryRun.id) });
      }),
    [qc, shownId],
  );

  async function start(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setStarting(true);
    try {
      const { dryRun } = await api.startDryRun(channelId, { limit: Number(limit), useLlm });
      setRunId(dryRun.id);
    } catch (err) {
      setError(err);
    } finally {
      setStarting(false);
    }
  }

  const dryRun = run.data?.dryRun;
  const items = run.data?.items ?? [];
  const finished = dryRun?.status === "done" || dryRun?.status === "failed";
  return (
    <section className="panel" aria-labelledby={`dry-run-${channelId}`} data-testid="dry-run">
      <h3 id={`dry-run-${channelId}`}>Dry run</h3>
      <p className="muted">Replays the channel's latest customer messages through the saved pipeline. Nothing is sent or stored.</p>
      <form className="form-row" onSubmit={start}>
        <label>
          Messages to replay
          <input type="number" min={1} max={1000} value={limit} onChange={(e) => setLimit(e.target.value)} data-testid="dry-run-limit" />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={useLlm} onChange={(e) => setUseLlm(e.target.checked)} /> Call the AI model (costs tokens)
        </label>
        <button type="submit" className="primary" disabled={starting || (dryRun !== undefined && !finished)} data-testid="dry-run-start">
          Start dry run
        </button>
      </form>
      <ErrorMessage error={error ?? run.error} />
      {dryRun && (
        <p role="status" data-testid="dry-run-status" data-status={dryRun.status}>
          {dryRun.status === "queued" && "Waiting to start…"}
          {dryRun.status === "running" && `Running: ${dryRun.processed} of ${dryRun.total || "?"} messages`}
          {dryRun.status === "done" &&
            `Done: ${dryRun.processed} messages. The bot would answer ${dryRun.summary.answered}, hand off ${dryRun.summary.handedOff}, other ${dryRun.summary.other}; the same as what happened in ${dryRun.summary.sameAsActual}.`}
          {dryRun.status === "failed" && `Failed: ${dryRun.error ?? "unknown error"}`}
        </p>
      )}
      {dryRun && !finished && <progress max={dryRun.total || 1} value={dryRun.processed} aria-label="Dry run progress" />}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="data-table dry-run-table" data-testid="dry-run-table">
            <caption>What the bot would have done, beside what actually happened</caption>
            <thead>
              <tr>
                <th scope="col">Customer wrote</th>
                <th scope="col">Bot would</th>
                <th scope="col">Actually</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.messageId} data-testid="dry-run-item" data-bot-action={item.bot.action} data-actual-action={item.actual.action}>
                  <td dir="auto">{item.customerText}</td>
                  <td>
                    <strong>{botWords[item.bot.action]}</strong>
                    {item.bot.stage && <span className="muted"> · {item.bot.stage}</span>}
                    {item.bot.reason && <span className="muted"> · {item.bot.reason.replace(/_/g, " ")}</span>}
                    {item.bot.text && (
                      <p className="cell-text" dir="auto">
                        {item.bot.text}
                      </p>
                    )}
                  </td>
                  <td>
                    <strong>{actualWords[item.actual.action]}</strong>
                    {item.actual.reason && <span className="muted"> · {item.actual.reason.replace(/_/g, " ")}</span>}
                    {item.actual.text && (
                      <p className="cell-text" dir="auto">
                        {item.actual.text}
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
