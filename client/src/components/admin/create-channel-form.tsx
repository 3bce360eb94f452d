import { useState, type FormEvent } from "react";
import type { z } from "zod";
import type { CreatedChannel } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { createdSecret } from "../../channel-fields";
import { ErrorMessage } from "../error-message";
import { CopyButton } from "./copy-button";

type Created = z.infer<typeof CreatedChannel>;

/** Creates an API channel, then shows its signing secret once. */
export function CreateChannelForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState("");
  const [callbackUrl, setCallbackUrl] = useState("");
  const [botEnabled, setBotEnabled] = useState(true);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Created | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const channel = await api.createChannel({
        platform: "api",
        name: name.trim(),
        botEnabled,
        config: callbackUrl.trim() ? { callbackUrl: callbackUrl.trim() } : {},
      });
      setCreated(channel);
      setName("");
      setCallbackUrl("");
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="panel">
      <h3>Add an API channel</h3>
      <form className="form-grid" onSubmit={submit}>
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} data-testid="channel-name" />
        </label>
        <label>
          Callback URL <span className="muted">(where Parley sends replies; optional)</span>
          <input
            type="url"
            placeholder="https://example.com/parley"
            value={callbackUrl}
            onChange={(e) => setCallbackUrl(e.target.value)}
            data-testid="channel-callback-url"
          />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={botEnabled}
            onChange={(e) => setBotEnabled(e.target.checked)}
            data-testid="channel-bot-enabled"
          />{" "}
          Bot answers first
        </label>
        <ErrorMessage error={error} />
        <div>
          <button type="submit" className="primary" disabled={pending || !name.trim()} data-testid="channel-create">
            {pending ? "Creating…" : "Create channel"}
          </button>
        </div>
      </form>
      {created && (
        <div className="secret-box" role="status" data-testid="channel-secret-box">
          <p>
            <strong>Channel “{created.name}” created.</strong> Copy its signing secret now — it will not be shown
            again.
          </p>
          <p className="secret-line">
            <code data-testid="channel-secret">{createdSecret(created) ?? "(none)"}</code>
            {createdSecret(created) && <CopyButton text={createdSecret(created)!} />}
          </p>
          <p>
            Webhook URL: <code>{created.webhookUrl}</code> <CopyButton text={created.webhookUrl} />
          </p>
          <button type="button" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
    </div>
  );
}
