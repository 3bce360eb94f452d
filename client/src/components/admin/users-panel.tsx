import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { InviteUserRequest, roles, type Role, type User } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { useUsers } from "../../hooks/queries";
import { keys } from "../../query-client";
import { validateForm } from "../../lib/errors";
import { useSession } from "../../session";
import { Avatar } from "../avatar";
import { ErrorMessage } from "../error-message";
import { CopyButton } from "./copy-button";
import { CreateUserForm } from "./create-user-form";

/** A one-time link shown once, to copy and hand over (Parley sends no e-mail). */
function LinkBox({ title, link, expiresAt, onClose }: { title: string; link: string; expiresAt: string; onClose: () => void }) {
  return (
    <div className="secret-box" role="status" data-testid="invite-link-box">
      <p>
        <strong>{title}</strong> Send it to them yourself; it works once and expires {new Date(expiresAt).toLocaleString()}. It is not shown again.
      </p>
      <p className="copy-row">
        <code data-testid="invite-link">{link}</code> <CopyButton text={link} label="Copy link" />
      </p>
      <button type="button" className="button-small" onClick={onClose}>
        Done
      </button>
    </div>
  );
}

export function UsersPanel() {
  const { user: me } = useSession();
  const qc = useQueryClient();
  const { data: users, error: loadError, isLoading } = useUsers();
  const [error, setError] = useState<unknown>(null);
  const [link, setLink] = useState<{ title: string; link: string; expiresAt: string } | null>(null);
  const reload = () => qc.invalidateQueries({ queryKey: keys.users });

  async function change(u: User, body: Parameters<typeof api.updateUser>[1]) {
    setError(null);
    try {
      await api.updateUser(u.id, body);
    } catch (err) {
      setError(err);
    }
    await reload();
  }

  async function resetLink(u: User) {
    setError(null);
    try {
      const res = await api.resetLink(u.id);
      setLink({ title: `A password reset link for ${u.name}.`, ...res });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="admin-section" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <ErrorMessage error={error ?? loadError} />
      {link && <LinkBox {...link} onClose={() => setLink(null)} />}
      {isLoading && <p className="muted">Loading users…</p>}
      {users && (
        <div className="table-scroll">
          <table className="data-table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid="user-row" data-user-id={u.id} data-active={u.active !== false}>
                  <td>
                    <span className="user-cell">
                      <Avatar name={u.name} size={24} /> <span dir="auto">{u.name}</span>
                      {u.id === me.id && <span className="muted"> (you)</span>}
                    </span>
                  </td>
                  <td>{u.email}</td>
                  <td>
                    <select
                      aria-label={`Role of ${u.name}`}
                      value={u.role}
                      disabled={u.id === me.id}
                      title={u.id === me.id ? "You cannot change your own role" : undefined}
                      onChange={(e) => void change(u, { role: e.target.value as Role })}
                    >
                      {roles.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{u.active === false ? <span className="badge">deactivated</span> : <span className={`badge availability-${u.availability}`}>{u.availability ?? "active"}</span>}</td>
                  <td className="row-actions">
                    {u.id !== me.id && (
                      <>
                        <button type="button" className="button-small" onClick={() => void resetLink(u)} data-testid="user-reset-link">
                          Reset link
                        </button>
                        <button
                          type="button"
                          className={`button-small${u.active === false ? "" : " danger"}`}
                          onClick={() => void change(u, { active: u.active === false })}
                          data-testid={u.active === false ? "user-reactivate" : "user-deactivate"}
                        >
                          {u.active === false ? "Reactivate" : "Deactivate"}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <InviteForm onInvited={(l) => (setLink(l), void reload())} />
      <details className="panel">
        <summary>Or add a user with a password you choose</summary>
        <CreateUserForm onCreated={() => void reload()} />
      </details>
    </section>
  );
}

function InviteForm({ onInvited }: { onInvited: (link: { title: string; link: string; expiresAt: string }) => void }) {
  const [form, setForm] = useState({ email: "", name: "", role: "agent" as Role });
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      const res = await api.inviteUser(validateForm(InviteUserRequest, { email: form.email.trim(), name: form.name, role: form.role }));
      onInvited({ title: `An invitation for ${res.user.name}.`, link: res.link, expiresAt: res.expiresAt });
      setForm({ email: "", name: "", role: "agent" });
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }
  return (
    <div className="panel">
      <h3>Invite a teammate</h3>
      <p className="muted">They get a one-time link to choose their own password.</p>
      <form className="form-grid" onSubmit={submit} noValidate>
        <label>
          Email
          <input type="email" required autoComplete="off" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} data-testid="invite-email" />
        </label>
        <label>
          Name
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="invite-name" dir="auto" />
        </label>
        <label>
          Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} data-testid="invite-role">
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <ErrorMessage error={error} />
        <div className="button-row">
          <button type="submit" className="primary" disabled={pending} data-testid="invite-send">
            {pending ? "Inviting…" : "Create invitation link"}
          </button>
        </div>
      </form>
    </div>
  );
}
