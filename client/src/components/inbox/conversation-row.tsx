import { memo } from "react";
import type { ConversationSummary } from "../../../../shared/schemas/index.js";
import { formatRelative, formatWaiting } from "../../format";
import { readContext } from "../../social/thread-context";
import { Avatar } from "../avatar";
import { KindBadge, PlatformBadge } from "../social/platform-badge";
import { Stars } from "../social/stars";
import { LabelChips } from "./labels";
import { PriorityBadge, SlaBadge } from "./sla-badge";

interface Props {
  conversation: ConversationSummary;
  meId: string;
  selected: boolean;
  checked: boolean;
  now: number;
  onSelect: (id: string) => void;
  onCheck: (id: string, checked: boolean, range: boolean) => void;
}

export const ConversationRow = memo(function ConversationRow({ conversation: c, meId, selected, checked, now, onSelect, onCheck }: Props) {
  const last = c.lastMessage;
  const at = c.activityAt;
  // Summaries may carry the context (live updates do): a review's stars show in the row.
  const rating = readContext(c.context).rating;
  const assignee = c.assigneeId === null ? null : c.assigneeId === meId ? "You" : (c.assigneeName ?? "Unknown user");
  return (
    <div className={`row-wrap${selected ? " selected" : ""}${checked ? " checked" : ""}`}>
      <label className="row-check">
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => onCheck(c.id, e.target.checked, (e.nativeEvent as MouseEvent).shiftKey === true)}
          data-testid="row-select"
        />
        <span className="visually-hidden">Select the conversation with {c.contact.name}</span>
      </label>
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
        data-priority={c.priority}
        onClick={() => onSelect(c.id)}
      >
        <span className="row-top">
          <Avatar name={c.contact.name} url={c.contact.avatarUrl} size={22} />
          <span className="contact-name" dir="auto">
            {c.contact.name}
          </span>
          <PlatformBadge platform={c.platform} compact />
          <time className="row-time" dateTime={at} title={new Date(at).toLocaleString()}>
            {formatRelative(at, now)}
          </time>
        </span>
        <span className="row-snippet" dir="auto">
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
          <PriorityBadge priority={c.priority} />
          <SlaBadge sla={c.sla} now={now} />
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
          {c.teamName && <span className="row-team muted">{c.teamName}</span>}
          {c.waitingSince && (
            <span className="waiting" data-testid="waiting">
              {formatWaiting(c.waitingSince, now)}
            </span>
          )}
          {c.status === "snoozed" && c.snoozedUntil && <span className="badge status-snoozed">until {new Date(c.snoozedUntil).toLocaleString([], { dateStyle: "short", timeStyle: "short" })}</span>}
          <LabelChips names={c.labels ?? []} />
        </span>
      </button>
    </div>
  );
});
