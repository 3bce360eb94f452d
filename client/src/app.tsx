import { useCallback, useEffect, useMemo, useState } from "react";
import { api, ApiError, setUnauthorizedHandler } from "./api";
import { ErrorMessage } from "./components/error-message";
import { TopBar } from "./components/top-bar";
import { AdminPage } from "./pages/admin-page";
import { InboxPage } from "./pages/inbox-page";
import { LoginPage } from "./pages/login-page";
import { ReportPage } from "./pages/report-page";
import { canSee, homeFor, navigate, parseHash, useHash } from "./router";
import { SessionContext, type Session, type SessionContextValue } from "./session";
import { connectSocket, disconnectSocket, setSocketRejectedHandler } from "./socket";

type Boot = { state: "loading" } | { state: "failed"; error: unknown } | { state: "ready"; session: Session | null };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: "loading" });
  const route = parseHash(useHash());

  const probe = useCallback(() => {
    setBoot({ state: "loading" });
    api
      .me()
      .then((session) => setBoot({ state: "ready", session }))
      .catch((error: unknown) =>
        setBoot(error instanceof ApiError && error.status === 401 ? { state: "ready", session: null } : { state: "failed", error }),
      );
  }, []);

  useEffect(probe, [probe]);

  // Any 401 after login means the session ended: back to the login form.
  useEffect(() => {
    const ended = () => setBoot({ state: "ready", session: null });
    setUnauthorizedHandler(ended);
    // The live connection was refused: find out whether the session is still valid.
    setSocketRejectedHandler(() => {
      api.me().catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) ended();
      });
    });
    return () => {
      setUnauthorizedHandler(null);
      setSocketRejectedHandler(null);
    };
  }, []);

  const session = boot.state === "ready" ? boot.session : null;
  const userId = session?.user.id;
  useEffect(() => {
    if (!userId) return;
    connectSocket();
    return () => disconnectSocket();
  }, [userId]);

  const logout = useCallback(() => {
    disconnectSocket();
    api.logout().catch(() => undefined);
    setBoot({ state: "ready", session: null });
    navigate({ page: "login" });
  }, []);

  const onLoggedIn = useCallback((next: Session) => {
    setBoot({ state: "ready", session: next });
    // Keep a deep link the user opened before logging in, if their role may see it.
    const wanted = parseHash(window.location.hash);
    if (wanted.page === "login" || wanted.page === "none" || !canSee(wanted.page, next.user.role)) {
      navigate(homeFor(next.user.role), { replace: true });
    }
  }, []);

  const contextValue = useMemo<SessionContextValue | null>(() => (session ? { ...session, logout } : null), [session, logout]);

  // Send a logged-in user away from pages their role cannot see.
  const role = session?.user.role;
  const blocked = role !== undefined && !canSee(route.page, role);
  useEffect(() => {
    if (role && blocked) navigate(homeFor(role), { replace: true });
  }, [role, blocked]);

  if (boot.state === "loading") {
    return (
      <p className="boot" role="status">
        Loading Parley…
      </p>
    );
  }
  if (boot.state === "failed") {
    return (
      <main className="boot">
        <ErrorMessage error={boot.error} />
        <button type="button" onClick={probe}>
          Try again
        </button>
      </main>
    );
  }
  if (!contextValue) return <LoginPage onLoggedIn={onLoggedIn} />;

  return (
    <SessionContext.Provider value={contextValue}>
      <div className="app">
        <TopBar route={route} />
        <main className="app-main">
          {route.page === "inbox" && <InboxPage conversationId={route.conversationId} />}
          {route.page === "reports" && !blocked && <ReportPage />}
          {route.page === "admin" && !blocked && <AdminPage />}
        </main>
      </div>
    </SessionContext.Provider>
  );
}
