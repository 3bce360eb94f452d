import { useState, type FormEvent } from "react";
import type { Channel } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { fieldLabel } from "../../social/config-fields";
import { ErrorMessage } from "../error-message";

/** New credentials for a channel (PATCH config): only the fields filled in are replaced. */
export function ReconnectForm({ channel: c, onSaved, onCancel }: { channel: Channel; onSaved: () => void; onCancel: () => void }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const filled = Object.entries(values).filter(([, v]) => v.trim());

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (filled.length === 0) return;
    setPending(true);
    setError(null);
    try {
      await api.updateChannel(c.id, { config: Object.fromEntries(filled.map(([k, v]) => [k, v.trim()])) });
      setValues({});
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form-grid reconnect-form" onSubmit={submit} data-testid="channel-reconnect-form">
      <p className="form-note">
        Enter new credentials from the platform. Fields left empty keep their stored value; saving new credentials
        marks the channel active again.
      </p>
      {c.secrets.map((name) => (
        <label key={name}>
          {fieldLabel(name)}
          <input
            type="password"
            autoComplete="new-password"
            value={values[name] ?? ""}
            onChange={(e) => setValues({ ...values, [name]: e.target.value })}
            data-testid={`reconnect-${name}`}
          />
        </label>
      ))}
      <ErrorMessage error={error} />
      <div className="button-row">
        <button type="submit" className="primary" disabled={pending || filled.length === 0} data-testid="channel-reconnect-save">
          {pending ? "Saving…" : "Save credentials"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
