/** Snooze presets, computed in the agent's local time. */
export function snoozePresets(now: Date): { label: string; at: Date }[] {
  const at = (days: number, hour: number) => {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, hour, 0, 0, 0);
    return d;
  };
  const inHours = (h: number) => new Date(now.getTime() + h * 3_600_000);
  const dow = now.getDay();
  const toMonday = ((8 - dow) % 7) || 7;
  return [
    { label: "1 hour", at: inHours(1) },
    { label: "3 hours", at: inHours(3) },
    { label: "Tomorrow 9:00", at: at(1, 9) },
    { label: "Next Monday 9:00", at: at(toMonday, 9) },
    { label: "In a week", at: at(7, 9) },
  ];
}

/** A local date-time input value (YYYY-MM-DDTHH:MM) for a date. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
