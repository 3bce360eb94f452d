import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import type { User } from "../../shared/schemas/index.js";
import { api, ApiError, setUnauthorizedHandler } from "./api";
import { ErrorMessage } from "./components/error-message";
import { ShortcutsHelp } from "./components/shell/shortcuts-help";
import { Rail } from "./components/shell/rail";
import { TopBar } from "./components/shell/top-bar";
import { useGlobalShortcuts } from "./hooks/use-shortcuts";
import { usePrefs } from "./lib/prefs";
import { useLiveSync } from "./live/live-sync";
import { clearLive } from "./live/store";
import { InboxPage } from "./pages/inbox-page";
import { LoginPage } from "./pages/login-page";
import { SetPasswordPage } from "./pages/set-password-page";
import { canSee, homeFor, navigate, parseHash, useHash, type Route } from "./router";
import { SessionContext, useSession, type Session, type SessionContextValue } from "./session";
import { connectSocket, disconnectSocket, setSocketRejectedHandler } from "./socket";

// Pages most agents never open load on demand, keeping the main bundle small.
const AdminPage = lazy(() => import("./pages/admin-page").then((m) => ({ default: m.AdminPage })));
const ReportPage = lazy(() => import("./pages/report-page").then((m) => ({ default: m.ReportPage })));
const ProfilePage = lazy(() => import("./pages/profile-page").then((m) => ({ default: m.ProfilePage })));

type Boot = { state: "loading" } | { state: "failed"; error: unknown } | { state: "ready"; session: Session | null };

const titles: Record<Route["page"], string> = {
  inbox: "Inbox",
  reports: "Reports",
  admin: "Admin",
  profile: "Profile",
  login: "",
  "set-password": "",
  none: "",
};

/** Sets data-theme on <html> to "light" or "dark": the switch's choice, or the system's (followed live) on "system". */
function useThemeAttribute() {
  const { theme } = usePrefs();
  useEffect(() => {
    const root = document.documentElement;
    if (theme !== "system") {
      root.setAttribute("data-theme", theme);
      return;
    }
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const apply = () => root.setAttribute("data-theme", query.matches ? "dark" : "light");
    apply();
    query.addEventListener("change", apply);
    return () => query.removeEventListener("change", apply);
  }, [theme]);
}

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: "loading" });
  const route = parseHash(useHash());
  const qc = useQueryClient();
  useThemeAttribute();

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

  const ended = useCallback(() => {
    disconnectSocket();
    clearLive();
    qc.clear();
    setBoot({ state: "ready", session: null });
  }, [qc]);

  // Any 401 after login means the session ended: back to the login form.
  useEffect(() => {
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
  }, [ended]);

  const session = boot.state === "ready" ? boot.session : null;
  const userId = session?.user.id;
  useEffect(() => {
    if (!userId) return;
    connectSocket();
    return () => disconnectSocket();
  }, [userId]);

  const logout = useCallback(() => {
    api.logout().catch(() => undefined);
    ended();
    navigate({ page: "login" });
  }, [ended]);

  const updateUser = useCallback((user: User) => {
    setBoot((b) => (b.state === "ready" && b.session && b.session.user.id === user.id ? { state: "ready", session: { ...b.session, user } } : b));
  }, []);

  const onLoggedIn = useCallback((next: Session) => {
    setBoot({ state: "ready", session: next });
    // Keep a deep link the user opened before logging in, if their role may see it.
    const wanted = parseHash(window.location.hash);
    if (wanted.page === "login" || wanted.page === "none" || wanted.page === "set-password" || !canSee(wanted.page, next.user.role)) {
      navigate(homeFor(next.user.role), { replace: true });
    }
  }, []);

  const contextValue = useMemo<SessionContextValue | null>(() => (session ? { ...session, logout, updateUser } : null), [session, logout, updateUser]);

  // Send a logged-in user away from pages their role cannot see.
  const role = session?.user.role;
  const blocked = role !== undefined && route.page !== "set-password" && !canSee(route.page, role);
  useEffect(() => {
    if (role && blocked) navigate(homeFor(role), { replace: true });
  }, [role, blocked]);

  // An invitation or reset link works whether or not someone is logged in on this browser.
  if (route.page === "set-password") return <SetPasswordPage token={route.token} />;
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
      <Shell route={route} blocked={blocked} />
    </SessionContext.Provider>
  );
}

function Shell({ route, blocked }: { route: Route; blocked: boolean }) {
  const { user, updateUser } = useSession();
  const [help, setHelp] = useState(false);
  useLiveSync(user.id, updateUser);
  useGlobalShortcuts({ onHelp: () => setHelp(true) });
  return (
    <div className={`app page-${route.page}${route.page === "inbox" && route.conversationId ? " has-conversation" : ""}`}>
      <Rail route={route} />
      <div className="app-body">
        <TopBar title={titles[route.page]} onHelp={() => setHelp(true)} />
        <main className="app-main" id="main">
          <Suspense fallback={<p className="muted page">Loading…</p>}>
            {route.page === "inbox" && <InboxPage conversationId={route.conversationId} />}
            {route.page === "reports" && !blocked && <ReportPage section={route.section} />}
            {route.page === "admin" && !blocked && <AdminPage section={route.section} />}
            {route.page === "profile" && <ProfilePage />}
          </Suspense>
        </main>
      </div>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
