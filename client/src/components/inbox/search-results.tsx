import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { SearchResult, Snippet } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { formatRelative } from "../../format";
import { useNow } from "../../hooks/use-now";
import { keys, orMissing } from "../../query-client";
import { platformLabel } from "../../social/platforms";
import { Avatar } from "../avatar";
import { ErrorMessage } from "../error-message";
import { Icon } from "../icons";
import { PlatformBadge } from "../social/platform-badge";

/**
 * A snippet as text with its matches in <mark>: the server sends plain text and ranges, and only
 * text nodes are ever made from it (never HTML).
 */
export function Highlighted({ snippet }: { snippet: Snippet }) {
  const text = snippet.text;
  const ranges = [...snippet.highlights]
    .filter((h) => h.length > 0 && h.start >= 0 && h.start < text.length)
    .sort((a, b) => a.start - b.start);
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const h of ranges) {
    const start = Math.max(h.start, at);
    const end = Math.min(text.length, h.start + h.length);
    if (end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <span dir="auto">{parts}</span>;
}

interface Props {
  q: string;
  /** `contact`: a contact was picked, so its panel should show beside the conversation. */
  onOpen: (conversationId: string, opts?: { contact?: boolean }) => void;
  onFilterList: () => void;
  onClose: () => void;
}

/** GET /api/search: matching conversations, messages (highlighted snippets) and contacts. */
export function SearchResults({ q, onOpen, onFilterList, onClose }: Props) {
  const now = useNow(60_000);
  const { data, error, isLoading } = useQuery({ queryKey: keys.search(q), queryFn: ({ signal }) => orMissing(() => api.search(q, signal)), enabled: q.length > 0 });
  const empty = (r: SearchResult) => r.conversations.length + r.messages.length + r.contacts.length === 0;
  const [contactError, setContactError] = useState<unknown>(null);
  // A contact opens at their latest conversation (the results list it when it is among them; otherwise
  // the contact's own page of conversations, newest first, says which), with the contact panel open.
  const openContact = async (contactId: string) => {
    setContactError(null);
    try {
      const listed = data?.conversations.find((c) => c.contact.id === contactId);
      const latest = listed?.id ?? (await api.getContact(contactId)).conversations[0]?.id;
      if (latest) onOpen(latest, { contact: true });
      else setContactError(new Error("This contact has no conversation you can open."));
    } catch (err) {
      setContactError(err);
    }
  };
  return (
    <section className="search-results" aria-label={`Search results for ${q}`} data-testid="search-results">
      <div className="search-head">
        <h2>
          Results for <q dir="auto">{q}</q>
        </h2>
        {data !== null && (
          <button type="button" className="button-small" onClick={onFilterList} data-testid="search-filter-list">
            Show in the list
          </button>
        )}
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close search results" data-testid="search-close">
          <Icon name="close" />
        </button>
      </div>
      {isLoading && <p className="muted" role="status">Searching…</p>}
      <ErrorMessage error={error} />
      {data === null && <p className="muted" data-testid="search-unavailable">Search is not available on this server yet.</p>}
      {data && empty(data) && <p className="muted">Nothing matches.</p>}
      {data && data.messages.length > 0 && (
        <>
          <h3>Messages</h3>
          <ul className="result-list">
            {data.messages.map((m) => (
              <li key={m.messageId}>
                <button type="button" className="result" onClick={() => onOpen(m.conversationId)} data-testid="search-message">
                  <span className="result-title">
                    <span dir="auto">{m.contactName}</span> <span className="muted">· {m.author} · {formatRelative(m.createdAt, now)}</span>
                  </span>
                  <span className="result-snippet">
                    <Highlighted snippet={m.snippet} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {data && data.conversations.length > 0 && (
        <>
          <h3>Conversations</h3>
          <ul className="result-list">
            {data.conversations.map((c) => (
              <li key={c.id}>
                <button type="button" className="result" onClick={() => onOpen(c.id)} data-testid="search-conversation">
                  <span className="result-title">
                    <PlatformBadge platform={c.platform} compact /> <span dir="auto">{c.contact.name}</span> <span className="muted">· {c.status}</span>
                  </span>
                  {c.lastMessage && (
                    <span className="result-snippet muted" dir="auto">
                      {c.lastMessage.text}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {data && data.contacts.length > 0 && (
        <>
          <h3>Contacts</h3>
          <ul className="result-list">
            {data.contacts.map((c) => (
              <li key={c.id}>
                <button type="button" className="result contact-result" onClick={() => void openContact(c.id)} data-testid="search-contact">
                  <Avatar name={c.name} url={c.avatarUrl} size={24} />
                  <span>
                    <Highlighted snippet={c.snippet} /> <span className="muted">{c.platforms.map((p) => platformLabel(p as never)).join(", ")}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <ErrorMessage error={contactError} />
        </>
      )}
    </section>
  );
}
