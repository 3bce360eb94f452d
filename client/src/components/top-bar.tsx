import { canSee, type Route } from "../router";
import { useSession } from "../session";
import { useConnectionState } from "../hooks/use-server-event";

const links = [
  { page: "inbox", label: "Inbox", href: "#/inbox" },
  { page: "reports", label: "Reports", href: "#/reports" },
  { page: "admin", label: "Admin", href: "#/admin" },
] as const;

const connectionLabels = {
  online: "Live",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  offline: "Offline",
} as const;

export function TopBar({ route }: { route: Route }) {
  const { user, workspace, logout } = useSession();
  const connection = useConnectionState();
  return (
    <header className="top-bar">
      <a className="brand" href="#/inbox">
        Parley
      </a>
      <nav aria-label="Main">
        <ul>
          {links
            .filter((link) => canSee(link.page, user.role))
            .map((link) => (
              <li key={link.page}>
                <a
                  href={link.href}
                  data-testid={`nav-${link.page}`}
                  aria-current={route.page === link.page ? "page" : undefined}
                >
                  {link.label}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <div className="top-bar-end">
        <span
          className={`connection connection-${connection}`}
          data-testid="connection-state"
          title="Live updates connection"
        >
          {connectionLabels[connection]}
        </span>
        <span className="who" data-testid="current-user">
          <span className="who-name">{user.name}</span>{" "}
          <span className="role-badge">{user.role}</span>
          <span className="workspace-name"> · {workspace.name}</span>
        </span>
        <button type="button" className="button-link" onClick={logout} data-testid="logout">
          Log out
        </button>
      </div>
    </header>
  );
}
