import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ContactUpdate, type Conversation } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { formatRelative } from "../../format";
import { useNow } from "../../hooks/use-now";
import { validateForm } from "../../lib/errors";
import { keys, orMissing } from "../../query-client";
import { navigate } from "../../router";
import { platformLabel, profileUrl } from "../../social/platforms";
import { Avatar } from "../avatar";
import { ErrorMessage } from "../error-message";
import { Icon } from "../icons";
import { PlatformBadge } from "../social/platform-badge";

/** The customer: identities on every platform, details, past conversations, notes, merge. */
export function ContactPanel({ conversation: c, onClose }: { conversation: Conversation; onClose: () => void }) {
  const qc = useQueryClient();
  const now = useNow(60_000);
  const contactId = c.contact.id;
  const detail = useQuery({ queryKey: keys.contact(contactId), queryFn: () => orMissing(() => api.getContact(contactId)) });
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState("");
  const data = detail.data;
  const contact = data?.contact;
  const refresh = () => qc.invalidateQueries({ queryKey: keys.contact(contactId) });

  async function addNote(e: FormEvent) {
    e.preventDefault();
    if (!note.trim()) return;
    setError(null);
    try {
      await api.addContactNote(contactId, note.trim());
      setNote("");
      await refresh();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <aside className="contact-panel" aria-label="Contact" data-testid="contact-panel">
      <div className="contact-head">
        <Avatar name={contact?.name ?? c.contact.name} url={contact?.avatarUrl ?? c.contact.avatarUrl} size={44} />
        <div>
          <h2 dir="auto" data-testid="contact-name">
            {contact?.name ?? c.contact.name}
          </h2>
          {contact?.email && (
            <p className="muted" dir="auto">
              {contact.email}
            </p>
          )}
          {contact?.phone && <p className="muted">{contact.phone}</p>}
        </div>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close the contact panel">
          <Icon name="close" />
        </button>
      </div>
      <ErrorMessage error={error ?? detail.error} />
      {data === null && (
        <p className="muted" data-testid="contact-unavailable">
          More about this customer (other platforms, past conversations, notes) is not available on this server yet.
        </p>
      )}
      {contact && !editing && (
        <button type="button" className="button-small" onClick={() => setEditing(true)} data-testid="contact-edit">
          Edit details
        </button>
      )}
      {contact && editing && (
        <ContactEditForm
          initial={{ name: contact.name, email: contact.email ?? "", phone: contact.phone ?? "" }}
          onCancel={() => setEditing(false)}
          onSave={async (v) => {
            await api.updateContact(contactId, validateForm(ContactUpdate, { name: v.name, email: v.email.trim() || null, phone: v.phone.trim() || null }));
            setEditing(false);
            await refresh();
            void qc.invalidateQueries({ queryKey: keys.conversation(c.id) });
          }}
        />
      )}
      {contact && contact.identities.length > 0 && (
        <section>
          <h3>On platforms</h3>
          <ul className="identity-list">
            {contact.identities.map((i) => (
              <li key={`${i.channelId}-${i.externalId}`} data-testid="contact-identity">
                <PlatformBadge platform={i.platform} compact /> <IdentityName platform={i.platform} handle={i.handle} externalId={i.externalId} />{" "}
                <span className="muted">· {i.channelName}</span>
                {i.blockedAt && <span className="badge">blocked</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {data && data.conversations.length > 0 && (
        <section>
          <h3>Conversations</h3>
          <ul className="past-list">
            {data.conversations.map((p) => (
              <li key={p.id}>
                <button type="button" className="button-link" onClick={() => navigate({ page: "inbox", conversationId: p.id })} aria-current={p.id === c.id ? "true" : undefined} data-testid="contact-conversation">
                  {platformLabel(p.platform)} · {p.status} · {formatRelative(p.activityAt, now)}
                </button>
                {p.lastMessage && (
                  <span className="muted past-snippet" dir="auto">
                    {p.lastMessage.text}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {data && (
        <section>
          <h3>Notes</h3>
          <ul className="contact-notes">
            {data.notes.map((n) => (
              <li key={n.id} data-testid="contact-note">
                <span dir="auto">{n.text}</span>
                <span className="muted">
                  {" "}
                  — {n.authorName ?? "someone"}, {formatRelative(n.createdAt, now)}
                </span>
              </li>
            ))}
          </ul>
          <form onSubmit={addNote} className="contact-note-form">
            <label className="visually-hidden" htmlFor="contact-note">
              Add a note about this customer
            </label>
            <textarea id="contact-note" rows={2} dir="auto" value={note} maxLength={4000} onChange={(e) => setNote(e.target.value)} placeholder="A note about this customer…" data-testid="contact-note-input" />
            <button type="submit" className="button-small" disabled={!note.trim()} data-testid="contact-note-add">
              Add note
            </button>
          </form>
        </section>
      )}
      {contact && <MergeContact contactId={contactId} name={contact.name} onMerged={() => void refresh()} />}
    </aside>
  );
}

/** The handle (linked to the public profile where the platform has one), else the platform id. */
function IdentityName({ platform, handle, externalId }: { platform: Conversation["platform"]; handle: string | null; externalId: string }) {
  const href = profileUrl(platform, handle);
  if (href)
    return (
      <a href={href} target="_blank" rel="noopener noreferrer" dir="auto" data-testid="contact-handle">
        {handle}
      </a>
    );
  return <span dir="auto">{handle ?? externalId}</span>;
}

function ContactEditForm({ initial, onSave, onCancel }: { initial: { name: string; email: string; phone: string }; onSave: (v: typeof initial) => Promise<void>; onCancel: () => void }) {
  const [v, setV] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="form-grid contact-edit"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        onSave(v)
          .catch(setError)
          .finally(() => setBusy(false));
      }}
    >
      <label>
        Name
        <input value={v.name} required maxLength={200} onChange={(e) => setV({ ...v, name: e.target.value })} data-testid="contact-edit-name" dir="auto" />
      </label>
      <label>
        Email
        <input type="email" value={v.email} onChange={(e) => setV({ ...v, email: e.target.value })} data-testid="contact-edit-email" />
      </label>
      <label>
        Phone
        <input type="tel" value={v.phone} onChange={(e) => setV({ ...v, phone: e.target.value })} data-testid="contact-edit-phone" />
      </label>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="primary button-small" disabled={busy || !v.name.trim()} data-testid="contact-edit-save">
          Save
        </button>
        <button type="button" className="button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Merge another contact (found by search) into this one: every conversation and identity moves here. */
function MergeContact({ contactId, name, onMerged }: { contactId: string; name: string; onMerged: () => void }) {
  const [q, setQ] = useState("");
  const [confirm, setConfirm] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const found = useQuery({ queryKey: ["contacts", q], queryFn: () => orMissing(() => api.listContacts(q)), enabled: q.trim().length > 1 }).data;
  return (
    <details className="merge-contact">
      <summary>Merge with another contact</summary>
      <label>
        Find the other contact
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name, email or handle" data-testid="merge-search" />
      </label>
      <ul className="merge-results">
        {found?.items
          .filter((x) => x.id !== contactId)
          .map((x) => (
            <li key={x.id}>
              <button type="button" className="button-link" onClick={() => setConfirm({ id: x.id, name: x.name })} data-testid="merge-candidate">
                <span dir="auto">{x.name}</span> <span className="muted">{x.identities.map((i) => platformLabel(i.platform)).join(", ")}</span>
              </button>
            </li>
          ))}
      </ul>
      {confirm && (
        <div role="alert" className="merge-confirm">
          Merge <strong dir="auto">{confirm.name}</strong> into <strong dir="auto">{name}</strong>? Their conversations and platform identities move here.{" "}
          <button
            type="button"
            className="button-small danger"
            onClick={() =>
              void api
                .mergeContact(contactId, confirm.id)
                .then(() => {
                  setConfirm(null);
                  setQ("");
                  onMerged();
                })
                .catch(setError)
            }
            data-testid="merge-confirm"
          >
            Merge
          </button>{" "}
          <button type="button" className="button-small" onClick={() => setConfirm(null)}>
            Cancel
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
    </details>
  );
}
