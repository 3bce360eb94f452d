import type { ConfigField } from "../../social/config-fields";
import { TemplatesEditor, type TemplateDraft } from "./templates-editor";

export type ConfigValue = string | boolean | TemplateDraft[];

/** A random token for the admin to copy into the platform's settings (e.g. Meta's verify token). */
function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

interface Props {
  field: ConfigField;
  value: ConfigValue | undefined;
  /** The last check found this field wrong. */
  invalid?: boolean;
  onChange: (value: ConfigValue) => void;
}

/** One input of a platform's connection form: text, password (credentials), checkbox or templates. */
export function ConfigFieldInput({ field: f, value, invalid = false, onChange }: Props) {
  const testId = `channel-field-${f.name}`;
  if (f.kind === "templates") {
    return <TemplatesEditor label={f.label} hint={f.hint} value={(value as TemplateDraft[] | undefined) ?? []} onChange={onChange} />;
  }
  if (f.kind === "boolean") {
    return (
      <label className="checkbox config-checkbox">
        <input type="checkbox" checked={value === undefined ? Boolean(f.defaultValue) : value === true} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />{" "}
        <span>
          {f.label}
          {f.hint && <span className="muted field-hint"> — {f.hint}</span>}
        </span>
      </label>
    );
  }
  const text = typeof value === "string" ? value : "";
  const type = f.kind === "secret" ? "password" : f.kind === "url" ? "url" : f.kind === "email" ? "email" : "text";
  return (
    <label>
      {f.label}
      {!f.required && <span className="muted"> (optional)</span>}
      <span className="field-input">
        <input
          type={type}
          required={f.required}
          aria-invalid={invalid || undefined}
          value={text}
          autoComplete={f.kind === "secret" ? "new-password" : "off"}
          spellCheck={false}
          placeholder={f.kind === "url" ? "https://" : undefined}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
        {f.name === "verifyToken" && (
          <button type="button" className="button-small" onClick={() => onChange(randomToken())} data-testid="verify-token-generate">
            Generate
          </button>
        )}
      </span>
      {f.hint && <span className="muted field-hint">{f.hint}</span>}
    </label>
  );
}
