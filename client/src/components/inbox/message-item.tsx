import type { Message } from "../../../../shared/schemas/index.js";
import { formatDateTime, formatMessageTime } from "../../format";

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

function visibilityLabel(m: Message): string | null {
  if (m.visibility === "note") return "Internal note";
  // Direct messages (the customer's and our replies) are "private" too: only a private reply to a
  // public comment gets a label, which its surface tells.
  if ((m as { surface?: string | null }).surface === "private_reply") return "Private reply";
  return null;
}

/** One message. All text is rendered as React text nodes: customer text is untrusted. */
export function MessageItem({ message: m, contactName, now }: { message: Message; contactName: string; now: number }) {
  const isNote = m.visibility === "note";
  const showStatus = m.direction === "out" && !isNote;
  const visibility = visibilityLabel(m);
  return (
    <li
      className={`message message-${m.direction} author-${m.author}${isNote ? " message-note" : ""}`}
      data-testid="message"
      data-message-id={m.id}
      data-status={m.status}
      data-author={m.author}
      data-visibility={m.visibility}
    >
      <div className="message-meta">
        <span className="message-author">{authorLabel(m, contactName)}</span>
        {m.author === "customer" && <span className="muted"> · customer</span>}
        {visibility && <span className={`badge visibility-${m.visibility}`}>{visibility}</span>}
        <time dateTime={m.createdAt} title={formatDateTime(m.createdAt)}>
          {formatMessageTime(m.createdAt, now)}
        </time>
      </div>
      <div className="message-text">{m.text}</div>
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
    </li>
  );
}
