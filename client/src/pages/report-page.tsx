import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import type { Channel, ResponseTimesReport, Stat } from "../../../shared/schemas/index.js";
import { api } from "../api";
import { ErrorMessage } from "../components/error-message";
import { formatDateTime, formatDuration, localMidnightIso, toDateInput } from "../format";

interface Range {
  from: string;
  to: string;
  channelId: string;
}

function defaultRange(): Range {
  const today = new Date();
  const weekAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
  return { from: toDateInput(weekAgo), to: toDateInput(today), channelId: "" };
}

const metrics: { key: "firstResponseTime" | "replyTime" | "resolutionTime"; label: string; help: string }[] = [
  { key: "firstResponseTime", label: "First response time", help: "From a customer's first message to the first reply" },
  { key: "replyTime", label: "Reply time", help: "From each customer message to the next reply" },
  { key: "resolutionTime", label: "Resolution time", help: "From the conversation's start to its resolution" },
];

export function ReportPage() {
  const [range, setRange] = useState<Range>(defaultRange);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [report, setReport] = useState<ResponseTimesReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);

  const load = useCallback(async (r: Range) => {
    const gen = ++generation.current;
    if (r.from && r.to && r.from > r.to) {
      setError(new Error("The start date must be on or before the end date."));
      setLoading(false);
      return;
    }
    setLoading(true);
    setError(null);
    try {
      const next = await api.responseTimes({
          // The inputs are local calendar days; "to" is inclusive here and exclusive in the API.
          from: r.from ? localMidnightIso(r.from) : undefined,
          to: r.to ? localMidnightIso(r.to, 1) : undefined,
          channelId: r.channelId || undefined,
      });
      if (gen === generation.current) setReport(next);
    } catch (err) {
      if (gen === generation.current) setError(err);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, []);

  // Reload whenever a filter changes; the button refreshes the same range.
  useEffect(() => {
    void load(range);
  }, [load, range]);

  useEffect(() => {
    api
      .listChannels()
      .then((res) => setChannels(res.items))
      .catch(() => undefined);
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    void load(range);
  }

  return (
    <div className="page report-page">
      <h1>Response times</h1>
      <form className="report-filters" onSubmit={submit}>
        <label>
          From
          <input
            type="date"
            value={range.from}
            max={range.to || undefined}
            onChange={(e) => setRange({ ...range, from: e.target.value })}
            data-testid="report-from"
          />
        </label>
        <label>
          To (inclusive)
          <input
            type="date"
            value={range.to}
            min={range.from || undefined}
            onChange={(e) => setRange({ ...range, to: e.target.value })}
            data-testid="report-to"
          />
        </label>
        <label>
          Channel
          <select
            value={range.channelId}
            onChange={(e) => setRange({ ...range, channelId: e.target.value })}
            data-testid="report-channel"
          >
            <option value="">All channels</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={loading} data-testid="report-submit">
          {loading ? "Loading…" : "Refresh"}
        </button>
      </form>
      <ErrorMessage error={error} />
      {report && (
          <table className="data-table report-table" data-testid="report-table" aria-busy={loading}>
            <caption>
              {formatDateTime(report.from)} – {formatDateTime(report.to)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" className="num">Count</th>
                <th scope="col" className="num">Mean</th>
                <th scope="col" className="num">Median</th>
                <th scope="col" className="num">P90</th>
              </tr>
            </thead>
            <tbody>
              {metrics.map((m) => (
                <StatRow key={m.key} label={m.label} help={m.help} stat={report[m.key]} testId={`report-${m.key}`} />
              ))}
            </tbody>
          </table>
      )}
    </div>
  );
}

function StatRow({ label, help, stat, testId }: { label: string; help: string; stat: Stat; testId: string }) {
  return (
    <tr data-testid={testId}>
      <th scope="row" title={help}>
        {label}
      </th>
      <td className="num">{stat.count}</td>
      <td className="num">{formatDuration(stat.mean)}</td>
      <td className="num">{formatDuration(stat.median)}</td>
      <td className="num">{formatDuration(stat.p90)}</td>
    </tr>
  );
}
