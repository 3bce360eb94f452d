export interface TemplateDraft {
  key: string;
  name: string;
  language: string;
  body: string;
}

let nextKey = 0;
export const newTemplateDraft = (): TemplateDraft => ({ key: `tpl-${++nextKey}`, name: "", language: "en_US", body: "" });

interface Props {
  label: string;
  hint: string | null;
  value: TemplateDraft[];
  onChange: (value: TemplateDraft[]) => void;
}

/** WhatsApp's approved templates: name, language and body with {{1}}, {{2}} … placeholders. */
export function TemplatesEditor({ label, hint, value, onChange }: Props) {
  const update = (index: number, patch: Partial<TemplateDraft>) => onChange(value.map((t, i) => (i === index ? { ...t, ...patch } : t)));
  return (
    <fieldset className="templates-editor" data-testid="channel-field-templates">
      <legend>{label}</legend>
      {hint && <p className="muted field-hint">{hint}</p>}
      {value.length === 0 && <p className="muted">No templates yet.</p>}
      {value.map((t, i) => (
        <div className="template-row" key={t.key} data-testid="template-row">
          <label>
            Name
            <input value={t.name} placeholder="order_update" onChange={(e) => update(i, { name: e.target.value })} data-testid="template-name" />
          </label>
          <label>
            Language
            <input value={t.language} placeholder="en_US" onChange={(e) => update(i, { language: e.target.value })} data-testid="template-language" />
          </label>
          <label className="template-body">
            Body
            <textarea
              rows={2}
              value={t.body}
              placeholder="Hi {{1}}, your order {{2}} has shipped."
              onChange={(e) => update(i, { body: e.target.value })}
              data-testid="template-body"
            />
          </label>
          <button type="button" className="button-small danger" onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={`Remove template ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button-small" onClick={() => onChange([...value, newTemplateDraft()])} data-testid="template-add">
        Add template
      </button>
    </fieldset>
  );
}
