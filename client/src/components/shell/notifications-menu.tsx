import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { z } from "zod";
import type { NotificationList } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { formatRelative } from "../../format";
import { useNotifications } from "../../hooks/queries";
import { useNow } from "../../hooks/use-now";
import { playChime } from "../../lib/alerts";
import { setPrefs, usePrefs } from "../../lib/prefs";
import { keys } from "../../query-client";
import { navigate } from "../../router";
import { ErrorMessage } from "../error-message";
import { Icon } from "../icons";
import { Popover } from "./popover";
import { countLabel } from "./rail";

const kindLabels = { assigned: "Assigned", mention: "Mention", sla_warning: "SLA warning", sla_breached: "SLA breached" } as const;

/** The bell: unread badge (also in the tab title), the list, mark read, and the opt-in alerts. */
export function NotificationsMenu() {
  const qc = useQueryClient();
  const { data } = useNotifications();
  const prefs = usePrefs();
  const now = useNow(60_000);
  const [error, setError] = useState<unknown>(null);
  const unread = data?.unread ?? 0;

  useEffect(() => {
    document.title = unread > 0 ? `(${unread > 99 ? "99+" : unread}) Parley` : "Parley";
  }, [unread]);
  useEffect(() => () => void (document.title = "Parley"), []);

  async function markRead(body: { ids: string[] } | { all: true }) {
    setError(null);
    try {
      const res = await api.markRead(body);
      qc.setQueryData<z.infer<typeof NotificationList> | null>(keys.notifications, (old) =>
        old
          ? {
              ...old,
              unread: res.unread,
              items: old.items.map((n) => ("all" in body || body.ids.includes(n.id) ? { ...n, readAt: n.readAt ?? new Date().toISOString() } : n)),
            }
          : old,
      );
    } catch (err) {
      setError(err);
    }
  }

  async function toggleDesktop(on: boolean) {
    if (on && typeof Notification !== "undefined" && Notification.permission !== "granted") {
      const answer = await Notification.requestPermission().catch(() => "denied" as const);
      if (answer !== "granted") {
        setError(new Error("The browser did not allow notifications. You can allow them in the site settings."));
        return;
      }
    }
    setPrefs({ desktopAlerts: on });
  }

  const badge = countLabel(unread);
  const unavailable = data === null;
  return (
    <Popover
      align="end"
      buttonClass="icon-button" iconOnly
      ariaLabel={badge ? `Notifications, ${unread} unread` : "Notifications"}
      testId="notifications-button"
      label={
        <>
          <Icon name="bell" />
          {badge && (
            <span className="dot-badge" data-testid="notifications-unread" aria-hidden="true">
              {badge}
            </span>
          )}
        </>
      }
    >
      {(close) => (
        <div className="notifications" data-testid="notifications-panel">
          <div className="popover-head">
            <h2>Notifications</h2>
            {unread > 0 && (
              <button type="button" className="button-link" onClick={() => void markRead({ all: true })} data-testid="notifications-read-all">
                Mark all read
              </button>
            )}
          </div>
          <ErrorMessage error={error} />
          {unavailable ? (
            <p className="muted">Notifications are not available on this server yet.</p>
          ) : !data?.items.length ? (
            <p className="muted">Nothing new. Assignments, @mentions and SLA warnings show up here.</p>
          ) : (
            <ul className="notification-list">
              {data.items.map((n) => (
                <li key={n.id} className={n.readAt ? "read" : "unread"} data-testid="notification">
                  <button
                    type="button"
                    onClick={() => {
                      if (!n.readAt) void markRead({ ids: [n.id] });
                      if (n.conversationId) navigate({ page: "inbox", conversationId: n.conversationId });
                      close();
                    }}
                  >
                    <span className={`badge notif-${n.kind}`}>{kindLabels[n.kind]}</span> <span dir="auto">{n.text}</span>
                    <time className="muted" dateTime={n.createdAt}>
                      {" "}
                      {formatRelative(n.createdAt, now)}
                    </time>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <fieldset className="alert-prefs">
            <legend>Alert me outside the console</legend>
            {typeof Notification !== "undefined" && (
              <label className="checkbox">
                <input type="checkbox" checked={prefs.desktopAlerts} onChange={(e) => void toggleDesktop(e.target.checked)} data-testid="alerts-desktop" />
                Desktop notifications
              </label>
            )}
            <label className="checkbox">
              <input
                type="checkbox"
                checked={prefs.soundAlerts}
                onChange={(e) => {
                  setPrefs({ soundAlerts: e.target.checked });
                  if (e.target.checked) playChime();
                }}
                data-testid="alerts-sound"
              />
              Sound
            </label>
          </fieldset>
        </div>
      )}
    </Popover>
  );
}
