import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { LabelInput, type Label } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { useLabels } from "../../hooks/queries";
import { validateForm } from "../../lib/errors";
import { keys } from "../../query-client";
import { ErrorMessage } from "../error-message";

const suggested = ["#1f6feb", "#0e7a5f", "#b45309", "#be185d", "#7c3aed", "#b42318", "#4b5563"];

/** Workspace labels with their colours: add, rename, recolour, delete. */
export function LabelsPanel() {
  const qc = useQueryClient();
  const { data: labels, error: loadError, isLoading } = useLabels();
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState({ name: "", color: suggested[0]!, description: "" });
  const reload = () => qc.invalidateQueries({ queryKey: keys.labels });

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api.createLabel(validateForm(LabelInput, { name: form.name, color: form.color, description: form.description.trim() || null }));
      setForm({ name: "", color: form.color, description: "" });
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="admin-section" aria-labelledby="labels-title">
      <h2 id="labels-title">Labels</h2>
      <ErrorMessage error={error ?? loadError} />
      {isLoading && <p className="muted">Loading labels…</p>}
      {labels === null && <p className="muted">Labels are not available on this server yet.</p>}
      {labels && labels.length === 0 && <p className="muted">No labels yet.</p>}
      {labels && labels.length > 0 && (
        <ul className="label-admin-list">
          {labels.map((l) => (
            <LabelRow key={l.id} label={l} onSave={(body) => run(() => api.updateLabel(l.id, body))} onDelete={() => run(() => api.deleteLabel(l.id))} />
          ))}
        </ul>
      )}
      {labels !== null && (
        <form className="form-row panel" onSubmit={create}>
          <label>
            Name
            <input required maxLength={50} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="label-name" dir="auto" />
          </label>
          <label>
            Colour
            <input type="color" value={form.color} onChange={(e) => setForm({ ...form, color: e.target.value })} data-testid="label-color" />
          </label>
          <label>
            Description
            <input maxLength={200} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          </label>
          <button type="submit" className="primary" disabled={!form.name.trim()} data-testid="label-create">
            Add label
          </button>
        </form>
      )}
    </section>
  );
}

function LabelRow({ label, onSave, onDelete }: { label: Label; onSave: (body: { name?: string; color?: string }) => Promise<void>; onDelete: () => Promise<void> }) {
  const [name, setName] = useState(label.name);
  const [confirm, setConfirm] = useState(false);
  return (
    <li className="label-admin" data-testid="label-row">
      <input type="color" aria-label={`Colour of ${label.name}`} value={label.color} onChange={(e) => void onSave({ color: e.target.value })} />
      <input aria-label={`Name of ${label.name}`} value={name} maxLength={50} onChange={(e) => setName(e.target.value)} dir="auto" />
      {name.trim() && name.trim() !== label.name && (
        <button type="button" className="button-small" onClick={() => void onSave({ name: name.trim() })}>
          Rename
        </button>
      )}
      {label.description && <span className="muted">{label.description}</span>}
      {confirm ? (
        <span role="alert">
          Delete “{label.name}” from every conversation?{" "}
          <button type="button" className="button-small danger" onClick={() => void onDelete()}>
            Delete
          </button>{" "}
          <button type="button" className="button-small" onClick={() => setConfirm(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="button-small danger" onClick={() => setConfirm(true)} aria-label={`Delete the label ${label.name}`}>
          Delete
        </button>
      )}
    </li>
  );
}
