import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { BusinessHours } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { validateForm } from "../../lib/errors";
import { keys } from "../../query-client";
import { ErrorMessage } from "../error-message";
import { BusinessHoursEditor, holidaysToText, textToHolidays } from "./business-hours-editor";

/** Admin → Business hours: the workspace's calendar, used by teams without their own and by SLA clocks. */
export function HoursPanel() {
  const qc = useQueryClient();
  const { data, error: loadError } = useQuery({ queryKey: keys.businessHours, queryFn: api.businessHours });
  const [value, setValue] = useState<BusinessHours | null>(null);
  const [holidays, setHolidays] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!data) return;
    setValue(data.businessHours);
    setHolidays(holidaysToText(data.businessHours.holidays));
  }, [data]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!value) return;
    setError(null);
    setSaved(false);
    try {
      qc.setQueryData(keys.businessHours, await api.putBusinessHours(validateForm(BusinessHours, { ...value, holidays: textToHolidays(holidays) })));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="admin-section" aria-labelledby="hours-title">
      <h2 id="hours-title">Business hours</h2>
      <ErrorMessage error={loadError} />
      {!value && !loadError && <p className="muted">Loading…</p>}
      {data?.isDefault && <p className="muted">Not set yet: the workspace counts as always open (UTC).</p>}
      {value && (
        <form className="panel" onSubmit={save} data-testid="workspace-hours">
          <BusinessHoursEditor idPrefix="workspace" value={value} onChange={(v) => { setSaved(false); setValue(v); }} holidaysText={holidays} onHolidaysText={setHolidays} />
          <ErrorMessage error={error} />
          <div className="button-row">
            <button type="submit" className="primary" data-testid="hours-save">
              Save business hours
            </button>
            {saved && (
              <span role="status" className="text-success">
                Saved.
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
