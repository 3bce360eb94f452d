import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CreateSlaPolicyRequest, UpdateSlaPolicyRequest, type Channel, type SlaPolicy, type Team } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { formatTimeLeft } from "../../format";
import { useTeams } from "../../hooks/queries";
import { validateForm } from "../../lib/errors";
import { keys, orMissing } from "../../query-client";
import { ErrorMessage } from "../error-message";
import { kindWords } from "./pipeline-overrides";

const priorities = ["low", "normal", "high", "urgent"] as const;
const targets = [
  ["firstResponseSeconds", "First response"],
  ["nextResponseSeconds", "Next response"],
  ["resolutionSeconds", "Resolution"],
] as const;
type Match = SlaPolicy["match"];

interface Draft {
  name: string;
  firstResponseSeconds: string;
  nextResponseSeconds: string;
  resolutionSeconds: string;
  businessHours: boolean;
  match: Match;
}
const emptyDraft: Draft = { name: "", firstResponseSeconds: "60", nextResponseSeconds: "", resolutionSeconds: "", businessHours: false, match: { channelIds: [], kinds: [], priorities: [], teamIds: [] } };
const minutesText = (s: number | null) => (s === null ? "" : String(s / 60));
const toDraft = (p: SlaPolicy): Draft => ({
  name: p.name,
  firstResponseSeconds: minutesText(p.firstResponseSeconds),
  nextResponseSeconds: minutesText(p.nextResponseSeconds),
  resolutionSeconds: minutesText(p.resolutionSeconds),
  businessHours: p.businessHours,
  match: p.match,
});
/** Minutes typed → seconds sent; empty → no target. */
const seconds = (m: string) => (m.trim() ? Math.round(Number(m) * 60) : null);
const fromDraft = (d: Draft) => ({
  name: d.name,
  firstResponseSeconds: seconds(d.firstResponseSeconds),
  nextResponseSeconds: seconds(d.nextResponseSeconds),
  resolutionSeconds: seconds(d.resolutionSeconds),
  businessHours: d.businessHours,
  match: d.match,
});

/** Admin → SLA policies: targets per kind of conversation, tried in order; the first that matches applies. */
export function SlaPanel() {
  const qc = useQueryClient();
  const { data: policies, error: loadError, isLoading } = useQuery({ queryKey: keys.slaPolicies, queryFn: () => orMissing(api.listSlaPolicies) });
  const { data: channels } = useQuery({ queryKey: keys.channels, queryFn: async () => (await api.listChannels()).items });
  const teams = useTeams().data ?? [];
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reload = () => qc.invalidateQueries({ queryKey: keys.slaPolicies });

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      await reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  }

  const sorted = [...(policies ?? [])].sort((a, b) => a.position - b.position);
  return (
    <section className="admin-section" aria-labelledby="sla-title">
      <h2 id="sla-title">SLA policies</h2>
      <p className="muted">Policies are tried from the top; the first whose conditions fit a conversation sets its deadlines.</p>
      <ErrorMessage error={loadError ?? error} />
      {isLoading && <p className="muted">Loading policies…</p>}
      {policies === null && <p className="muted">SLA policies are not available on this server yet.</p>}
      {policies?.length === 0 && <p className="muted">No policies: only the platforms' reply windows count as deadlines.</p>}
      <ol className="sla-list">
        {sorted.map((p, i) => (
          <SlaPolicyItem
            key={p.id}
            policy={p}
            first={i === 0}
            last={i === sorted.length - 1}
            channels={channels ?? []}
            teams={teams}
            onSave={(d) => run(() => api.updateSlaPolicy(p.id, validateForm(UpdateSlaPolicyRequest, fromDraft(d))))}
            onMove={(delta) => void run(() => api.updateSlaPolicy(p.id, { position: i + delta }))}
            onDelete={() => void run(() => api.deleteSlaPolicy(p.id))}
          />
        ))}
      </ol>
      {policies !== null &&
        (adding ? (
          <SlaForm
            initial={emptyDraft}
            channels={channels ?? []}
            teams={teams}
            submitLabel="Add policy"
            onCancel={() => setAdding(false)}
            onSubmit={async (d) => {
              if (await run(() => api.createSlaPolicy(validateForm(CreateSlaPolicyRequest, fromDraft(d))))) setAdding(false);
            }}
          />
        ) : (
          <button type="button" className="primary" onClick={() => setAdding(true)} data-testid="sla-new">
            New policy
          </button>
        ))}
    </section>
  );
}

