import { describe, expect, it } from "vitest";
import { BusinessHours } from "../../shared/schemas/teams.js";
import { addBusinessSeconds, alwaysOpen, businessSecondsBetween, deadline, isOpenAt } from "./business-hours.js";

const nineToFive = [{ from: "09:00", to: "17:00" }];
const office = (timeZone: string, holidays: Array<{ date: string }> = []) =>
  BusinessHours.parse({ timeZone, weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive }, holidays });
const H = 3600;

describe("business hours", () => {
  const berlin = office("Europe/Berlin");

  it("counts from the next opening when closed, and carries over evenings and weekends", () => {
    // Friday 2026-03-06 16:00 Berlin (UTC+1): one hour left on Friday, then Monday from 09:00.
    const friday4pm = new Date("2026-03-06T15:00:00Z");
    expect(addBusinessSeconds(berlin, friday4pm, 2 * H).toISOString()).toBe("2026-03-09T09:00:00.000Z"); // Mon 10:00 local
    // Saturday: nothing until Monday 09:00 local.
    expect(addBusinessSeconds(berlin, new Date("2026-03-07T12:00:00Z"), 30 * 60).toISOString()).toBe("2026-03-09T08:30:00.000Z");
    // Exactly the rest of the day ends at closing time, not at the next opening.
    expect(addBusinessSeconds(berlin, friday4pm, H).toISOString()).toBe("2026-03-06T16:00:00.000Z");
    // Zero seconds from a closed moment is the next opening.
    expect(addBusinessSeconds(berlin, new Date("2026-03-06T20:00:00Z"), 0).toISOString()).toBe("2026-03-09T08:00:00.000Z");
  });

  it("measures elapsed business seconds as the inverse of adding them", () => {
    const from = new Date("2026-03-06T15:00:00Z");
    expect(businessSecondsBetween(berlin, from, new Date("2026-03-09T09:00:00Z"))).toBe(2 * H);
    expect(businessSecondsBetween(berlin, new Date("2026-03-07T00:00:00Z"), new Date("2026-03-08T23:00:00Z"))).toBe(0);
    for (const seconds of [1, 59, 3599, 8 * H, 8 * H + 1, 41 * H + 17]) {
      const due = addBusinessSeconds(berlin, from, seconds);
      expect(businessSecondsBetween(berlin, from, due)).toBe(seconds);
    }
    expect(businessSecondsBetween(berlin, from, from)).toBe(0);
  });

  it("skips holidays, which are local dates", () => {
    const withHoliday = office("Europe/Berlin", [{ date: "2026-12-24" }, { date: "2026-12-25" }]);
    // Wednesday 23 Dec 16:30 local: half an hour that day, then Thursday and Friday are holidays, then Monday 28.
    const due = addBusinessSeconds(withHoliday, new Date("2026-12-23T15:30:00Z"), H);
    expect(due.toISOString()).toBe("2026-12-28T08:30:00.000Z");
  });

  it("follows each time zone's own hours", () => {
    const ny = office("America/New_York");
    const tokyo = office("Asia/Tokyo");
    const at = new Date("2026-03-04T13:00:00Z"); // Wed: 08:00 in New York, 22:00 in Tokyo
    expect(addBusinessSeconds(ny, at, H).toISOString()).toBe("2026-03-04T15:00:00.000Z"); // opens 09:00 EST = 14:00Z
    expect(addBusinessSeconds(tokyo, at, H).toISOString()).toBe("2026-03-05T01:00:00.000Z"); // Thu 10:00 JST
    expect(isOpenAt(ny, at)).toBe(false);
    expect(isOpenAt(ny, new Date("2026-03-04T14:00:00Z"))).toBe(true);
  });

  it("keeps local opening hours across a daylight-saving change", () => {
    // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026: Friday 17:00 local is 16:00Z, Monday 09:00 local is 07:00Z.
    const friday4pm = new Date("2026-03-27T15:00:00Z");
    expect(addBusinessSeconds(berlin, friday4pm, 2 * H).toISOString()).toBe("2026-03-30T08:00:00.000Z"); // Mon 10:00 CEST
    expect(businessSecondsBetween(berlin, friday4pm, new Date("2026-03-30T08:00:00Z"))).toBe(2 * H);
    // And back on Sunday 25 October 2026 (UTC+2 to UTC+1).
    expect(addBusinessSeconds(berlin, new Date("2026-10-23T14:00:00Z"), 2 * H).toISOString()).toBe("2026-10-26T09:00:00.000Z");
  });

  it("an all-day calendar has a 23-hour day when the clocks go forward", () => {
    const berlinAllDay = { ...alwaysOpen, timeZone: "Europe/Berlin" };
    const sundayStart = new Date("2026-03-28T23:00:00Z"); // Sunday 00:00 CET
    const mondayStart = new Date("2026-03-29T22:00:00Z"); // Monday 00:00 CEST
    expect(businessSecondsBetween(berlinAllDay, sundayStart, mondayStart)).toBe(23 * H);
    // Always open is calendar time, whatever the zone.
    expect(addBusinessSeconds(alwaysOpen, sundayStart, 36 * H).getTime()).toBe(sundayStart.getTime() + 36 * H * 1000);
  });

  it("supports split days and a calendar deadline without hours", () => {
    const split = BusinessHours.parse({ timeZone: "UTC", weekly: { mon: [{ from: "08:00", to: "12:00" }, { from: "13:00", to: "17:00" }] } });
    expect(addBusinessSeconds(split, new Date("2026-03-02T11:00:00Z"), 2 * H).toISOString()).toBe("2026-03-02T14:00:00.000Z");
    expect(addBusinessSeconds(split, new Date("2026-03-02T18:00:00Z"), 60).toISOString()).toBe("2026-03-09T08:01:00.000Z");
    expect(deadline(new Date("2026-03-02T18:00:00Z"), 60, null).toISOString()).toBe("2026-03-02T18:01:00.000Z");
  });

  it("refuses hours that are never open, overlapping or backwards", () => {
    expect(BusinessHours.safeParse({ timeZone: "UTC", weekly: {} }).success).toBe(false);
    expect(BusinessHours.safeParse({ timeZone: "UTC", weekly: { mon: [{ from: "10:00", to: "09:00" }] } }).success).toBe(false);
    expect(BusinessHours.safeParse({ timeZone: "UTC", weekly: { mon: [{ from: "09:00", to: "12:00" }, { from: "11:00", to: "13:00" }] } }).success).toBe(false);
    expect(BusinessHours.safeParse({ timeZone: "UTC", weekly: { mon: [{ from: "9:00", to: "12:00" }] } }).success).toBe(false);
  });
});
