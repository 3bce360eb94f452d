import { useState, type FormEvent } from "react";
import { UpdateMeRequest } from "../../../shared/schemas/index.js";
import { api } from "../api";
import { Avatar } from "../components/avatar";
import { ErrorMessage } from "../components/error-message";
import { validateForm } from "../lib/errors";
import { useSession } from "../session";

/** My name, my password, and signing out everywhere. */
export function ProfilePage() {
  const { user, workspace, updateUser, logout } = useSession();
  const [name, setName] = useState(user.name);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pwError, setPwError] = useState<unknown>(null);

  async function saveName(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setStatus(null);
    try {
      const res = await api.updateMe({ name: name.trim() });
      updateUser(res.user);
      setStatus("Name saved.");
    } catch (err) {
      setError(err);
    }
  }

  async function changePassword(e: FormEvent) {
    e.preventDefault();
    setPwError(null);
    setStatus(null);
    try {
      await api.updateMe(validateForm(UpdateMeRequest, { currentPassword: current, newPassword: next }));
      setCurrent("");
      setNext("");
      setStatus("Password changed. Your other sessions were signed out.");
    } catch (err) {
      setPwError(err);
    }
  }

  async function everywhere() {
    setError(null);
    try {
      await api.logoutEverywhere();
      logout();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="page profile-page">
      <div className="profile-head">
        <Avatar name={user.name} size={56} />
        <div>
          <h1>{user.name}</h1>
          <p className="muted">
            {user.email} · {user.role} · {workspace.name}
          </p>
        </div>
      </div>
      {status && (
        <p className="notice" role="status" data-testid="profile-status">
          {status}
        </p>
      )}
      <section className="card">
        <h2>Your name</h2>
        <form className="form-row" onSubmit={saveName}>
          <label>
            Name
            <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="profile-name" dir="auto" />
          </label>
          <button type="submit" className="primary" disabled={!name.trim() || name.trim() === user.name} data-testid="profile-save-name">
            Save
          </button>
        </form>
        <ErrorMessage error={error} />
      </section>
      <section className="card">
        <h2>Password</h2>
        <form className="form-grid" onSubmit={changePassword}>
          <label>
            Current password
            <input type="password" autoComplete="current-password" value={current} required onChange={(e) => setCurrent(e.target.value)} data-testid="profile-current-password" />
          </label>
          <label>
            New password (at least 10 characters)
            <input type="password" autoComplete="new-password" value={next} minLength={10} required onChange={(e) => setNext(e.target.value)} data-testid="profile-new-password" />
          </label>
          <ErrorMessage error={pwError} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={!current || next.length < 10} data-testid="profile-change-password">
              Change password
            </button>
          </div>
        </form>
      </section>
      <section className="card">
        <h2>Sessions</h2>
        <p className="muted">Signed in on a shared or lost device? End every session, including this one.</p>
        <button type="button" className="danger" onClick={() => void everywhere()} data-testid="logout-everywhere">
          Sign out everywhere
        </button>
      </section>
    </div>
  );
}
