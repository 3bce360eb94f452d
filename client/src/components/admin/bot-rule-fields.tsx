import type { BotRule } from "../../../../shared/schemas/index.js";

/** A rule being edited: the stored rule minus server-owned id and position (list order). */
export type RuleDraft = Omit<BotRule, "id" | "position"> & { key: string };

interface Props {
  rule: RuleDraft;
  index: number;
  count: number;
  onChange: (rule: RuleDraft) => void;
  onRemove: () => void;
  onMove: (delta: -1 | 1) => void;
}

export function BotRuleFields({ rule, index, count, onChange, onRemove, onMove }: Props) {
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => onChange({ ...rule, [key]: value });
  return (
    <fieldset className="rule" data-testid="bot-rule">
      <legend>Rule {index + 1}</legend>
      <div className="rule-grid">
        <label>
          Name
          <input value={rule.name} onChange={(e) => set("name", e.target.value)} data-testid="rule-name" />
        </label>
        <label>
          Match
          <select
            value={rule.matchType}
            onChange={(e) => set("matchType", e.target.value as RuleDraft["matchType"])}
            data-testid="rule-match-type"
          >
            <option value="keyword">keyword</option>
            <option value="regex">regex</option>
          </select>
        </label>
        <label className="rule-pattern">
          Pattern
          <input
            value={rule.pattern}
            onChange={(e) => set("pattern", e.target.value)}
            placeholder={rule.matchType === "regex" ? "e.g. \\b(refund|money back)\\b" : "e.g. opening hours"}
            data-testid="rule-pattern"
          />
        </label>
        <label className="rule-reply">
          Reply
          <textarea rows={2} value={rule.reply} onChange={(e) => set("reply", e.target.value)} data-testid="rule-reply" />
        </label>
      </div>
      <div className="button-row">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={rule.enabled}
            onChange={(e) => set("enabled", e.target.checked)}
            data-testid="rule-enabled"
          />{" "}
          Enabled
        </label>
        <button type="button" className="button-small" disabled={index === 0} onClick={() => onMove(-1)}>
          Move up
        </button>
        <button type="button" className="button-small" disabled={index === count - 1} onClick={() => onMove(1)}>
          Move down
        </button>
        <button type="button" className="button-small danger" onClick={onRemove} data-testid="rule-remove">
          Remove
        </button>
      </div>
    </fieldset>
  );
}
