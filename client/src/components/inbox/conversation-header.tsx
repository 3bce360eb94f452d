import type { z } from "zod";
import type { Conversation, UpdateConversationRequest } from "../../../../shared/schemas/index.js";
import { useNow } from "../../hooks/use-now";
import { navigate } from "../../router";
import { Avatar } from "../avatar";
import { Icon } from "../icons";
import { KindBadge, PlatformBadge } from "../social/platform-badge";
import { AssignMenu, LabelsMenu, PriorityMenu, SnoozeMenu } from "./action-menus";
import { LabelChips } from "./labels";
import { PriorityBadge, SlaBadge } from "./sla-badge";
import { ThreadContextPanel } from "./thread-context-panel";

export type ConversationPatch = z.input<typeof UpdateConversationRequest>;
export type MenuName = "assign" | "snooze" | "labels" | "priority" | null;

interface Props {
  conversation: Conversation;
  meId: string;
  meName: string;
  busy: boolean;
  /** A review's stars from its message, when the conversation's context lacks them. */
  fallbackRating: number | null;
  onPatch: (patch: ConversationPatch) => void;
  onLabels: (labels: string[]) => void;
  menu: MenuName;
  onMenu: (menu: MenuName) => void;
  contactOpen: boolean;
  onToggleContact: () => void;
}

/** Who the conversation is assigned to, from the conversation itself. */
export function assigneeLabel(c: Conversation, meId: string, meName: string): string {
  if (!c.assigneeId) return "Unassigned";
  if (c.assigneeId === meId) return `${c.assigneeName ?? meName} (you)`;
  return c.assigneeName ?? "Unknown user";
}

export function ConversationHeader({ conversation: c, meId, meName, busy, fallbackRating, onPatch, onLabels, menu, onMenu, contactOpen, onToggleContact }: Props) {
  const now = useNow(15_000);
  const assignedToMe = c.assigneeId === meId;
  const menuProps = (name: Exclude<MenuName, null>) => ({ open: menu === name, onOpenChange: (o: boolean) => onMenu(o ? name : null), disabled: busy });
  return (
    <header className="conversation-header" data-testid="conversation-header" data-conversation-id={c.id}>
      <div className="conversation-title">
        <button type="button" className="icon-button back-button" onClick={() => navigate({ page: "inbox", conversationId: null })} aria-label="Back to the list" data-testid="back-to-list">
          <Icon name="back" />
        </button>
        <Avatar name={c.contact.name} url={c.contact.avatarUrl} size={34} />
        <div className="title-text">
          <h2 data-testid="conversation-contact" dir="auto">
            {c.contact.name}
          </h2>
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
                {c.status === "snoozed" && c.snoozedUntil && (
                  <span className="muted" data-testid="snoozed-until">
                    {" "}
                    until {new Date(c.snoozedUntil).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })}
                  </span>
                )}
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
              <dd data-testid="conversation-assignee">
                {assigneeLabel(c, meId, meName)}
                {c.teamName && <span className="muted"> · {c.teamName}</span>}
              </dd>
            </div>
            {(c.priority !== "normal" || c.sla || c.labels.length > 0) && (
              <div className="facts-extra">
                <dt className="visually-hidden">Priority, deadline and labels</dt>
                <dd>
                  <PriorityBadge priority={c.priority} /> <SlaBadge sla={c.sla} now={now} /> <LabelChips names={c.labels} />
                </dd>
              </div>
            )}
          </dl>
        </div>
      </div>
      <ThreadContextPanel conversation={c} fallbackRating={fallbackRating} />
      <div className="conversation-actions" role="group" aria-label="Conversation actions">
        {assignedToMe ? (
          <button type="button" className="button-small" disabled={busy} onClick={() => onPatch({ assigneeId: null })} data-testid="unassign">
            Unassign
          </button>
        ) : (
          <button type="button" className="button-small" disabled={busy} onClick={() => onPatch({ assigneeId: meId })} data-testid="assign-me">
            Assign to me
          </button>
        )}
        <AssignMenu assigneeId={c.assigneeId} teamId={c.teamId} meId={meId} onAssign={(assigneeId) => onPatch({ assigneeId })} onTeam={(teamId) => onPatch({ teamId })} {...menuProps("assign")} />
        <PriorityMenu value={c.priority} onChange={(priority) => onPatch({ priority })} {...menuProps("priority")} />
        <LabelsMenu value={c.labels} onChange={onLabels} {...menuProps("labels")} />
        {c.status !== "snoozed" && c.status !== "resolved" && <SnoozeMenu onSnooze={(at) => onPatch({ status: "snoozed", snoozedUntil: at.toISOString() })} {...menuProps("snooze")} />}
        {c.owner === "bot" ? (
          <button type="button" className="button-small" disabled={busy} onClick={() => onPatch({ owner: "human" })} data-testid="take-over">
            Take over
          </button>
        ) : (
          <button type="button" className="button-small" disabled={busy} onClick={() => onPatch({ owner: "bot" })} data-testid="hand-back">
            Hand back to bot
          </button>
        )}
        <button type="button" className="button-small" aria-pressed={contactOpen} onClick={onToggleContact} data-testid="contact-toggle">
          <Icon name="contact" size={15} /> Contact
        </button>
        {c.status === "resolved" || c.status === "snoozed" ? (
          <button type="button" className="button-small" disabled={busy} onClick={() => onPatch({ status: "open" })} data-testid="reopen">
            {c.status === "snoozed" ? "Unsnooze" : "Reopen"}
          </button>
        ) : (
          <button type="button" className="primary button-small" disabled={busy} onClick={() => onPatch({ status: "resolved" })} data-testid="resolve">
            <Icon name="check" size={15} /> Resolve
          </button>
        )}
      </div>
    </header>
  );
}
