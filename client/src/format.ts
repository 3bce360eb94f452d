const pad2 = (n: number) => String(n).padStart(2, "0");

/** A duration in seconds, e.g. "45s", "4m 05s", "1h 02m", "2d 03h"; "—" when there is none. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m ${pad2(total % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad2(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${pad2(hours % 24)}h`;
}

function toMs(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Short age for list rows: "now", "5m", "3h", "2d", then a date. */
export function formatRelative(iso: string, now: number): string {
  const diff = Math.max(0, now - toMs(iso));
  const minutes = Math.floor(diff / 60_000);
  if (minutes < 1) return "now";
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `${days}d`;
  return new Date(iso).toLocaleDateString();
}

/** How long a customer has been waiting: "waiting 4m", "waiting 2h 05m", "waiting 1d 03h". */
export function formatWaiting(iso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - toMs(iso)) / 60_000));
  if (minutes < 60) return `waiting ${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `waiting ${hours}h ${pad2(minutes % 60)}m`;
  return `waiting ${Math.floor(hours / 24)}d ${pad2(hours % 24)}h`;
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Time of day for today's messages, date and time otherwise. */
export function formatMessageTime(iso: string, now: number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay
    ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** A local calendar date as YYYY-MM-DD (for <input type="date">). */
export function toDateInput(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Local midnight of a YYYY-MM-DD date plus `addDays`, as an ISO timestamp. */
export function localMidnightIso(date: string, addDays = 0): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + addDays).toISOString();
}

/** How long ago, for health facts: "just now", "5 min ago", "3 h ago", "2 days ago", then a date. */
export function formatAgo(iso: string, now: number): string {
  const diff = Math.max(0, now - toMs(iso));
  const minutes = Math.floor(diff / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `${days} day${days === 1 ? "" : "s"} ago`;
  return new Date(iso).toLocaleDateString();
}

/** Time left on a countdown, rounded down so it never overstates: "23h 59m", "12m 05s", "6d 23h" (from 48 hours). */
export function formatTimeLeft(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (hours >= 48) return `${Math.floor(hours / 24)}d ${pad2(hours % 24)}h`;
  if (hours > 0) return `${hours}h ${pad2(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad2(total % 60)}s`;
  return `${total}s`;
}
