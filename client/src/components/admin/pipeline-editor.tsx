import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { botStageNames, type BotPipeline, type BotStageName } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { keys } from "../../query-client";
import { ErrorMessage } from "../error-message";
import { kinds, kindWords, overridesToSave, stageOn, withStage, type Scope } from "./pipeline-overrides";

const stageWords: Record<BotStageName, { title: string; what: string }> = {
  guardrails: { title: "Guardrails", what: "Hand off requests for a person, sensitive topics and bot loops" },
  rules: { title: "Rules", what: "Keyword and pattern replies, tried in order" },
  knowledge: { title: "Knowledge answers", what: "Answer with a knowledge article when the match is confident" },
  llm: { title: "LLM agent", what: "Ask the AI model, grounded in the knowledge base" },
};

/**
 * The channel's pipeline, guardrails → rules → knowledge → LLM: each stage switchable for the whole
 * channel or for one conversation kind (an override), and the knowledge stage's threshold.
 */
export function PipelineEditor({ channelId }: { channelId: string }) {
  const qc = useQueryClient();
  const { data: config, error: loadError } = useQuery({ queryKey: keys.bot(channelId), queryFn: () => api.getBot(channelId) });
  const [draft, setDraft] = useState<BotPipeline | null>(null);
  const [scope, setScope] = useState<Scope>("channel");
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => setDraft(config?.pipeline ?? null), [config]);

  if (!draft || !config) return loadError ? <ErrorMessage error={loadError} /> : <p className="muted">Loading the pipeline…</p>;

  async function save() {
    if (!draft) return;
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      const overrides = overridesToSave(draft);
      const next = await api.putBot(channelId, {
        pipeline: {
          guardrails: { enabled: draft.guardrails.enabled, negativeMaxStars: draft.guardrails.negativeMaxStars },
          rules: { enabled: draft.rules.enabled },
          knowledge: { enabled: draft.knowledge.enabled, minConfidence: draft.knowledge.minConfidence },
          llm: { enabled: draft.llm.enabled },
          overrides,
        },
      });
      qc.setQueryData(keys.bot(channelId), next);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  const change = (p: BotPipeline) => {
    setSaved(false);
    setDraft(p);
  };

  return (
    <section className="panel pipeline-editor" aria-labelledby={`pipeline-${channelId}`} data-testid="pipeline-editor">
      <h3 id={`pipeline-${channelId}`}>Pipeline</h3>
      <label className="inline-field">
        Settings for{" "}
        <select value={scope} onChange={(e) => setScope(e.target.value as Scope)} data-testid="pipeline-kind">
          <option value="channel">Every kind (the channel)</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {kindWords[k]} only
            </option>
          ))}
        </select>
      </label>
      <ol className="pipeline-stages">
        {botStageNames.map((stage) => {
          const on = stageOn(draft, scope, stage);
          const overridden = scope !== "channel" && on !== draft[stage].enabled;
          return (
            <li key={stage} className={`pipeline-stage${on ? "" : " stage-off"}`} data-testid={`stage-${stage}`} data-on={on}>
              <label className="checkbox">
                <input type="checkbox" checked={on} onChange={(e) => change(withStage(draft, scope, stage, e.target.checked))} data-testid={`stage-toggle-${stage}`} />{" "}
                <strong>{stageWords[stage].title}</strong>
              </label>
              <span className="muted">{stageWords[stage].what}</span>
              {overridden && <span className="badge">differs from the channel</span>}
              {stage === "llm" && on && !config.llmConfigured && (
                <span className="text-warning" data-testid="llm-not-configured">
                  No AI model is set up: this stage is skipped (Admin → AI model).
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {scope === "channel" && (
        <div className="form-grid">
          <label>
            Knowledge: answer above this confidence <span className="muted">(0–1)</span>
            <input
              type="number"
              min={0}
              max={1}
              step={0.05}
              value={draft.knowledge.minConfidence}
              onChange={(e) => change({ ...draft, knowledge: { ...draft.knowledge, minConfidence: Number(e.target.value) } })}
              data-testid="knowledge-min-confidence"
            />
          </label>
          <label>
            Never answer reviews with this many stars or fewer
            <input
              type="number"
              min={1}
              max={5}
              value={draft.guardrails.negativeMaxStars}
              onChange={(e) => change({ ...draft, guardrails: { ...draft.guardrails, negativeMaxStars: Number(e.target.value) } })}
            />
          </label>
        </div>
      )}
      <ErrorMessage error={error} />
      <div className="button-row">
        <button type="button" className="primary" disabled={saving} onClick={() => void save()} data-testid="pipeline-save">
          {saving ? "Saving…" : "Save pipeline"}
        </button>
        {saved && (
          <span role="status" className="text-success">
            Saved.
          </span>
        )}
      </div>
    </section>
  );
}
