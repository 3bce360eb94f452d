import { CannedPanel } from "../components/admin/canned-panel";
import { ChannelsPanel } from "../components/admin/channels-panel";
import { LabelsPanel } from "../components/admin/labels-panel";
import { UsersPanel } from "../components/admin/users-panel";

const sections = [
  { id: "channels", label: "Channels" },
  { id: "users", label: "Users" },
  { id: "labels", label: "Labels" },
  { id: "canned", label: "Saved replies" },
] as const;

export function AdminPage({ section }: { section: string | null }) {
  const current = sections.find((s) => s.id === section)?.id ?? "channels";
  return (
    <div className="page admin-page">
      <h1>Admin</h1>
      <nav className="sub-nav" aria-label="Admin sections">
        {sections.map((s) => (
          <a key={s.id} href={`#/admin/${s.id}`} aria-current={current === s.id ? "page" : undefined} data-testid={`admin-${s.id}`}>
            {s.label}
          </a>
        ))}
      </nav>
      {current === "channels" && <ChannelsPanel />}
      {current === "users" && <UsersPanel />}
      {current === "labels" && <LabelsPanel />}
      {current === "canned" && <CannedPanel />}
    </div>
  );
}
