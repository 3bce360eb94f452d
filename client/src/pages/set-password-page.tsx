import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { SetPasswordRequest } from "../../../shared/schemas/index.js";
import { api } from "../api";
import { ErrorMessage } from "../components/error-message";
import { validateForm } from "../lib/errors";
import { navigate } from "../router";

/** The landing page of an invitation or reset link: choose a password, then sign in. */
export function SetPasswordPage({ token }: { token: string }) {
  const info = useQuery({ queryKey: ["token-info", token], queryFn: () => api.tokenInfo(token), enabled: token.length >= 20, retry: false });
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== repeat) {
      setError(new Error("The two passwords are not the same."));
      return;
    }
    setPending(true);
    setError(null);
    try {
      await api.setPassword(validateForm(SetPasswordRequest, { token, password }));
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  const invalid = token.length < 20 || info.isError;
  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="setpw-title" noValidate data-testid="set-password">
        <h1 id="setpw-title">{info.data?.purpose === "reset" ? "Reset your password" : "Welcome to Parley"}</h1>
        {invalid ? (
          <>
            <p className="error-message" role="alert">
              This link is not valid any more. Links work once and expire; ask an admin for a new one.
            </p>
            <a href="#/login">Go to sign in</a>
          </>
        ) : done ? (
          <>
            <p role="status" data-testid="set-password-done">
              Your password is set. You can sign in now.
            </p>
            <button type="button" className="primary" onClick={() => navigate({ page: "login" })}>
              Sign in
            </button>
          </>
        ) : (
          <>
            <p className="muted">{info.data ? `Choose a password for ${info.data.name} (${info.data.email}).` : "Checking the link…"}</p>
            <label>
              New password
              <input type="password" autoComplete="new-password" value={password} minLength={10} required onChange={(e) => setPassword(e.target.value)} data-testid="set-password-new" />
            </label>
            <label>
              The same again
              <input type="password" autoComplete="new-password" value={repeat} required onChange={(e) => setRepeat(e.target.value)} data-testid="set-password-repeat" />
            </label>
            <p className="muted">At least 10 characters.</p>
            <ErrorMessage error={error} />
            <button type="submit" className="primary" disabled={pending || !info.data} data-testid="set-password-submit">
              {pending ? "Saving…" : "Set password"}
            </button>
          </>
        )}
      </form>
    </main>
  );
}
