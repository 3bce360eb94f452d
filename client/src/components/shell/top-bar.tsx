import { useState } from "react";
import { availabilities, type Availability } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { formatDuration } from "../../format";
import { useNow } from "../../hooks/use-now";
import { useConnectionState } from "../../hooks/use-server-event";
import { errorText } from "../../lib/errors";
import { setPrefs, usePrefs } from "../../lib/prefs";
import { useSession } from "../../session";
import { getLastOutageMs, getOfflineSince } from "../../socket";
import { Icon } from "../icons";
import { NotificationsMenu } from "./notifications-menu";

const connectionLabels = { online: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…", offline: "Offline" } as const;
const availabilityLabels: Record<Availability, string> = { online: "Online", away: "Away", offline: "Offline" };

/** The live connection: "Live", or how long it has been down; after an outage, for a while, how long it lasted. */
function ConnectionState() {
  const connection = useConnectionState();
  const now = useNow(1000);
  const since = getOfflineSince();
  const outage = getLastOutageMs();
  const down = connection !== "online" && since !== null ? (now - since) / 1000 : null;
  return (
    <span className={`connection connection-${connection}`} title="Live updates connection" aria-live="polite">
      <span data-testid="connection-state">{connectionLabels[connection]}</span>
      {down !== null && down >= 1 && (
        <span className="connection-detail" data-testid="offline-for">
          {" "}
          offline for {formatDuration(down)}
        </span>
      )}
      {connection === "online" && outage !== null && (
        <span className="connection-detail" data-testid="back-online">
          {" "}
          — back after {formatDuration(outage / 1000)} offline, caught up
        </span>
      )}
    </span>
  );
}

function AvailabilitySwitch() {
  const { user, updateUser } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const value = user.availability ?? "offline";
  async function change(next: Availability) {
    setPending(true);
    setError(null);
    try {
      const res = await api.setAvailability({ availability: next });
      updateUser(res.user);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setPending(false);
    }
  }
  return (
    <label className={`availability availability-${value}`} title={error ?? "Whether you take new conversations"}>
      <span className="availability-dot" aria-hidden="true" />
      <span className="visually-hidden">Availability</span>
      <select value={value} disabled={pending} onChange={(e) => void change(e.target.value as Availability)} data-testid="availability" aria-invalid={error ? true : undefined}>
        {availabilities.map((a) => (
          <option key={a} value={a}>
            {availabilityLabels[a]}
          </option>
        ))}
      </select>
      {error && (
        <span className="visually-hidden" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

/** Light, dark, or the system's choice, in one button that cycles. */
function ThemeSwitch() {
  const { theme } = usePrefs();
  const next = theme === "system" ? "dark" : theme === "dark" ? "light" : "system";
  const label = theme === "system" ? "Theme: system" : theme === "dark" ? "Theme: dark" : "Theme: light";
  return (
    <button type="button" className="icon-button" onClick={() => setPrefs({ theme: next })} aria-label={`${label}. Switch to ${next}`} title={label} data-testid="theme-switch" data-theme={theme}>
      <Icon name={theme === "light" ? "sun" : "moon"} />
    </button>
  );
}

export function TopBar({ title, onHelp }: { title: string; onHelp: () => void }) {
  const { user, workspace, logout } = useSession();
  return (
    <header className="top-bar">
      <span className="top-title">{title}</span>
      <ConnectionState />
      <div className="top-bar-end">
        <AvailabilitySwitch />
        <NotificationsMenu />
        <ThemeSwitch />
        <button type="button" className="icon-button hide-phone" onClick={onHelp} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" data-testid="help-button">
          <Icon name="keyboard" />
        </button>
        <span className="who hide-phone" data-testid="current-user">
          <span className="who-name">{user.name}</span> <span className="role-badge">{user.role}</span>
          <span className="workspace-name"> · {workspace.name}</span>
        </span>
        <button type="button" className="icon-button" onClick={logout} data-testid="logout" aria-label="Log out" title="Log out">
          <Icon name="logout" />
        </button>
      </div>
    </header>
  );
}
