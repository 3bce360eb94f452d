import { useState, type FormEvent } from "react";
import type { Channel } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { apiChannelFields } from "../../channel-fields";
import { ErrorMessage } from "../error-message";
import { PlatformBadge } from "../social/platform-badge";
import { BotEditor } from "./bot-editor";
import { ChannelHealth } from "./channel-health";
import { ChannelSettings } from "./channel-settings";
import { CopyButton } from "./copy-button";
import { ReconnectForm } from "./reconnect-form";
import { SetupStepsList } from "./setup-steps";

export function ChannelCard({ channel: c, onChanged }: { channel: Channel; onChanged: () => void }) {
  const fields = apiChannelFields(c);
  const needsReconnect = c.status === "needs_reconnect";
  const [editing, setEditing] = useState(false);
  const [reconnecting, setReconnecting] = useState(false);
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
    const config = c.platform !== "api" || url === current ? {} : { config: { callbackUrl: url || null } };
    void update({ name: name.trim(), ...config });
  }

  return (
    <article className={`channel-card${needsReconnect ? " channel-needs-reconnect" : ""}`} data-testid="channel" data-channel-id={c.id} data-status={c.status}>
      <header className="channel-card-header">
        <h3>{c.name}</h3>
        <PlatformBadge platform={c.platform} />
        <span className={`badge channel-status-${c.status}`} data-testid="channel-status">
          {needsReconnect ? "needs reconnect" : "active"}
        </span>
        <span className={`badge ${c.botEnabled ? "owner-bot" : ""}`} data-testid="channel-bot-state">
          bot {c.botEnabled ? "on" : "off"}
        </span>
      </header>
      {needsReconnect && (
        <div className="reconnect-alert" role="alert" data-testid="channel-reconnect-reason">
          <strong>Needs reconnecting:</strong> {c.statusReason ?? "the platform refused Parley's credentials."} Replies fail until new
          credentials are saved.{" "}
          {!reconnecting && (
            <button type="button" className="button-small" onClick={() => setReconnecting(true)} data-testid="channel-reconnect-open">
              Enter new credentials
            </button>
          )}
        </div>
      )}
      <dl className="facts">
        <dt>Webhook URL</dt>
        <dd>
          <code data-testid="channel-webhook-url">{c.webhookUrl}</code> <CopyButton text={c.webhookUrl} />
          {c.webhookUrl.includes("{webhookToken}") && (
            <span className="muted field-note"> The {"{webhookToken}"} part was shown once, when the channel was connected.</span>
          )}
        </dd>
        <ChannelSettings channel={c} />
        <ChannelHealth health={c.health} />
      </dl>
      {c.setup.steps.length > 0 && (
        <details className="channel-setup" data-testid="channel-setup-steps">
          <summary>Setup steps ({c.setup.steps.length})</summary>
          <SetupStepsList steps={c.setup.steps} />
        </details>
      )}
      <div className="button-row">
        <button type="button" disabled={pending} onClick={() => void update({ botEnabled: !c.botEnabled })} data-testid="channel-toggle-bot">
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
        {!needsReconnect && c.secrets.length > 0 && (
          <button type="button" aria-expanded={reconnecting} onClick={() => setReconnecting(!reconnecting)} data-testid="channel-credentials">
            {reconnecting ? "Cancel credentials" : "Update credentials"}
          </button>
        )}
        <button type="button" aria-expanded={showBot} onClick={() => setShowBot(!showBot)} data-testid="channel-edit-bot">
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
          {c.platform === "api" && (
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
          )}
          <div>
            <button type="submit" className="primary" disabled={pending || !name.trim()}>
              Save
            </button>
          </div>
        </form>
      )}
      {reconnecting && (
        <ReconnectForm
          channel={c}
          onCancel={() => setReconnecting(false)}
          onSaved={() => {
            setReconnecting(false);
            onChanged();
          }}
        />
      )}
      {showBot && <BotEditor channelId={c.id} />}
    </article>
  );
}
