import { useEffect, useState, type FormEvent } from "react";
import type { z } from "zod";
import { BotConfigInput, type BotRule, type BotSettings } from "../../../../shared/schemas/index.js";
import { api, ApiError } from "../../api";
import { ErrorMessage } from "../error-message";
import { BotRuleFields, type RuleDraft } from "./bot-rule-fields";

interface SettingsDraft {
  handoffAfterMisses: string;
  handoffKeywords: string;
  handoffReply: string;
  fallbackReply: string;
}

let nextKey = 0;
const newKey = () => `rule-${++nextKey}`;

function toRuleDrafts(rules: BotRule[]): RuleDraft[] {
  return [...rules]
    .sort((a, b) => a.position - b.position)
    .map(({ id: _id, position: _position, ...rest }) => ({ ...rest, key: newKey() }));
}

function toSettingsDraft(s: BotSettings): SettingsDraft {
  return {
    handoffAfterMisses: String(s.handoffAfterMisses),
    handoffKeywords: s.handoffKeywords.join(", "),
    handoffReply: s.handoffReply ?? "",
    fallbackReply: s.fallbackReply ?? "",
  };
}

/** Edits one channel's bot: hand-off settings and the ordered rule list (saved as a whole). */
export function BotEditor({ channelId }: { channelId: string }) {
  const [settings, setSettings] = useState<SettingsDraft | null>(null);
  const [rules, setRules] = useState<RuleDraft[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  function applyConfig(config: { settings: BotSettings; rules: BotRule[] }) {
    setSettings(toSettingsDraft(config.settings));
    setRules(toRuleDrafts(config.rules));
  }

  useEffect(() => {
    let live = true;
    api
      .getBot(channelId)
      .then((config) => live && applyConfig(config))
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [channelId]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!settings) return;
    setSaved(false);
    const body: z.input<typeof BotConfigInput> = {
      settings: {
        handoffAfterMisses: Number(settings.handoffAfterMisses),
        handoffKeywords: settings.handoffKeywords
          .split(",")
          .map((k) => k.trim())
          .filter(Boolean),
        handoffReply: settings.handoffReply.trim() || null,
        fallbackReply: settings.fallbackReply.trim() || null,
      },
      rules: rules.map(({ key: _key, ...rule }, position) => ({ ...rule, position })),
    };
    const check = BotConfigInput.safeParse(body);
    if (!check.success) {
      setError(
        new ApiError(
          "Please fix these fields before saving.",
          0,
          check.error.issues.map((i) => ({ path: describePath(i.path), message: i.message })),
        ),
      );
      return;
    }
    setSaving(true);
    setError(null);
    try {
      applyConfig(await api.putBot(channelId, body));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  if (!settings) {
    return error ? <ErrorMessage error={error} /> : <p className="muted">Loading bot settings…</p>;
  }

  const updateRule = (index: number, rule: RuleDraft) => setRules(rules.map((r, i) => (i === index ? rule : r)));
  const moveRule = (index: number, delta: -1 | 1) => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    if (rule) next.splice(index + delta, 0, rule);
    setRules(next);
  };
  const addRule = () =>
    setRules([...rules, { key: newKey(), name: "", matchType: "keyword", pattern: "", reply: "", enabled: true }]);

  return (
    <form className="bot-editor" onSubmit={save} data-testid="bot-editor" onChange={() => setSaved(false)}>
      <h4>Bot settings</h4>
      <div className="form-grid">
        <label>
          Hand off after this many unanswered messages
          <input
            type="number"
            min={1}
            max={20}
            value={settings.handoffAfterMisses}
            onChange={(e) => setSettings({ ...settings, handoffAfterMisses: e.target.value })}
            data-testid="bot-handoff-misses"
          />
        </label>
        <label>
          Hand-off keywords <span className="muted">(comma-separated)</span>
          <input
            value={settings.handoffKeywords}
            placeholder="agent, human, person"
            onChange={(e) => setSettings({ ...settings, handoffKeywords: e.target.value })}
            data-testid="bot-handoff-keywords"
          />
        </label>
        <label>
          Hand-off reply <span className="muted">(told to the customer when the bot hands off; optional)</span>
          <textarea
            rows={2}
            value={settings.handoffReply}
            onChange={(e) => setSettings({ ...settings, handoffReply: e.target.value })}
            data-testid="bot-handoff-reply"
          />
        </label>
        <label>
          Fallback reply <span className="muted">(when no rule matches and no hand-off is due yet; optional)</span>
          <textarea
            rows={2}
            value={settings.fallbackReply}
            onChange={(e) => setSettings({ ...settings, fallbackReply: e.target.value })}
            data-testid="bot-fallback-reply"
          />
        </label>
      </div>
      <h4>Rules</h4>
      {rules.length === 0 && <p className="muted">No rules: every message counts as unanswered.</p>}
      {rules.map((rule, index) => (
        <BotRuleFields
          key={rule.key}
          rule={rule}
          index={index}
          count={rules.length}
          onChange={(r) => updateRule(index, r)}
          onRemove={() => setRules(rules.filter((_, i) => i !== index))}
          onMove={(delta) => moveRule(index, delta)}
        />
      ))}
      <ErrorMessage error={error} />
      <div className="button-row">
        <button type="button" onClick={addRule} data-testid="rule-add">
          Add rule
        </button>
        <button type="submit" className="primary" disabled={saving} data-testid="bot-save">
          {saving ? "Saving…" : "Save bot"}
        </button>
        {saved && (
          <span role="status" className="text-success">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}

function describePath(path: PropertyKey[]): string {
  if (path[0] === "rules" && typeof path[1] === "number") {
    return `Rule ${path[1] + 1}${path[2] !== undefined ? ` ${String(path[2])}` : ""}`;
  }
  return path.map(String).join(".");
}
