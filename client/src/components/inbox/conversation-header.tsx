import { useId } from "react";
import type { z } from "zod";
import type { Conversation, UpdateConversationRequest, User } from "../../../../shared/schemas/index.js";
import { KindBadge, PlatformBadge } from "../social/platform-badge";
import { ThreadContextPanel } from "./thread-context-panel";

export type ConversationPatch = z.input<typeof UpdateConversationRequest>;

interface Props {
  conversation: Conversation;
  meId: string;
  meName: string;
  /** Teammates to assign to (may be empty while loading). */
  users: User[];
  busy: boolean;
  /** A review's stars from its message, when the conversation's context lacks them. */
  fallbackRating: number | null;
  onPatch: (patch: ConversationPatch) => void;
}

/** Who the conversation is assigned to, from the conversation itself. */
export function assigneeLabel(c: Conversation, meId: string, meName: string): string {
  if (!c.assigneeId) return "Unassigned";
  if (c.assigneeId === meId) return `${c.assigneeName ?? meName} (you)`;
  return c.assigneeName ?? "Unknown user";
}

export function ConversationHeader({ conversation: c, meId, meName, users, busy, fallbackRating, onPatch }: Props) {
  const assignedToMe = c.assigneeId === meId;
  const pickerId = useId();
  // The current assignee stays selectable even before the user list has loaded.
  const options = users.some((u) => u.id === c.assigneeId) || !c.assigneeId
    ? users
    : [...users, { id: c.assigneeId, name: c.assigneeName ?? "Unknown user", email: "", role: "agent" as const }];
  return (
    <header className="conversation-header" data-testid="conversation-header" data-conversation-id={c.id}>
      <div className="conversation-title">
        <h2 data-testid="conversation-contact">{c.contact.name}</h2>
        <dl className="conversation-facts">
          <div>
            <dt>Channel</dt>
            <dd className="channel-fact">
              <PlatformBadge platform={c.platform} /> <span className="muted">·</span> {c.channelName}
            </dd>
          </div>
          <div>
            <dt>Kind</dt>
            <dd>
              <KindBadge kind={c.kind} />
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <span className={`badge status-${c.status}`} data-testid="conversation-status">
                {c.status}
              </span>
            </dd>
          </div>
          <div>
            <dt>Owner</dt>
            <dd>
              <span className={`badge owner-${c.owner}`} data-testid="conversation-owner">
                {c.owner}
              </span>
            </dd>
          </div>
          <div>
            <dt>Assignee</dt>
            <dd data-testid="conversation-assignee">{assigneeLabel(c, meId, meName)}</dd>
          </div>
        </dl>
        <ThreadContextPanel conversation={c} fallbackRating={fallbackRating} />
        {c.handoffReason && (
          <p className="handoff-reason" data-testid="handoff-reason">
            Handed off by the bot: {c.handoffReason}
          </p>
        )}
      </div>
      <div className="conversation-actions" role="group" aria-label="Conversation actions">
        <label className="visually-hidden" htmlFor={pickerId}>
          Assign to
        </label>
        <select
          id={pickerId}
          className="assignee-picker"
          value={c.assigneeId ?? ""}
          disabled={busy}
          title="Assign to a teammate"
          onChange={(e) => onPatch({ assigneeId: e.target.value || null })}
          data-testid="assignee-picker"
        >
          <option value="">Unassigned</option>
          {options.map((u) => (
            <option key={u.id} value={u.id}>
              {u.id === meId ? `${u.name} (you)` : u.name}
            </option>
          ))}
        </select>
        {assignedToMe ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ assigneeId: null })} data-testid="unassign">
            Unassign
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => onPatch({ assigneeId: meId })} data-testid="assign-me">
            Assign to me
          </button>
        )}
        {c.owner === "bot" ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ owner: "human" })} data-testid="take-over">
            Take over
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => onPatch({ owner: "bot" })} data-testid="hand-back">
            Hand back to bot
          </button>
        )}
        {c.status === "resolved" ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ status: "open" })} data-testid="reopen">
            Reopen
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => onPatch({ status: "resolved" })}
            data-testid="resolve"
          >
            Resolve
          </button>
        )}
      </div>
    </header>
  );
}
