import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import type { z } from "zod";
import { LlmSettingsInput, type LlmSettings, type LlmTestResult } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { validateForm } from "../../lib/errors";
import { keys } from "../../query-client";
import { ErrorMessage } from "../error-message";

interface Draft {
  baseUrl: string;
  model: string;
  apiKey: string;
  temperature: string;
  maxBotTurns: string;
  replyLanguage: string;
  instructions: string;
  neverSay: string;
}
const toDraft = (s: LlmSettings): Draft => ({
  baseUrl: s.baseUrl ?? "",
  model: s.model ?? "",
  apiKey: "",
  temperature: String(s.temperature),
  maxBotTurns: String(s.maxBotTurns),
  replyLanguage: s.replyLanguage,
  instructions: s.instructions,
  neverSay: s.neverSay.join("\n"),
});
const keySource = { workspace: "this workspace's key", environment: "the server's OPENAI_API_KEY", none: "no key" } as const;

/**
 * Admin → AI model: the workspace's OpenAI-compatible endpoint and how the bot talks. The API key is
 * write-only: the form never shows it, only whether one is stored; an empty field keeps it.
 */
export function LlmPanel() {
  const qc = useQueryClient();
  const { data, error: loadError } = useQuery({ queryKey: keys.llm, queryFn: api.llmSettings });
  const [d, setD] = useState<Draft | null>(null);
  const [removeKey, setRemoveKey] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<z.infer<typeof LlmTestResult> | null>(null);
  const [testError, setTestError] = useState<unknown>(null);
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    if (data) setD(toDraft(data));
  }, [data]);

  if (!d || !data) return loadError ? <ErrorMessage error={loadError} /> : <p className="muted">Loading AI model settings…</p>;

  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setD({ ...d, ...patch });
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!d) return;
    setBusy(true);
    setError(null);
    try {
      const body = validateForm(LlmSettingsInput, {
        baseUrl: d.baseUrl.trim() || null,
        model: d.model.trim() || null,
        ...(d.apiKey.trim() ? { apiKey: d.apiKey.trim() } : removeKey ? { apiKey: null } : {}),
        temperature: Number(d.temperature),
        maxBotTurns: Number(d.maxBotTurns),
        replyLanguage: d.replyLanguage.trim() || "customer",
        instructions: d.instructions,
        neverSay: d.neverSay
          .split("\n")
          .map((s) => s.trim())
          .filter(Boolean),
      });
      qc.setQueryData(keys.llm, await api.putLlmSettings(body));
      setRemoveKey(false);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function runTest() {
    if (!d) return;
    setTesting(true);
    setTest(null);
    setTestError(null);
    try {
      // Tries what is in the form (not saved yet); a blank key field uses the stored key.
      setTest(await api.testLlm({ baseUrl: d.baseUrl.trim() || null, model: d.model.trim() || null, ...(d.apiKey.trim() ? { apiKey: d.apiKey.trim() } : {}) }));
    } catch (err) {
      setTestError(err);
    } finally {
      setTesting(false);
    }
  }

  return (
    <section className="admin-section" aria-labelledby="llm-title">
      <h2 id="llm-title">AI model</h2>
      <p className="muted" data-testid="llm-effective">
        {data.effective.configured
          ? `In use: ${data.effective.model ?? "?"} at ${data.effective.baseUrl}, with ${keySource[data.effective.apiKey]}.`
          : "Not set up: the bot answers with rules and the knowledge base only."}
      </p>
      <form className="panel form-grid" onSubmit={save} data-testid="llm-form">
        <label>
          Endpoint (base URL) <span className="muted">(empty: the server's default)</span>
          <input type="url" value={d.baseUrl} placeholder={data.effective.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} data-testid="llm-base-url" />
        </label>
        <label>
          Model
          <input value={d.model} placeholder="e.g. gpt-4o-mini" onChange={(e) => set({ model: e.target.value })} data-testid="llm-model" />
        </label>
        <label>
          API key <span className="muted">({data.apiKeySet ? "a key is stored; type to replace it" : "none stored"})</span>
          <input
            type="password"
            autoComplete="new-password"
            value={d.apiKey}
            onChange={(e) => set({ apiKey: e.target.value })}
            placeholder={data.apiKeySet ? "•••••••• (kept)" : ""}
            data-testid="llm-api-key"
          />
        </label>
        {data.apiKeySet && (
          <label className="checkbox">
            <input type="checkbox" checked={removeKey} onChange={(e) => setRemoveKey(e.target.checked)} /> Remove the stored key
          </label>
        )}
        <label>
          Temperature <span className="muted">(0–2)</span>
          <input type="number" min={0} max={2} step={0.1} value={d.temperature} onChange={(e) => set({ temperature: e.target.value })} />
        </label>
        <label>
          Bot replies per conversation before handing off
          <input type="number" min={1} max={100} value={d.maxBotTurns} onChange={(e) => set({ maxBotTurns: e.target.value })} data-testid="llm-max-turns" />
        </label>
        <label>
          Reply language
          <select value={d.replyLanguage === "customer" ? "customer" : "fixed"} onChange={(e) => set({ replyLanguage: e.target.value === "customer" ? "customer" : "en" })}>
            <option value="customer">The customer's language</option>
            <option value="fixed">Always one language</option>
          </select>
        </label>
        {d.replyLanguage !== "customer" && (
          <label>
            Always answer in <span className="muted">(two letters)</span>
            <input maxLength={2} value={d.replyLanguage} onChange={(e) => set({ replyLanguage: e.target.value })} />
          </label>
        )}
        <label className="wide">
          Tone and instructions
          <textarea rows={3} maxLength={4000} value={d.instructions} onChange={(e) => set({ instructions: e.target.value })} data-testid="llm-instructions" />
        </label>
        <label className="wide">
          Never say <span className="muted">(one phrase a line; a reply containing one is not sent)</span>
          <textarea rows={3} value={d.neverSay} onChange={(e) => set({ neverSay: e.target.value })} data-testid="llm-never-say" />
        </label>
        <ErrorMessage error={error} />
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy} data-testid="llm-save">
            Save
          </button>
          <button type="button" disabled={testing} onClick={() => void runTest()} data-testid="llm-test">
            {testing ? "Testing…" : "Test connection"}
          </button>
          {saved && (
            <span role="status" className="text-success">
              Saved.
            </span>
          )}
        </div>
      </form>
      <ErrorMessage error={testError} />
      {test && (
        <div className={`panel llm-test ${test.ok ? "test-ok" : "test-failed"}`} role="status" data-testid="llm-test-result" data-ok={test.ok}>
          <p>
            <strong>{test.ok ? "It works." : "It does not work yet."}</strong> {test.message}
            {test.latencyMs !== null && <span className="muted"> ({test.latencyMs} ms)</span>}
          </p>
          <ul>
            {test.steps.map((s) => (
              <li key={s.step}>
                {s.ok ? "✓" : "✗"} {s.step}: {s.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
