import { weekdays, type BusinessHours, type Weekday } from "../../../../shared/schemas/index.js";

const dayWords: Record<Weekday, string> = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };

/** Weekdays 09:00–17:00 in the browser's time zone: a sensible start for a new calendar. */
export function defaultHours(): BusinessHours {
  const nine = [{ from: "09:00", to: "17:00" }];
  return {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    weekly: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: [], sun: [] },
    holidays: [],
  };
}

const zones: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    return [];
  }
})();

/** Holidays as lines a person writes: "2026-12-25 Christmas". */
export function holidaysToText(h: BusinessHours["holidays"]): string {
  return h.map((d) => (d.name ? `${d.date} ${d.name}` : d.date)).join("\n");
}
export function textToHolidays(text: string): BusinessHours["holidays"] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [date = "", ...rest] = l.split(/\s+/);
      const name = rest.join(" ").trim();
      return name ? { date, name } : { date };
    });
}

/**
 * A calendar: time zone, opening hours per weekday (several openings a day allowed) and holidays.
 * Controlled: the parent keeps the value and the holidays' text (so a half-typed line is kept).
 */
export function BusinessHoursEditor({
  value,
  onChange,
  holidaysText,
  onHolidaysText,
  idPrefix,
}: {
  value: BusinessHours;
  onChange: (v: BusinessHours) => void;
  holidaysText: string;
  onHolidaysText: (t: string) => void;
  idPrefix: string;
}) {
  const setDay = (day: Weekday, openings: BusinessHours["weekly"][Weekday]) => onChange({ ...value, weekly: { ...value.weekly, [day]: openings } });
  return (
    <div className="hours-editor" data-testid="hours-editor">
      <label>
        Time zone
        <input value={value.timeZone} list={`${idPrefix}-zones`} onChange={(e) => onChange({ ...value, timeZone: e.target.value })} data-testid="hours-time-zone" />
        <datalist id={`${idPrefix}-zones`}>
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </label>
      <table className="hours-table">
        <caption className="visually-hidden">Opening hours by weekday</caption>
        <tbody>
          {weekdays.map((day) => {
            const openings = value.weekly[day];
            return (
              <tr key={day} data-testid={`hours-${day}`}>
                <th scope="row">{dayWords[day]}</th>
                <td>
                  <div className="hours-day">
                    {openings.length === 0 && <span className="muted">Closed</span>}
                    {openings.map((o, i) => (
                      <span key={i} className="opening">
                        <input
                          type="text"
                          inputMode="numeric"
                          pattern="\d\d:\d\d"
                          size={5}
                          aria-label={`${dayWords[day]} opening ${i + 1} from`}
                          value={o.from}
                          onChange={(e) => setDay(day, openings.map((x, j) => (j === i ? { ...x, from: e.target.value } : x)))}
                        />
                        –
                        <input
                          type="text"
                          inputMode="numeric"
                          pattern="\d\d:\d\d"
                          size={5}
                          aria-label={`${dayWords[day]} opening ${i + 1} to`}
                          value={o.to}
                          onChange={(e) => setDay(day, openings.map((x, j) => (j === i ? { ...x, to: e.target.value } : x)))}
                        />
                        <button type="button" className="button-small" onClick={() => setDay(day, openings.filter((_, j) => j !== i))} aria-label={`Remove ${dayWords[day]} opening ${i + 1}`}>
                          ✕
                        </button>
                      </span>
                    ))}
                    {openings.at(-1)?.to !== "24:00" && (
                      <button
                        type="button"
                        className="button-small"
                        onClick={() => setDay(day, [...openings, openings.length ? { from: openings.at(-1)!.to, to: "24:00" } : { from: "09:00", to: "17:00" }])}
                        aria-label={`Add hours on ${dayWords[day]}`}
                      >
                        + hours
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <label>
        Holidays <span className="muted">(one a line: 2026-12-25 Christmas)</span>
        <textarea rows={3} value={holidaysText} onChange={(e) => onHolidaysText(e.target.value)} data-testid="hours-holidays" />
      </label>
    </div>
  );
}
