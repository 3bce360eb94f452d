import { LiveDashboard } from "../reports/live-dashboard";
import { PeriodReport } from "../reports/period-report";

const sections = [
  { id: "period", label: "Reports", href: "#/reports" },
  { id: "live", label: "Live", href: "#/reports/live" },
] as const;

/** Supervisors' numbers: a period's volume and response times, or what is happening now. */
export function ReportPage({ section }: { section: string | null }) {
  const current = section === "live" ? "live" : "period";
  return (
    <div className="page report-page">
      <h1>{current === "live" ? "Live" : "Reports"}</h1>
      <nav className="sub-nav" aria-label="Report views">
        {sections.map((s) => (
          <a key={s.id} href={s.href} aria-current={current === s.id ? "page" : undefined} data-testid={`reports-${s.id}`}>
            {s.label}
          </a>
        ))}
      </nav>
      {current === "live" ? <LiveDashboard /> : <PeriodReport />}
    </div>
  );
}
