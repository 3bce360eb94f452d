import type { ConversationSummary } from "../../../../shared/schemas/index.js";
import { formatRelative, formatWaiting } from "../../format";
import { readContext } from "../../social/thread-context";
import { KindBadge, PlatformBadge } from "../social/platform-badge";
import { Stars } from "../social/stars";

interface Props {
  conversation: ConversationSummary;
  meId: string;
  selected: boolean;
  now: number;
  onSelect: (id: string) => void;
}

export function ConversationRow({ conversation: c, meId, selected, now, onSelect }: Props) {
  const last = c.lastMessage;
  const at = c.activityAt;
  // Summaries may carry the context (live updates do): a review's stars show in the row.
  const rating = readContext(c.context).rating;
  const assignee = c.assigneeId === null ? null : c.assigneeId === meId ? "You" : (c.assigneeName ?? "Unknown user");
  return (
    <li>
      <button
        type="button"
        className={`conversation-row${selected ? " selected" : ""}`}
        aria-current={selected ? "true" : undefined}
        data-testid="conversation-row"
        data-conversation-id={c.id}
        data-status={c.status}
        data-owner={c.owner}
        data-kind={c.kind}
        data-platform={c.platform}
        onClick={() => onSelect(c.id)}
      >
        <span className="row-top">
          <PlatformBadge platform={c.platform} compact />
          <span className="contact-name">{c.contact.name}</span>
          <time className="row-time" dateTime={at} title={new Date(at).toLocaleString()}>
            {formatRelative(at, now)}
          </time>
        </span>
        <span className="row-snippet">
          {last ? (
            <>
              {last.direction === "out" && <span className="muted">Reply: </span>}
              {last.text}
            </>
          ) : (
            <span className="muted">No messages yet</span>
          )}
        </span>
        <span className="row-meta">
          <KindBadge kind={c.kind} />
          {rating !== null && <Stars rating={rating} />}
          <span className="platform" title={`${c.channelName} (${c.platform})`}>
            {c.channelName}
          </span>
          <span className={`badge owner-${c.owner}`} data-testid="owner-badge">
            {c.owner}
          </span>
          {assignee && (
            <span className="row-assignee" data-testid="row-assignee" title={`Assigned to ${assignee}`}>
              {assignee}
            </span>
          )}
          {c.waitingSince && (
            <span className="waiting" data-testid="waiting">
              {formatWaiting(c.waitingSince, now)}
            </span>
          )}
        </span>
      </button>
    </li>
  );
}
