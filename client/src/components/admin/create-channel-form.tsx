import { useMemo, useState, type FormEvent } from "react";
import type { z } from "zod";
import { CreateChannelRequest, platforms, type ChannelPlatform, type CreatedChannel } from "../../../../shared/schemas/index.js";
import { api, ApiError } from "../../api";
import { configFields, fieldLabel, type ConfigField } from "../../social/config-fields";
import { platformLabel } from "../../social/platforms";
import { ErrorMessage } from "../error-message";
import { ConfigFieldInput, type ConfigValue } from "./config-field-input";
import { CreatedChannelBox } from "./created-channel-box";
import type { TemplateDraft } from "./templates-editor";

type Created = z.infer<typeof CreatedChannel>;

/** The config block as the API takes it: empty optional fields left out, templates without blank rows. */
function toConfig(fields: ConfigField[], values: Record<string, ConfigValue>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === "boolean") config[f.name] = v === undefined ? Boolean(f.defaultValue) : v === true;
    else if (f.kind === "templates") {
      config[f.name] = ((v as TemplateDraft[] | undefined) ?? [])
        .filter((t) => t.name.trim() || t.body.trim())
        .map((t) => ({ name: t.name.trim(), language: t.language.trim() || "en_US", body: t.body }));
    } else {
      const text = typeof v === "string" ? v.trim() : "";
      if (text || f.required) config[f.name] = text;
    }
  }
  return config;
}

function describePath(path: PropertyKey[]): string {
  if (path[0] === "config" && path[1] === "templates" && typeof path[2] === "number") {
    return `Template ${path[2] + 1}${path[3] !== undefined ? ` ${String(path[3])}` : ""}`;
  }
  if (path[0] === "config" && typeof path[1] === "string") return fieldLabel(path[1]);
  return path.map(String).join(".");
}

/** Connects a channel: pick the platform, fill its settings, then see its webhook setup once. */
export function CreateChannelForm({ onCreated }: { onCreated: () => void }) {
  const [platform, setPlatform] = useState<ChannelPlatform>("api");
  const [name, setName] = useState("");
  const [botEnabled, setBotEnabled] = useState(true);
  const [values, setValues] = useState<Record<string, ConfigValue>>({});
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  const [created, setCreated] = useState<Created | null>(null);
  const fields = useMemo(() => configFields(platform), [platform]);
  const basic = fields.filter((f) => !f.advanced);
  const advanced = fields.filter((f) => f.advanced);

  function choosePlatform(next: ChannelPlatform) {
    setPlatform(next);
    setValues({});
    setError(null);
    setInvalid(new Set());
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = { platform, name: name.trim(), botEnabled, config: toConfig(fields, values) };
    const check = CreateChannelRequest.safeParse(body);
    if (!check.success) {
      setInvalid(new Set(check.error.issues.filter((i) => i.path[0] === "config").map((i) => String(i.path[1]))));
      const issues = check.error.issues.map((i) => ({ path: describePath(i.path), message: i.message }));
      setError(new ApiError("Please fix these fields.", 0, issues));
      return;
    }
    setInvalid(new Set());
    setPending(true);
    setError(null);
    try {
      const channel = await api.createChannel(body as z.input<typeof CreateChannelRequest>);
      setCreated(channel);
      setName("");
      setValues({});
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  const field = (f: ConfigField) => (
    <ConfigFieldInput key={`${platform}-${f.name}`} field={f} value={values[f.name]} invalid={invalid.has(f.name)} onChange={(v) => setValues((s) => ({ ...s, [f.name]: v }))} />
  );

  return (
    <div className="panel" data-testid="connect-channel">
      <h3>Connect a channel</h3>
      <form className="connect-form" onSubmit={submit} noValidate data-platform={platform}>
        <div className="form-grid">
          <label>
            Platform
            <select value={platform} onChange={(e) => choosePlatform(e.target.value as ChannelPlatform)} data-testid="channel-platform">
              {platforms.map((p) => (
                <option key={p} value={p}>
                  {p === "api" ? "API (your own system)" : platformLabel(p)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Name
            <input
              required
              value={name}
              placeholder={`e.g. ${platform === "api" ? "Web shop" : `${platformLabel(platform)} – main`}`}
              onChange={(e) => setName(e.target.value)}
              data-testid="channel-name"
            />
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={botEnabled} onChange={(e) => setBotEnabled(e.target.checked)} data-testid="channel-bot-enabled" /> Bot
            answers first
          </label>
        </div>
        <fieldset className="config-fieldset">
          <legend>{platform === "api" ? "API settings" : `${platformLabel(platform)} settings`}</legend>
          <div className="form-grid config-grid">{basic.map(field)}</div>
          {advanced.length > 0 && (
            <details className="advanced-fields">
              <summary>Advanced</summary>
              <div className="form-grid config-grid">{advanced.map(field)}</div>
            </details>
          )}
        </fieldset>
        <ErrorMessage error={error} />
        <div className="button-row">
          <button type="submit" className="primary" disabled={pending || !name.trim()} data-testid="channel-create">
            {pending ? "Connecting…" : platform === "api" ? "Create channel" : `Connect ${platformLabel(platform)}`}
          </button>
        </div>
      </form>
      {created && <CreatedChannelBox channel={created} onDismiss={() => setCreated(null)} />}
    </div>
  );
}
