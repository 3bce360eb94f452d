import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { api } from "../api";
import { ErrorMessage } from "../components/error-message";
import { formatDuration } from "../format";
import { useResync, useServerEvent } from "../hooks/use-server-event";
import { keys } from "../query-client";

/** A fallback refresh in case events are missed; socket events refresh it sooner. */
const REFRESH_MS = 30_000;
/** Events in a burst cause one refetch at most this often. */
const THROTTLE_MS = 2_000;

/** Refetches the live view at most once per THROTTLE_MS, whatever the number of events. */
function useThrottledInvalidate() {
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void qc.invalidateQueries({ queryKey: keys.report("live", {}) });
    }, THROTTLE_MS);
  };
}

/** The supervisor's view of now: queues, SLA risk, people and their load; it updates itself. */
export function LiveDashboard() {
  const live = useQuery({ queryKey: keys.report("live", {}), queryFn: () => api.liveReport(), refetchInterval: REFRESH_MS });
  const refresh = useThrottledInvalidate();
  useServerEvent("conversation.updated", refresh);
  useServerEvent("sla.warning", refresh);
  useServerEvent("sla.breached", refresh);
  useServerEvent("user.updated", refresh);
  useResync(refresh);

  if (live.error) return <ErrorMessage error={live.error} />;
  const data = live.data;
  if (!data) return <p className="muted">Loading…</p>;
  return (
    <section aria-label="Live" data-testid="live-dashboard">
      <div className="stat-cards">
        <StatCard label="Waiting in queues" value={String(data.waiting.count)} detail={`longest ${formatDuration(data.waiting.longestWaitSeconds)}`} testId="live-waiting" />
        <StatCard label="SLA at risk" value={String(data.sla.atRisk)} detail="past the warning" tone={data.sla.atRisk > 0 ? "warn" : undefined} testId="live-at-risk" />
        <StatCard label="SLA breached" value={String(data.sla.breached)} detail="still waiting" tone={data.sla.breached > 0 ? "danger" : undefined} testId="live-breached" />
        <StatCard label="With a bot" value={String(data.botOwned)} detail="not resolved" testId="live-bot" />
        <StatCard
          label="People online"
          value={String(data.byAvailability.online)}
          detail={`${data.byAvailability.away} away, ${data.byAvailability.offline} offline`}
          testId="live-online"
        />
      </div>
      <div className="report-columns">
        <table className="data-table" data-testid="live-agents">
          <caption>People and their open conversations</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Availability</th>
              <th scope="col" className="num">
                Open
              </th>
            </tr>
          </thead>
          <tbody>
            {data.agents.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.name}</th>
                <td>
                  <span className={`availability availability-${a.availability}`}>{a.availability}</span>
                </td>
                <td className="num">{a.openConversations}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="data-table" data-testid="live-oldest">
          <caption>Longest waits</caption>
          <thead>
            <tr>
              <th scope="col">Conversation</th>
              <th scope="col" className="num">
                Waiting
              </th>
            </tr>
          </thead>
          <tbody>
            {data.waiting.oldest.length === 0 && (
              <tr>
                <td colSpan={2}>Nobody is waiting.</td>
              </tr>
            )}
            {data.waiting.oldest.map((w) => (
              <tr key={w.conversationId}>
                <th scope="row">
                  <a href={`#/inbox/${w.conversationId}`}>Open conversation</a>
                </th>
                <td className="num">{formatDuration(w.waitSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">Updated {new Date(data.at).toLocaleTimeString()}; it follows changes as they happen.</p>
    </section>
  );
}

export function StatCard({ label, value, detail, tone, testId }: { label: string; value: string; detail?: string; tone?: "warn" | "danger"; testId?: string }) {
  return (
    <div className={`stat-card${tone ? ` stat-card-${tone}` : ""}`} data-testid={testId}>
      <div className="stat-card-label">{label}</div>
      <div className="stat-card-value">{value}</div>
      {detail && <div className="stat-card-detail">{detail}</div>}
    </div>
  );
}
