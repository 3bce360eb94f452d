/** From a period's numbers to what is happening now. */
export function LiveDashboardLink() {
  return (
    <a className="report-live-link" href="#/reports/live">
      See live
    </a>
  );
}
