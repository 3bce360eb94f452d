import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { OverviewReport, ReportRow, ResponseTimesReport, Stat } from "../../../shared/schemas/index.js";
import { api } from "../api";
import { ErrorMessage } from "../components/error-message";
import { formatDateTime, formatDuration } from "../format";
import { keys } from "../query-client";
import { apiPeriod, browserTimeZone, presetRange, presets, type PresetId } from "./period";
import { StatCard } from "./live-dashboard";

type Breakdown = "agent" | "team" | "channel" | "hour";
const breakdowns: { id: Breakdown; label: string }[] = [
  { id: "agent", label: "Agent" },
  { id: "team", label: "Team" },
  { id: "channel", label: "Channel" },
  { id: "hour", label: "Hour of the day" },
];

const metrics: { key: "firstResponseTime" | "replyTime" | "resolutionTime"; label: string; help: string }[] = [
  { key: "firstResponseTime", label: "First response time", help: "From the start of a human wait (creation, hand-off or reopen) to the first human reply" },
  { key: "replyTime", label: "Reply time", help: "From the first unanswered customer message to the next human reply" },
  { key: "resolutionTime", label: "Resolution time", help: "From the conversation's start (or reopen) to its resolution" },
];

interface Filters {
  preset: PresetId;
  from: string;
  to: string;
  channelId: string;
  teamId: string;
  businessHours: boolean;
  breakdown: Breakdown;
}

const minutes = (seconds: number | null) => (seconds === null ? null : Math.round((seconds / 60) * 10) / 10);

/** A period's volume, outcomes and response times, with charts, a breakdown and a CSV download. */
export function PeriodReport() {
  const [f, setF] = useState<Filters>(() => ({ preset: "7d", ...presetRange("7d"), channelId: "", teamId: "", businessHours: false, breakdown: "agent" }));
  const channels = useQuery({ queryKey: keys.channels, queryFn: async () => (await api.listChannels()).items });
  const teams = useQuery({ queryKey: keys.teams, queryFn: () => api.listTeams() });
  const invalid = !f.from || !f.to || f.from > f.to;
  const base = invalid ? null : { ...apiPeriod(f), channelId: f.channelId || undefined, teamId: f.teamId || undefined };
  const times = base ? { ...base, businessHours: f.businessHours ? ("true" as const) : undefined, timeZone: browserTimeZone() } : null;

  const overview = useQuery({ queryKey: keys.report("overview", base), queryFn: () => api.overview(base!), enabled: !!base, placeholderData: keepPreviousData });
  const daily = useQuery({ queryKey: keys.report("daily", times), queryFn: () => api.responseTimes({ ...times!, groupBy: "day" }), enabled: !!times, placeholderData: keepPreviousData });
  const breakdownQuery = times ? { ...times, groupBy: f.breakdown } : null;
  const broken = useQuery({
    queryKey: keys.report("breakdown", breakdownQuery),
    queryFn: () => api.responseTimes(breakdownQuery!),
    enabled: !!breakdownQuery,
    placeholderData: keepPreviousData,
  });

  const choosePreset = (preset: PresetId) => setF(preset === "custom" ? { ...f, preset } : { ...f, preset, ...presetRange(preset) });
  const loading = overview.isFetching || daily.isFetching || broken.isFetching;

  return (
    <>
      <div className="report-presets" role="group" aria-label="Period">
        {presets.map((p) => (
          <button key={p.id} type="button" aria-pressed={f.preset === p.id} onClick={() => choosePreset(p.id)} data-testid={`preset-${p.id}`}>
            {p.label}
          </button>
        ))}
      </div>
      <form className="report-filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={f.from} max={f.to || undefined} onChange={(e) => setF({ ...f, preset: "custom", from: e.target.value })} data-testid="report-from" />
        </label>
        <label>
          To (inclusive)
          <input type="date" value={f.to} min={f.from || undefined} onChange={(e) => setF({ ...f, preset: "custom", to: e.target.value })} data-testid="report-to" />
        </label>
        <label>
          Channel
          <select value={f.channelId} onChange={(e) => setF({ ...f, channelId: e.target.value })} data-testid="report-channel">
            <option value="">All channels</option>
            {(channels.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Team
          <select value={f.teamId} onChange={(e) => setF({ ...f, teamId: e.target.value })} data-testid="report-team">
            <option value="">All teams</option>
            {(teams.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox-label">
          <input type="checkbox" checked={f.businessHours} onChange={(e) => setF({ ...f, businessHours: e.target.checked })} data-testid="report-business-hours" />
          Business hours only
        </label>
      </form>
      {invalid && <ErrorMessage error={new Error("The start date must be on or before the end date.")} />}
      <ErrorMessage error={overview.error ?? daily.error ?? broken.error} />
      <div aria-busy={loading} aria-live="polite">
        {overview.data && <OverviewCards report={overview.data} />}
        {daily.data && (
          <>
            <TotalsTable report={daily.data} />
            <DailyChart rows={daily.data.rows} />
          </>
        )}
        {broken.data && breakdownQuery && (
          <section className="report-breakdown" aria-labelledby="breakdown-title">
            <div className="report-breakdown-head">
              <h2 id="breakdown-title">By</h2>
              <select aria-label="Break down by" value={f.breakdown} onChange={(e) => setF({ ...f, breakdown: e.target.value as Breakdown })} data-testid="report-breakdown">
                {breakdowns.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.label}
                  </option>
                ))}
              </select>
              <a className="button" href={api.responseTimesCsvUrl(breakdownQuery)} download data-testid="report-csv">
                Download CSV
              </a>
            </div>
            <BreakdownChart rows={broken.data.rows} />
            <BreakdownTable rows={broken.data.rows} />
          </section>
        )}
      </div>
    </>
  );
}

function OverviewCards({ report }: { report: OverviewReport }) {
  const handoffs = Object.values(report.handedOff).reduce((a, b) => a + b, 0);
  const reasons = Object.entries(report.handedOff)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r.replace(/_/g, " ")} ${n}`)
    .join(", ");
  const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 1000) / 10} %`);
  return (
    <div className="stat-cards" data-testid="report-overview">
      <StatCard label="Conversations" value={String(report.conversations)} detail="started" testId="overview-conversations" />
      <StatCard label="Messages" value={`${report.messagesIn} in`} detail={`${report.messagesOut} out`} testId="overview-messages" />
      <StatCard label="Bot containment" value={pct(report.containment)} detail={`${report.botResolved} of ${report.botConversations} resolved by the bot`} testId="overview-containment" />
      <StatCard label="Hand-offs" value={String(handoffs)} detail={reasons || "none"} testId="overview-handoffs" />
      <StatCard label="SLA attainment" value={pct(report.sla.attainment)} detail={`${report.sla.met} met, ${report.sla.breached} breached`} testId="overview-sla" />
    </div>
  );
}

