import { useState, type FormEvent } from "react";
import { roles, type Role } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { ErrorMessage } from "../error-message";

const empty = { email: "", name: "", role: "agent" as Role, password: "" };

export function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState(empty);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setDone(null);
    try {
      const { user } = await api.createUser({ ...form, email: form.email.trim(), name: form.name.trim() });
      setDone(`Added ${user.name}.`);
      setForm(empty);
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <div>
      <form className="form-grid" onSubmit={submit}>
        <label>
          Email
          <input
            type="email"
            required
            autoComplete="off"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
            data-testid="user-email"
          />
        </label>
        <label>
          Name
          <input
            required
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            data-testid="user-name"
          />
        </label>
        <label>
          Role
          <select
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
            data-testid="user-role"
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Password <span className="muted">(at least 10 characters)</span>
          <input
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            data-testid="user-password"
          />
        </label>
        <ErrorMessage error={error} />
        <div className="button-row">
          <button type="submit" className="primary" disabled={pending} data-testid="user-create">
            {pending ? "Adding…" : "Add user"}
          </button>
          {done && (
            <span role="status" className="text-success">
              {done}
            </span>
          )}
        </div>
      </form>
    </div>
  );
}
