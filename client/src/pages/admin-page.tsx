import { BotsPanel } from "../components/admin/bots-panel";
import { CannedPanel } from "../components/admin/canned-panel";
import { HoursPanel } from "../components/admin/hours-panel";
import { KnowledgePanel } from "../components/admin/knowledge-panel";
import { LlmPanel } from "../components/admin/llm-panel";
import { SlaPanel } from "../components/admin/sla-panel";
import { TeamsPanel } from "../components/admin/teams-panel";
import { ChannelsPanel } from "../components/admin/channels-panel";
import { LabelsPanel } from "../components/admin/labels-panel";
import { UsersPanel } from "../components/admin/users-panel";

const sections = [
  { id: "channels", label: "Channels" },
  { id: "users", label: "Users" },
  { id: "labels", label: "Labels" },
  { id: "canned", label: "Saved replies" },
  { id: "bots", label: "Bots" },
  { id: "knowledge", label: "Knowledge" },
  { id: "llm", label: "AI model" },
  { id: "teams", label: "Teams" },
  { id: "hours", label: "Business hours" },
  { id: "sla", label: "SLA policies" },
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
      {current === "bots" && <BotsPanel />}
      {current === "knowledge" && <KnowledgePanel />}
      {current === "llm" && <LlmPanel />}
      {current === "teams" && <TeamsPanel />}
      {current === "hours" && <HoursPanel />}
      {current === "sla" && <SlaPanel />}
    </div>
  );
}
