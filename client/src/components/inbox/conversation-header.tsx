import type { z } from "zod";
import type { Conversation, UpdateConversationRequest } from "../../../../shared/schemas/index.js";

export type ConversationPatch = z.input<typeof UpdateConversationRequest>;

interface Props {
  conversation: Conversation;
  meId: string;
  assigneeName: string;
  busy: boolean;
  onPatch: (patch: ConversationPatch) => void;
}

export function ConversationHeader({ conversation: c, meId, assigneeName, busy, onPatch }: Props) {
  const assignedToMe = c.assigneeId === meId;
  return (
    <header className="conversation-header" data-testid="conversation-header" data-conversation-id={c.id}>
      <div className="conversation-title">
        <h2 data-testid="conversation-contact">{c.contact.name}</h2>
        <dl className="conversation-facts">
          <div>
            <dt>Channel</dt>
            <dd>
              {c.channelName} <span className="muted">({c.platform})</span>
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
            <dd data-testid="conversation-assignee">{assigneeName}</dd>
          </div>
        </dl>
        {c.handoffReason && (
          <p className="handoff-reason" data-testid="handoff-reason">
            Handed off by the bot: {c.handoffReason}
          </p>
        )}
      </div>
      <div className="conversation-actions" role="group" aria-label="Conversation actions">
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
