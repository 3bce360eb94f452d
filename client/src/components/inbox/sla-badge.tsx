import type { SlaState } from "../../../../shared/schemas/index.js";
import { formatTimeLeft } from "../../format";

const metricLabels: Record<SlaState["metric"], string> = {
  first_response: "First response",
  next_response: "Next response",
  resolution: "Resolution",
  reply_window: "Reply window",
};

/** Time left to the conversation's next deadline (SLA or the platform's reply window), or that it passed. */
export function SlaBadge({ sla, now }: { sla: SlaState | null | undefined; now: number }) {
  if (!sla) return null;
  const due = Date.parse(sla.dueAt);
  if (!Number.isFinite(due)) return null;
  const left = due - now;
  const breached = Boolean(sla.breachedAt) || left <= 0;
  const soon = !breached && left < 15 * 60_000;
  const what = metricLabels[sla.metric] ?? sla.metric;
  const text = breached ? `${what} overdue` : `${what}: ${formatTimeLeft(left)}`;
  return (
    <span className={`badge sla-badge${breached ? " sla-breached" : soon ? " sla-soon" : ""}`} data-testid="sla" title={`${what} due ${new Date(due).toLocaleString()}`}>
      {text}
    </span>
  );
}

const priorityLabels = { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" } as const;
export { priorityLabels };

export function PriorityBadge({ priority }: { priority: keyof typeof priorityLabels | undefined }) {
  if (!priority || priority === "normal") return null;
  return (
    <span className={`badge priority-${priority}`} data-testid="priority">
      {priorityLabels[priority]}
    </span>
  );
}
