import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CannedResponseInput, cannedVariables, type CannedResponse } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { validateForm } from "../../lib/errors";
import { keys, orMissing } from "../../query-client";
import { ErrorMessage } from "../error-message";

const empty = { shortcut: "", title: "", text: "" };

/** Saved replies agents insert with /shortcut; {{variables}} are filled in the composer. */
export function CannedPanel() {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: keys.canned(""), queryFn: () => orMissing(async () => (await api.listCanned()).items) });
  const [form, setForm] = useState(empty);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = () => qc.invalidateQueries({ queryKey: ["canned"] });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const body = validateForm(CannedResponseInput, form);
      if (editing) await api.updateCanned(editing, body);
      else await api.createCanned(body);
      setForm(empty);
      setEditing(null);
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  function edit(r: CannedResponse) {
    setEditing(r.id);
    setForm({ shortcut: r.shortcut, title: r.title, text: r.text });
  }

  return (
    <section className="admin-section" aria-labelledby="canned-title">
      <h2 id="canned-title">Saved replies</h2>
      <ErrorMessage error={error ?? list.error} />
      {list.data === null && <p className="muted">Saved replies are not available on this server yet.</p>}
      {list.data && list.data.length === 0 && <p className="muted">No saved replies yet.</p>}
      {list.data && list.data.length > 0 && (
        <ul className="canned-list">
          {list.data.map((r) => (
            <li key={r.id} data-testid="canned-row">
              <div>
                <code>/{r.shortcut}</code> <strong>{r.title}</strong>
                <p className="muted" dir="auto">
                  {r.text}
                </p>
              </div>
              <button type="button" className="button-small" onClick={() => edit(r)}>
                Edit
              </button>
              <button type="button" className="button-small danger" onClick={() => void api.deleteCanned(r.id).then(reload, setError)} aria-label={`Delete /${r.shortcut}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      {list.data !== null && (
        <form className="form-grid panel" onSubmit={submit} noValidate>
          <h3>{editing ? "Edit saved reply" : "New saved reply"}</h3>
          <label>
            Shortcut (typed after /)
            <input required pattern="[a-z0-9][a-z0-9_\-]{0,31}" value={form.shortcut} onChange={(e) => setForm({ ...form, shortcut: e.target.value.toLowerCase() })} data-testid="canned-shortcut" />
          </label>
          <label>
            Title
            <input required maxLength={200} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} data-testid="canned-title" />
          </label>
          <label>
            Text
            <textarea required rows={4} maxLength={4096} value={form.text} onChange={(e) => setForm({ ...form, text: e.target.value })} data-testid="canned-text" dir="auto" />
          </label>
          <p className="muted">
            Variables: {cannedVariables.map((v) => `{{${v}}}`).join(", ")}
          </p>
          <div className="button-row">
            <button type="submit" className="primary" data-testid="canned-save">
              {editing ? "Save" : "Add saved reply"}
            </button>
            {editing && (
              <button type="button" onClick={() => (setEditing(null), setForm(empty))}>
                Cancel
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
