import { useId } from "react";
import { fillTemplate, paramCount, type Template } from "../../social/templates";

export interface TemplateChoice {
  index: number;
  params: string[];
}

interface Props {
  templates: Template[];
  value: TemplateChoice;
  disabled: boolean;
  onChange: (value: TemplateChoice) => void;
}

/** Picks an approved template, fills its {{n}} parameters and previews the message. */
export function TemplatePicker({ templates, value, disabled, onChange }: Props) {
  const id = useId();
  const template = templates[value.index];
  if (templates.length === 0) {
    return (
      <p className="composer-blocked" data-testid="composer-blocked">
        No approved templates are set up for this channel. An admin can add them to the channel.
      </p>
    );
  }
  const count = template ? paramCount(template.body) : 0;
  return (
    <div className="template-picker" data-testid="template-picker">
      <label htmlFor={`${id}-name`}>Template</label>
      <select
        id={`${id}-name`}
        value={value.index}
        disabled={disabled}
        onChange={(e) => onChange({ index: Number(e.target.value), params: [] })}
        data-testid="template-select"
      >
        {templates.map((t, i) => (
          <option key={`${t.name}-${t.language}`} value={i}>
            {t.name} ({t.language})
          </option>
        ))}
      </select>
      {count > 0 && (
        <div className="template-params">
          {Array.from({ length: count }, (_, i) => (
            <label key={i}>
              {`{{${i + 1}}}`}
              <input
                value={value.params[i] ?? ""}
                disabled={disabled}
                maxLength={1024}
                onChange={(e) => {
                  const params = [...value.params];
                  params[i] = e.target.value;
                  onChange({ ...value, params });
                }}
                data-testid={`template-param-${i + 1}`}
              />
            </label>
          ))}
        </div>
      )}
      {template && (
        <div className="template-preview" aria-live="polite">
          <span className="muted">Preview</span>
          <p data-testid="template-preview">{fillTemplate(template.body, value.params)}</p>
        </div>
      )}
    </div>
  );
}

/** Whether every parameter of the chosen template is filled in. */
export function templateReady(templates: Template[], value: TemplateChoice): boolean {
  const t = templates[value.index];
  if (!t) return false;
  const count = paramCount(t.body);
  return Array.from({ length: count }, (_, i) => value.params[i]?.trim()).every(Boolean);
}
