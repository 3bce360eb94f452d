import { useEffect, useRef } from "react";
import type { ReplyOptions } from "../../../../shared/schemas/index.js";
import { formatDateTime, formatTimeLeft } from "../../format";
import { useNow } from "../../hooks/use-now";

const HOUR = 3_600_000;
const at = (iso: string | null) => (iso ? Date.parse(iso) || null : null);

/**
 * The platform's reply window as a live countdown. When a window closes on screen, `onChanged`
 * asks for fresh reply options (the server decides what may be sent).
 */
export function ReplyWindow({ window: w, onChanged }: { window: ReplyOptions["window"]; onChanged: () => void }) {
  const now = useNow(1000);
  const closesAt = at(w?.closesAt ?? null);
  const extendedUntil = at(w?.extendedUntil ?? null);
  const open = Boolean(w?.open && closesAt && now < closesAt);
  const extended = !open && Boolean(extendedUntil && now < extendedUntil);

  // Refresh once each time the state shown here runs out.
  const phase = open ? "open" : extended ? "extended" : "closed";
  const lastPhase = useRef(phase);
  useEffect(() => {
    if (lastPhase.current !== phase) {
      lastPhase.current = phase;
      onChanged();
    }
  }, [phase, onChanged]);

  if (!w || !closesAt) return null;
  if (open) {
    const left = closesAt - now;
    return (
      <p className={`reply-window${left < HOUR ? " reply-window-soon" : ""}`} data-testid="reply-window" data-state="open">
        Reply window: <strong>{formatTimeLeft(left)}</strong> left{" "}
        <span className="muted">(closes {formatDateTime(new Date(closesAt).toISOString())})</span>
      </p>
    );
  }
  if (extended && extendedUntil) {
    return (
      <p className="reply-window reply-window-extended" data-testid="reply-window" data-state="extended">
        {w.hours}-hour window closed — you can still reply as a human agent until{" "}
        <strong>{formatDateTime(new Date(extendedUntil).toISOString())}</strong>{" "}
        <span className="muted">({formatTimeLeft(extendedUntil - now)} left)</span>
      </p>
    );
  }
  // Closed for good: the composer shows the server's reason (template only, or nothing can be sent).
  return null;
}
