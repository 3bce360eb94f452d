import type { Message, ReplyOptions } from "../../../../shared/schemas/index.js";
import { formatDateTime, formatMessageTime } from "../../format";
import { Stars } from "../social/stars";
import { BotAnswerFeedback } from "./bot-answer-feedback";
import { Attachments, MessageStateBadges, surfaceLabel } from "./message-extras";
import { isModeratable, ModerationActions } from "./moderation-actions";

const statusLabels: Record<Message["status"], string> = {
  received: "Received",
  queued: "Queued",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Failed",
  cancelled: "Cancelled",
};

function authorLabel(m: Message, contactName: string): string {
  switch (m.author) {
    case "customer":
      return contactName;
    case "bot":
      return "Bot";
    case "agent":
      return m.authorName ?? "Agent";
    case "system":
      return "System";
  }
}

/** What the timeline knows about the conversation around a message. */
export interface TimelineContext {
  conversationId: string;
  kind: string;
  platformName: string;
  contactName: string;
  moderation: ReplyOptions["moderation"];
  onModerated: (message: Message) => void;
  onModerationFailed: (message: Message) => void;
}

/** A note's @mentions stand out; everything stays a text node. */
function renderText(text: string, isNote: boolean) {
  if (!isNote || !text.includes("@")) return text;
  const parts = text.split(/(@[\p{L}\p{N}_.-]+(?: [\p{Lu}][\p{L}\p{N}_.-]*)?)/u);
  return parts.map((part, i) => (i % 2 === 1 ? <span key={i} className="mention">{part}</span> : part));
}

/** One message. All text is rendered as React text nodes: customer text is untrusted. */
export function MessageItem({ message: m, ctx, now }: { message: Message; ctx: TimelineContext; now: number }) {
  const isNote = m.visibility === "note";
  const showStatus = m.direction === "out" && !isNote;
  const label = isNote ? "Internal note" : surfaceLabel(m, ctx.kind);
  const deleted = Boolean(m.deletedAt);
  const classes = [
    "message",
    `message-${m.direction}`,
    `author-${m.author}`,
    isNote ? "message-note" : "",
    m.hidden ? "message-hidden" : "",
    deleted ? "message-deleted" : "",
  ].filter(Boolean);
  return (
    <li
      className={classes.join(" ")}
      data-testid="message"
      data-message-id={m.id}
      data-status={m.status}
      data-author={m.author}
      data-visibility={m.visibility}
      data-surface={m.surface ?? undefined}
      data-hidden={m.hidden ? "true" : undefined}
      data-deleted={deleted ? "true" : undefined}
    >
      <div className="message-meta">
        <span className="message-author" dir="auto">
          {authorLabel(m, ctx.contactName)}
        </span>
        {m.author === "customer" && <span className="muted"> · customer</span>}
        {label && (
          <span className={`badge visibility-${m.visibility} surface-label`} data-testid="message-surface">
            {label}
          </span>
        )}
        <MessageStateBadges message={m} />
        <time dateTime={m.createdAt} title={formatDateTime(m.createdAt)}>
          {formatMessageTime(m.createdAt, now)}
        </time>
      </div>
      {m.rating !== null && m.rating !== undefined && (
        <div className="message-rating">
          <Stars rating={m.rating} />
        </div>
      )}
      {m.text &&
        (deleted ? (
          <del className="message-text" dir="auto">
            {m.text}
          </del>
        ) : (
          <div className="message-text" dir="auto">
            {renderText(m.text, isNote)}
          </div>
        ))}
      <Attachments items={m.attachments} />
      {showStatus && (
        <div className={`message-status status-${m.status}`} data-testid="message-status">
          {statusLabels[m.status]}
          {m.status === "failed" && m.failureReason ? (
            <span className="failure-reason" data-testid="failure-reason">
              : {m.failureReason}
            </span>
          ) : null}
        </div>
      )}
      {m.author === "bot" && m.bot && <BotAnswerFeedback conversationId={ctx.conversationId} message={m} />}
      {isModeratable(m, ctx.kind, ctx.moderation) && (
        <ModerationActions
          conversationId={ctx.conversationId}
          message={m}
          allowed={ctx.moderation}
          platformName={ctx.platformName}
          onDone={ctx.onModerated}
          onFailed={() => ctx.onModerationFailed(m)}
        />
      )}
    </li>
  );
}
