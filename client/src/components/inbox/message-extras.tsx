import { useEffect, useRef, useState } from "react";
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

/** An address the console may load inline: Parley's own (stored attachments), never a third party's. */
function ownUrl(value: string | null | undefined): string | null {
  return typeof value === "string" && value.startsWith("/api/") ? value : null;
}

function sizeText(bytes: number | null | undefined): string {
  if (!bytes) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A message's files: stored images as thumbnails that open in a lightbox, video and audio with
 * players, other files as downloads; a platform's address as a link; what could not be fetched, with why.
 */
export function Attachments({ items }: { items: Message["attachments"] }) {
  const [open, setOpen] = useState<{ url: string; name: string } | null>(null);
  if (!items?.length) return null;
  return (
    <>
      <ul className="attachments" aria-label="Attachments">
        {items.map((a, i) => {
          const own = ownUrl(a.url);
          const url = own ?? safeUrl(a.url);
          const thumb = ownUrl(a.thumbnailUrl) ?? (a.type === "image" || a.mimeType?.startsWith("image/") ? own : null);
          const name = a.name || `${a.type || "file"}`;
          const label = a.name ? a.name : `[${a.type || "file"}]`;
          return (
            <li key={a.id ?? i} data-testid="attachment" data-type={a.type} data-status={a.status ?? undefined}>
              {a.status === "pending" ? (
                <span className="muted">Fetching {a.type || "file"}…</span>
              ) : a.status === "unavailable" ? (
                <span className="muted" title={a.reason ?? undefined}>
                  {label} — not available{a.reason ? `: ${a.reason}` : ""}
                </span>
              ) : own && (a.type === "video" || a.mimeType?.startsWith("video/")) ? (
                <video className="attachment-video" src={own} controls preload="metadata" aria-label={name} />
              ) : own && (a.type === "audio" || a.mimeType?.startsWith("audio/")) ? (
                <audio src={own} controls preload="metadata" aria-label={name} />
              ) : thumb && url ? (
                <button type="button" className="attachment-thumb" onClick={() => setOpen({ url: own ?? url, name })} aria-label={`Open ${name}`} data-testid="attachment-preview">
                  <img src={thumb} alt={a.name ?? "Image from the message"} loading="lazy" />
                </button>
              ) : url ? (
                <a href={url} target="_blank" rel="noopener noreferrer" download={own ? (a.name ?? true) : undefined}>
                  {label}
                  {a.size ? <span className="muted"> ({sizeText(a.size)})</span> : null}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>
              ) : (
                <span className="muted">{label}</span>
              )}
            </li>
          );
        })}
      </ul>
      {open && <Lightbox url={open.url} name={open.name} onClose={() => setOpen(null)} />}
    </>
  );
}

/** A picture at full size over the page; Esc, the button or a click outside closes it. */
export function Lightbox({ url, name, onClose }: { url: string; name: string; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    // Captured first and marked handled, so the same Esc does not also close the conversation.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      onClose();
    };
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      before?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="modal-backdrop lightbox" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div role="dialog" aria-modal="true" aria-label={name} className="lightbox-body" data-testid="lightbox">
        <img src={url} alt={name} />
        <div className="lightbox-actions">
          <a href={url} target="_blank" rel="noopener noreferrer" download>
            Download
          </a>
          <button type="button" ref={close} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
