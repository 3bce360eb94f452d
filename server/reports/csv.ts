import type { ResponseTimesReport, Stat } from "../../shared/schemas/reports.js";

const metrics = [
  ["first_response", "firstResponseTime"],
  ["reply", "replyTime"],
  ["resolution", "resolutionTime"],
] as const;
const stats = ["count", "mean", "median", "p90"] as const;

/**
 * One cell. Quoted when it holds a separator, a quote or a line break; text a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR first) gets a leading apostrophe, since labels are names people typed.
 */
function cell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The response-time report as CSV: a header row, the totals ("total"), then one line per group. */
export function responseTimesCsv(report: ResponseTimesReport): string {
  const header = ["key", "label", ...metrics.flatMap(([name]) => stats.map((s) => `${name}_${s}_seconds`.replace("_count_seconds", "_count")))];
  const line = (key: string | null, label: string, r: Record<(typeof metrics)[number][1], Stat>) =>
    [cell(key), cell(label), ...metrics.flatMap(([, k]) => stats.map((s) => cell(r[k][s])))].join(",");
  const lines = [header.join(","), line("total", `All (${report.from} to ${report.to}${report.businessHours ? ", business hours" : ""})`, report)];
  for (const row of report.rows) lines.push(line(row.key, row.label, row));
  return lines.join("\r\n") + "\r\n";
}