function describeMatch(m: Match, channels: Channel[], teams: Team[]): string {
  const parts: string[] = [];
  if (m.channelIds.length) parts.push(`channels ${m.channelIds.map((id) => channels.find((c) => c.id === id)?.name ?? "…").join(", ")}`);
  if (m.kinds.length) parts.push(m.kinds.map((k) => kindWords[k].toLowerCase()).join(", "));
  if (m.priorities.length) parts.push(`priority ${m.priorities.join(", ")}`);
  if (m.teamIds.length) parts.push(`teams ${m.teamIds.map((id) => teams.find((t) => t.id === id)?.name ?? "…").join(", ")}`);
  return parts.length ? parts.join("; ") : "every conversation";
}

function SlaPolicyItem(props: {
  policy: SlaPolicy;
  first: boolean;
  last: boolean;
  channels: Channel[];
  teams: Team[];
  onSave: (d: Draft) => Promise<boolean>;
  onMove: (delta: -1 | 1) => void;
  onDelete: () => void;
}) {
  const { policy: p, channels, teams } = props;
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const goals = targets.filter(([k]) => p[k] !== null).map(([k, label]) => `${label} ${formatTimeLeft(p[k]! * 1000)}`);
  return (
    <li className="panel" data-testid="sla-policy">
      <div className="channel-card-header">
        <h3 dir="auto">{p.name}</h3>
        {p.businessHours && <span className="badge">business hours</span>}
      </div>
      <p>
        {goals.join(" · ")} <span className="muted">— for {describeMatch(p.match, channels, teams)}</span>
      </p>
      <div className="button-row">
        <button type="button" className="button-small" aria-expanded={editing} onClick={() => setEditing(!editing)} data-testid="sla-edit">
          {editing ? "Cancel edit" : "Edit"}
        </button>
        <button type="button" className="button-small" disabled={props.first} onClick={() => props.onMove(-1)}>
          Move up<span className="visually-hidden"> {p.name}</span>
        </button>
        <button type="button" className="button-small" disabled={props.last} onClick={() => props.onMove(1)}>
          Move down<span className="visually-hidden"> {p.name}</span>
        </button>
        {confirm ? (
          <span role="alert">
            Delete “{p.name}”?{" "}
            <button type="button" className="button-small danger" onClick={props.onDelete} data-testid="sla-delete-confirm">
              Delete
            </button>
          </span>
        ) : (
          <button type="button" className="button-small danger" onClick={() => setConfirm(true)}>
            Delete<span className="visually-hidden"> {p.name}</span>…
          </button>
        )}
      </div>
      {editing && (
        <SlaForm
          initial={toDraft(p)}
          channels={channels}
          teams={teams}
          submitLabel="Save policy"
          onCancel={() => setEditing(false)}
          onSubmit={async (d) => {
            if (await props.onSave(d)) setEditing(false);
          }}
        />
      )}
    </li>
  );
}

function SlaForm(props: { initial: Draft; channels: Channel[]; teams: Team[]; submitLabel: string; onSubmit: (d: Draft) => Promise<void>; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(props.initial);
  const setMatch = <K extends keyof Match>(key: K, id: Match[K][number], on: boolean) =>
    setD({ ...d, match: { ...d.match, [key]: on ? [...d.match[key], id] : (d.match[key] as string[]).filter((x) => x !== id) } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void props.onSubmit(d);
  };
  const checks = <K extends keyof Match>(key: K, legend: string, options: [Match[K][number], string][]) => (
    <fieldset className="wide check-list">
      <legend>{legend} <span className="muted">(none ticked: all)</span></legend>
      {options.map(([id, label]) => (
        <label key={id} className="checkbox">
          <input type="checkbox" checked={(d.match[key] as string[]).includes(id)} onChange={(e) => setMatch(key, id, e.target.checked)} /> {label}
        </label>
      ))}
    </fieldset>
  );
  return (
    <form className="form-grid sla-form" onSubmit={submit} data-testid="sla-form">
      <label>
        Name
        <input required maxLength={100} value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} data-testid="sla-name" dir="auto" />
      </label>
      {targets.map(([key, label]) => (
        <label key={key}>
          {label} within <span className="muted">(minutes; empty: none)</span>
          <input type="number" min={1} step="any" value={d[key]} onChange={(e) => setD({ ...d, [key]: e.target.value })} data-testid={`sla-${key}`} />
        </label>
      ))}
      <label className="checkbox">
        <input type="checkbox" checked={d.businessHours} onChange={(e) => setD({ ...d, businessHours: e.target.checked })} /> Count only business hours
      </label>
      {checks("kinds", "Conversation kinds", Object.entries(kindWords) as [Match["kinds"][number], string][])}
      {checks("priorities", "Priorities", priorities.map((p) => [p, p]))}
      {props.channels.length > 0 && checks("channelIds", "Channels", props.channels.map((c) => [c.id, c.name]))}
      {props.teams.length > 0 && checks("teamIds", "Teams", props.teams.map((t) => [t.id, t.name]))}
      <div className="button-row">
        <button type="submit" className="primary" data-testid="sla-save">
          {props.submitLabel}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
