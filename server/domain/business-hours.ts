import { DateTime, IANAZone } from "luxon";
import { type BusinessHours, weekdays } from "../../shared/schemas/teams.js";

/**
 * Business-hours arithmetic, pure. Opening hours are local times of the calendar's time zone, so a
 * working day keeps its local hours across a daylight-saving change (a 09:00-17:00 day is 8 hours of
 * business time either side of it; a 00:00-24:00 day is 23 or 25 hours long on the change days).
 */

const allDay = [{ from: "00:00", to: "24:00" }];
/** What applies until someone sets hours: always open, UTC (business time equals calendar time). */
export const alwaysOpen: BusinessHours = {
  timeZone: "UTC",
  weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  holidays: [],
};

export const isKnownTimeZone = (zone: string) => IANAZone.isValidZone(zone);

/** Far enough to cover any target (a year) plus long holiday stretches; a calendar never open inside it is refused. */
const MAX_DAYS = 3 * 366;

type Opening = [start: number, end: number];

function openingsOf(cal: BusinessHours, holidays: Set<string>, day: DateTime): Opening[] {
  if (holidays.has(day.toISODate()!)) return [];
  const key = weekdays[day.weekday - 1]!;
  const next = day.plus({ days: 1 }).startOf("day");
  return cal.weekly[key].map(({ from, to }) => {
    const at = (t: string) => (t === "24:00" ? next : day.set({ hour: Number(t.slice(0, 2)), minute: Number(t.slice(3, 5)), second: 0, millisecond: 0 }));
    return [at(from).toMillis(), at(to).toMillis()] as Opening;
  });
}

function* days(cal: BusinessHours, from: Date): Generator<Opening[]> {
  const holidays = new Set(cal.holidays.map((h) => h.date));
  let day = DateTime.fromJSDate(from, { zone: cal.timeZone }).startOf("day");
  for (let i = 0; i < MAX_DAYS; i++) {
    yield openingsOf(cal, holidays, day);
    day = day.plus({ days: 1 }).startOf("day");
  }
}

/** The moment `seconds` of business time after `from` (from itself counts from the next opening if closed). */
export function addBusinessSeconds(cal: BusinessHours, from: Date, seconds: number): Date {
  let remaining = Math.max(0, seconds) * 1000;
  const t0 = from.getTime();
  for (const openings of days(cal, from)) {
    for (const [s, e] of openings) {
      const start = Math.max(s, t0);
      if (e <= start) continue;
      if (remaining <= e - start) return new Date(start + remaining);
      remaining -= e - start;
    }
  }
  throw new Error(`business hours never open enough within ${MAX_DAYS} days`);
}

/** Business seconds in [from, to). */
export function businessSecondsBetween(cal: BusinessHours, from: Date, to: Date): number {
  const t0 = from.getTime();
  const t1 = to.getTime();
  if (t1 <= t0) return 0;
  let total = 0;
  for (const openings of days(cal, from)) {
    for (const [s, e] of openings) {
      if (s >= t1) return total / 1000;
      const overlap = Math.min(e, t1) - Math.max(s, t0);
      if (overlap > 0) total += overlap;
    }
  }
  return total / 1000;
}

/** Whether the calendar is open at that moment. */
export function isOpenAt(cal: BusinessHours, at: Date): boolean {
  const t = at.getTime();
  const first: Opening[] = days(cal, at).next().value ?? [];
  // An opening of the previous day cannot reach into this one: "24:00" is the latest end.
  return first.some(([s, e]) => s <= t && t < e);
}

/** A deadline `seconds` after `from`: business time with a calendar, else calendar time. */
export function deadline(from: Date, seconds: number, cal: BusinessHours | null): Date {
  return cal ? addBusinessSeconds(cal, from, seconds) : new Date(from.getTime() + seconds * 1000);
}
