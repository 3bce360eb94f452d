import { useState, type FormEvent } from "react";
import { api } from "../api";
import { ErrorMessage } from "../components/error-message";
import type { Session } from "../session";

export function LoginPage({ onLoggedIn }: { onLoggedIn: (session: Session) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await api.login({ email: email.trim(), password });
      onLoggedIn(await api.me());
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">Parley</h1>
        <p className="muted">Sign in to your team inbox.</p>
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            autoFocus
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="login-email"
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={pending} data-testid="login-submit">
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
