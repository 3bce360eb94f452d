import type { Channel } from "../../../../shared/schemas/index.js";
import { formatAgo, formatDateTime } from "../../format";
import { useNow } from "../../hooks/use-now";

/** Last event, last error and delivery rate, as dt/dd pairs inside the card's facts. */
export function ChannelHealth({ health }: { health: Channel["health"] }) {
  const now = useNow();
  return (
    <>
      <dt>Last event</dt>
      <dd data-testid="channel-last-event">
        {health.lastEventAt ? (
          <time dateTime={health.lastEventAt} title={formatDateTime(health.lastEventAt)}>
            {formatAgo(health.lastEventAt, now)}
          </time>
        ) : (
          <span className="muted">never</span>
        )}
      </dd>
      <dt>Last error</dt>
      <dd>
        {health.lastError ? (
          <span className="text-danger" data-testid="channel-last-error">
            {health.lastError}
            {health.lastErrorAt && (
              <span className="muted">
                {" "}
                (<time dateTime={health.lastErrorAt} title={formatDateTime(health.lastErrorAt)}>{formatAgo(health.lastErrorAt, now)}</time>)
              </span>
            )}
          </span>
        ) : (
          <span className="muted">none</span>
        )}
      </dd>
      <dt>Deliveries</dt>
      <dd data-testid="channel-rate">
        {health.deliveriesPerMinute.toLocaleString(undefined, { maximumFractionDigits: 2 })} per minute{" "}
        <span className="muted">(last 15 minutes)</span>
      </dd>
    </>
  );
}
