import type { InboxView } from "../../../../shared/schemas/index.js";
import { useCounts } from "../../hooks/queries";
import { canSee, type Route } from "../../router";
import { useSession } from "../../session";
import { Avatar } from "../avatar";
import { Icon, type IconName } from "../icons";

const links: { page: "inbox" | "reports" | "admin"; label: string; href: string; icon: IconName }[] = [
  { page: "inbox", label: "Inbox", href: "#/inbox", icon: "inbox" },
  { page: "reports", label: "Reports", href: "#/reports", icon: "chart" },
  { page: "admin", label: "Admin", href: "#/admin", icon: "settings" },
];

/** A count for a badge: "99+" past 99, "cap+" when the server capped it. */
export function countLabel(n: number | undefined, cap?: number): string | null {
  if (n === undefined || n <= 0) return null;
  if (cap !== undefined && n >= cap) return `${cap}+`;
  return n > 99 ? "99+" : String(n);
}

/** The navigation rail: icons with labels (a bottom bar on phones), the inbox count, my avatar. */
export function Rail({ route }: { route: Route }) {
  const { user } = useSession();
  const counts = useCounts().data;
  const mineView: InboxView = "mine";
  const badge = counts ? countLabel(counts.counts[mineView], counts.cap) : null;
  return (
    <nav className="rail" aria-label="Main">
      <a className="rail-brand" href="#/inbox" aria-label="Parley home">
        <span aria-hidden="true">P</span>
      </a>
      <ul>
        {links
          .filter((link) => canSee(link.page, user.role))
          .map((link) => (
            <li key={link.page}>
              <a href={link.href} data-testid={`nav-${link.page}`} aria-current={route.page === link.page ? "page" : undefined}>
                <Icon name={link.icon} size={20} />
                <span className="rail-label">{link.label}</span>
                {link.page === "inbox" && badge && (
                  <span className="rail-badge" data-testid="nav-inbox-count" title={`${badge} assigned to you`}>
                    {badge}
                    <span className="visually-hidden"> assigned to you</span>
                  </span>
                )}
              </a>
            </li>
          ))}
        <li className="rail-profile">
          <a href="#/profile" data-testid="nav-profile" aria-current={route.page === "profile" ? "page" : undefined}>
            <Avatar name={user.name} size={26} />
            <span className="rail-label">Profile</span>
          </a>
        </li>
      </ul>
    </nav>
  );
}