function TotalsTable({ report }: { report: ResponseTimesReport }) {
  return (
    <table className="data-table report-table" data-testid="report-table">
      <caption>
        Response times{report.businessHours ? " (business hours)" : ""}, {formatDateTime(report.from)} – {formatDateTime(report.to)}
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

const tooltipMinutes = (value: unknown) => (typeof value === "number" ? formatDuration(value * 60) : "—");

function DailyChart({ rows }: { rows: ReportRow[] }) {
  const data = rows.map((r) => ({ day: r.key?.slice(5) ?? "", firstResponse: minutes(r.firstResponseTime.median), reply: minutes(r.replyTime.median) }));
  return (
    <figure className="report-chart" data-testid="chart-daily">
      <figcaption>Median first response and reply time per day (minutes)</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis />
          <Tooltip formatter={tooltipMinutes} />
          <Legend />
          <Line type="monotone" dataKey="firstResponse" name="First response" stroke="#2f5bea" connectNulls dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="reply" name="Reply" stroke="#0e7a5f" connectNulls dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

function BreakdownChart({ rows }: { rows: ReportRow[] }) {
  const data = rows.map((r) => ({ label: r.label, firstResponse: minutes(r.firstResponseTime.median), reply: minutes(r.replyTime.median) }));
  return (
    <figure className="report-chart" data-testid="chart-breakdown">
      <figcaption>Median first response and reply time (minutes)</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis />
          <Tooltip formatter={tooltipMinutes} />
          <Legend />
          <Bar dataKey="firstResponse" name="First response" fill="#2f5bea" isAnimationActive={false} />
          <Bar dataKey="reply" name="Reply" fill="#0e7a5f" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function BreakdownTable({ rows }: { rows: ReportRow[] }) {
  return (
    <table className="data-table" data-testid="report-breakdown-table">
      <thead>
        <tr>
          <th scope="col">Group</th>
          {metrics.map((m) => (
            <th key={m.key} scope="col" className="num" title={m.help}>
              {m.label} (median, n)
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key ?? "none"}>
            <th scope="row">{r.label}</th>
            {metrics.map((m) => (
              <td key={m.key} className="num">
                {formatDuration(r[m.key].median)} ({r[m.key].count})
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
