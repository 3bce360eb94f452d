import type { Message } from "../../../../shared/schemas/index.js";
import { formatDateTime } from "../../format";
import { safeUrl } from "../../social/safe-url";

/** The surface an outgoing message went out on, when it is worth saying. */
export function surfaceLabel(m: Message, kind: string): string | null {
  if (m.direction !== "out" || m.visibility === "note") return null;
  if (m.surface === "private_reply") return "Private reply";
  if (m.surface === "template") return m.templateName ? `Template: ${m.templateName}` : "Template";
  if (m.via === "native_app") return "Sent from the platform's app";
  if (kind !== "dm" && m.visibility === "public") return kind === "review" ? "Public reply to the review" : "Public reply";
  return null;
}

/** Edited, hidden and deleted marks beside the author. */
export function MessageStateBadges({ message: m }: { message: Message }) {
  const before = m.editHistory.map((h) => `Before ${formatDateTime(h.until)}: ${h.text}`).join("\n");
  return (
    <>
      {m.editedAt && (
        <span className="badge badge-edited" title={`Edited ${formatDateTime(m.editedAt)}${before ? `\n${before}` : ""}`} data-testid="message-edited">
          edited
        </span>
      )}
      {m.hidden && !m.deletedAt && (
        <span className="badge badge-hidden" title="Hidden from the public on the platform; the author may still see it" data-testid="message-hidden">
          hidden on the platform
        </span>
      )}
      {m.deletedAt && (
        <span className="badge badge-deleted" title={`Deleted ${formatDateTime(m.deletedAt)}`} data-testid="message-deleted">
          {m.deletedBy === "agent" ? "deleted by your team" : m.author === "customer" ? "deleted by the customer" : "deleted on the platform"}
        </span>
      )}
    </>
  );
}

/** Attachments as labels ("[image]"), linked when the platform gave an address. */
export function Attachments({ items }: { items: Message["attachments"] }) {
  if (!items?.length) return null;
  return (
    <ul className="attachments" aria-label="Attachments">
      {items.map((a, i) => {
        const url = safeUrl(a.url);
        const label = `[${a.type || "file"}]`;
        return (
          <li key={i} data-testid="attachment">
            {url ? (
              <a href={url} target="_blank" rel="noopener noreferrer">
                {label}
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            ) : (
              <span className="muted">{label}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
