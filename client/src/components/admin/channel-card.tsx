import { useState, type FormEvent } from "react";
import type { Channel } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { apiChannelFields } from "../../channel-fields";
import { formatDateTime } from "../../format";
import { ErrorMessage } from "../error-message";
import { BotEditor } from "./bot-editor";
import { CopyButton } from "./copy-button";

export function ChannelCard({ channel: c, onChanged }: { channel: Channel; onChanged: () => void }) {
  const fields = apiChannelFields(c);
  const [editing, setEditing] = useState(false);
  const [showBot, setShowBot] = useState(false);
  const [name, setName] = useState(c.name);
  const [callbackUrl, setCallbackUrl] = useState(fields.callbackUrl ?? "");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function update(body: Parameters<typeof api.updateChannel>[1]) {
    setPending(true);
    setError(null);
    try {
      await api.updateChannel(c.id, body);
      setEditing(false);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  function saveEdit(event: FormEvent) {
    event.preventDefault();
    const url = callbackUrl.trim();
    const current = fields.callbackUrl ?? "";
    // An emptied field clears the callback URL (null); an unchanged one is left out.
    const config = url === current ? {} : { config: { callbackUrl: url || null } };
    void update({ name: name.trim(), ...config });
  }

  return (
    <article className="channel-card" data-testid="channel" data-channel-id={c.id}>
      <header className="channel-card-header">
        <h3>{c.name}</h3>
        <span className="badge">{c.platform}</span>
        <span className={`badge ${c.botEnabled ? "owner-bot" : ""}`} data-testid="channel-bot-state">
          bot {c.botEnabled ? "on" : "off"}
        </span>
      </header>
      <dl className="facts">
        <dt>Webhook URL</dt>
        <dd>
          <code data-testid="channel-webhook-url">{c.webhookUrl}</code> <CopyButton text={c.webhookUrl} />
        </dd>
        <dt>Callback URL</dt>
        <dd data-testid="channel-callback">
          {fields.callbackUrl ? <code>{fields.callbackUrl}</code> : <span className="muted">none</span>}
        </dd>
        <dt>Signing secret</dt>
        <dd>{fields.hasSecret ? "set" : <span className="muted">none</span>}</dd>
        <dt>Last event</dt>
        <dd>{c.health.lastEventAt ? formatDateTime(c.health.lastEventAt) : <span className="muted">never</span>}</dd>
        <dt>Last error</dt>
        <dd>
          {c.health.lastError ? (
            <span className="text-danger" data-testid="channel-last-error">
              {c.health.lastError}
              {c.health.lastErrorAt && <span className="muted"> ({formatDateTime(c.health.lastErrorAt)})</span>}
            </span>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
      </dl>
      <div className="button-row">
        <button
          type="button"
          disabled={pending}
          onClick={() => void update({ botEnabled: !c.botEnabled })}
          data-testid="channel-toggle-bot"
        >
          {c.botEnabled ? "Turn bot off" : "Turn bot on"}
        </button>
        <button
          type="button"
          aria-expanded={editing}
          onClick={() => {
            setName(c.name);
            setCallbackUrl(fields.callbackUrl ?? "");
            setEditing(!editing);
          }}
        >
          {editing ? "Cancel edit" : "Edit"}
        </button>
        <button
          type="button"
          aria-expanded={showBot}
          onClick={() => setShowBot(!showBot)}
          data-testid="channel-edit-bot"
        >
          {showBot ? "Hide bot rules" : "Bot rules"}
        </button>
      </div>
      <ErrorMessage error={error} />
      {editing && (
        <form className="form-grid" onSubmit={saveEdit}>
          <label>
            Name
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Callback URL <span className="muted">(leave empty for none)</span>
            <input
              type="url"
              value={callbackUrl}
              placeholder="https://example.com/parley"
              onChange={(e) => setCallbackUrl(e.target.value)}
              data-testid="channel-edit-callback-url"
            />
          </label>
          <div>
            <button type="submit" className="primary" disabled={pending || !name.trim()}>
              Save
            </button>
          </div>
        </form>
      )}
      {showBot && <BotEditor channelId={c.id} />}
    </article>
  );
}
