import { localMidnightIso, toDateInput } from "../format";

export const presets = [
  { id: "today", label: "Today" },
  { id: "7d", label: "Last 7 days" },
  { id: "30d", label: "Last 30 days" },
  { id: "month", label: "This month" },
  { id: "custom", label: "Custom" },
] as const;
export type PresetId = (typeof presets)[number]["id"];

/** The local calendar days a preset covers, both inclusive, as date-input values. */
export function presetRange(id: Exclude<PresetId, "custom">, today = new Date()): { from: string; to: string } {
  const day = (offset: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset);
  switch (id) {
    case "today":
      return { from: toDateInput(today), to: toDateInput(today) };
    case "7d":
      return { from: toDateInput(day(-6)), to: toDateInput(today) };
    case "30d":
      return { from: toDateInput(day(-29)), to: toDateInput(today) };
    case "month":
      return { from: toDateInput(new Date(today.getFullYear(), today.getMonth(), 1)), to: toDateInput(today) };
  }
}

/** The API's period: local midnights; "to" is inclusive here and exclusive in the API. */
export function apiPeriod(range: { from: string; to: string }) {
  return { from: localMidnightIso(range.from), to: localMidnightIso(range.to, 1) };
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
