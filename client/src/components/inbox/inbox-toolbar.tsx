import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  conversationKinds,
  conversationStatuses,
  inboxViews,
  platforms,
  priorities,
  type InboxView,
  type SavedView,
} from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { useCounts, useLabels, useSavedViews, useTeams, useActiveUsers } from "../../hooks/queries";
import { sortLabels, viewLabels, type InboxParams, type ListFilters, type SortKey } from "../../inbox/list-params";
import { errorText } from "../../lib/errors";
import { keys } from "../../query-client";
import { kindLabels, platformLabel } from "../../social/platforms";
import { Icon } from "../icons";
import { Popover } from "../shell/popover";
import { countLabel } from "../shell/rail";
import { priorityLabels } from "./sla-badge";

interface Props {
  params: InboxParams;
  onChange: (params: InboxParams) => void;
  listId: string;
}

/** The preset views with live counts, and the saved views. */
export function ViewTabs({ params, onChange, listId }: Props) {
  const counts = useCounts().data;
  const saved = useSavedViews().data;
  const qc = useQueryClient();
  return (
    <div className="views" role="group" aria-label="Views">
      {inboxViews.map((view: InboxView) => {
        const n = counts ? countLabel(counts.counts[view], counts.cap) : null;
        const selected = params.view === view && isPlain(params);
        return (
          <button
            key={view}
            type="button"
            aria-pressed={selected}
            aria-controls={listId}
            className="view-chip"
            data-testid={`view-${view}`}
            onClick={() => onChange({ ...params, view, filters: {}, q: "" })}
          >
            {viewLabels[view]}
            {n && (
              <span className="view-count" data-testid={`view-count-${view}`}>
                {n}
              </span>
            )}
          </button>
        );
      })}
      {saved?.map((v: SavedView) => (
        <span key={v.id} className="saved-view">
          <button
            type="button"
            aria-pressed={isSavedView(params, v)}
            aria-controls={listId}
            className="view-chip view-saved"
            data-testid="saved-view"
            onClick={() => onChange(savedViewParams(v))}
          >
            {v.name}
          </button>
          <button
            type="button"
            className="icon-button tiny"
            aria-label={`Delete the saved view ${v.name}`}
            onClick={() => void api.deleteView(v.id).then(() => qc.invalidateQueries({ queryKey: keys.views }))}
          >
            <Icon name="close" size={12} />
          </button>
        </span>
      ))}
    </div>
  );
}

function isPlain(p: InboxParams): boolean {
  return Object.keys(p.filters).length === 0 && !p.q;
}

function savedViewParams(v: SavedView): InboxParams {
  return { view: v.filters.view ?? "all", filters: stripView(v.filters), sort: v.sort, q: v.filters.q ?? "" };
}

/** Whether the list shows exactly what a saved view holds, so its tab reads as the chosen one. */
export function isSavedView(p: InboxParams, v: SavedView): boolean {
  const s = savedViewParams(v);
  if (p.view !== s.view || p.sort !== s.sort || p.q !== s.q) return false;
  const a = p.filters as Record<string, unknown>;
  const b = s.filters as Record<string, unknown>;
  const keysOf = (f: Record<string, unknown>) => Object.keys(f).filter((k) => f[k] !== undefined && f[k] !== null && f[k] !== "");
  return keysOf(a).length === keysOf(b).length && keysOf(a).every((k) => a[k] === b[k]);
}

function stripView(f: SavedView["filters"]): ListFilters {
  const { view: _v, q: _q, ...rest } = f;
  return rest;
}

/** The active filters as removable chips, the filter menu, the sort, and "save this view". */
export function FilterBar({ params, onChange }: Props) {
  const users = useActiveUsers();
  const labels = useLabels().data;
  const teams = useTeams().data;
  const channels = useQuery({ queryKey: keys.channels, queryFn: async () => (await api.listChannels()).items, staleTime: 60_000 }).data;
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [saveError, setSaveError] = useState<string | null>(null);
  const views = useSavedViews().data;
  const f = params.filters;
  const set = (change: Partial<ListFilters>) => {
    const next = { ...f, ...change } as Record<string, unknown>;
    for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === "") delete next[k];
    onChange({ ...params, filters: next as ListFilters });
  };

  const chips: { key: keyof ListFilters; text: string }[] = [];
  if (f.channelId) chips.push({ key: "channelId", text: `Channel: ${channels?.find((c) => c.id === f.channelId)?.name ?? "…"}` });
  if (f.platform) chips.push({ key: "platform", text: platformLabel(f.platform) });
  if (f.kind) chips.push({ key: "kind", text: kindLabels[f.kind] });
  if (f.status) chips.push({ key: "status", text: `Status: ${f.status}` });
  if (f.label) chips.push({ key: "label", text: `Label: ${f.label}` });
  if (f.priority) chips.push({ key: "priority", text: `Priority: ${priorityLabels[f.priority]}` });
  if (f.assigneeId) chips.push({ key: "assigneeId", text: `Assignee: ${f.assigneeId === "me" ? "me" : f.assigneeId === "none" ? "nobody" : (users.find((u) => u.id === f.assigneeId)?.name ?? "…")}` });
  if (f.teamId) chips.push({ key: "teamId", text: `Team: ${teams?.find((t) => t.id === f.teamId)?.name ?? "…"}` });

  async function saveView(close: () => void) {
    setSaveError(null);
    try {
      await api.createView({ name: name.trim(), filters: { ...f, view: params.view, q: params.q || undefined }, sort: params.sort });
      setName("");
      await qc.invalidateQueries({ queryKey: keys.views });
      close();
    } catch (err) {
      setSaveError(errorText(err));
    }
  }

  return (
    <div className="filter-bar">
      <Popover label={<><Icon name="filter" size={15} /> Filter{chips.length ? ` (${chips.length})` : ""}</>} buttonClass="button-small" testId="filters-button" ariaLabel="Filters">
        {(close) => (
          <div className="filter-menu" data-testid="filters-menu">
            <FilterSelect label="Channel" value={f.channelId} onChange={(v) => set({ channelId: v })} options={(channels ?? []).map((c) => [c.id, c.name])} testId="filter-channel" />
            <FilterSelect label="Platform" value={f.platform} onChange={(v) => set({ platform: v as ListFilters["platform"] })} options={platforms.map((p) => [p, platformLabel(p)])} testId="filter-platform" />
            <FilterSelect label="Kind" value={f.kind} onChange={(v) => set({ kind: v as ListFilters["kind"] })} options={conversationKinds.map((k) => [k, kindLabels[k]])} testId="filter-kind" />
            <FilterSelect label="Status" value={f.status} onChange={(v) => set({ status: v as ListFilters["status"] })} options={conversationStatuses.map((s) => [s, s])} testId="filter-status" />
            <FilterSelect label="Label" value={f.label} onChange={(v) => set({ label: v })} options={(labels ?? []).map((l) => [l.name, l.name])} testId="filter-label" />
            <FilterSelect label="Priority" value={f.priority} onChange={(v) => set({ priority: v as ListFilters["priority"] })} options={priorities.map((p) => [p, priorityLabels[p]])} testId="filter-priority" />
            <FilterSelect
              label="Assignee"
              value={f.assigneeId}
              onChange={(v) => set({ assigneeId: v })}
              options={[["me", "Me"], ["none", "Nobody"], ...users.map((u) => [u.id, u.name] as [string, string])]}
              testId="filter-assignee"
            />
            {teams && teams.length > 0 && <FilterSelect label="Team" value={f.teamId} onChange={(v) => set({ teamId: v })} options={teams.map((t) => [t.id, t.name])} testId="filter-team" />}
            {views !== null && (
              <form
                className="save-view"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (name.trim()) void saveView(close);
                }}
              >
                <label>
                  Save as a view
                  <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Urgent Instagram" maxLength={100} data-testid="save-view-name" />
                </label>
                <button type="submit" className="button-small" disabled={!name.trim()} data-testid="save-view">
                  Save
                </button>
                {saveError && <p className="text-danger" role="alert">{saveError}</p>}
              </form>
            )}
          </div>
        )}
      </Popover>
      <label className="sort">
        <span className="visually-hidden">Sort by</span>
        <select value={params.sort} onChange={(e) => onChange({ ...params, sort: e.target.value as SortKey })} data-testid="sort">
          {(Object.keys(sortLabels) as SortKey[]).map((s) => (
            <option key={s} value={s}>
              {sortLabels[s]}
            </option>
          ))}
        </select>
      </label>
      {chips.map((chip) => (
        <button key={chip.key} type="button" className="filter-chip" onClick={() => set({ [chip.key]: undefined })} aria-label={`Remove filter ${chip.text}`} data-testid="filter-chip">
          <span dir="auto">{chip.text}</span> <Icon name="close" size={12} />
        </button>
      ))}
      {params.q && (
        <button type="button" className="filter-chip" onClick={() => onChange({ ...params, q: "" })} aria-label={`Remove search ${params.q}`} data-testid="filter-chip-q">
          <span dir="auto">“{params.q}”</span> <Icon name="close" size={12} />
        </button>
      )}
    </div>
  );
}

function FilterSelect({ label, value, onChange, options, testId }: { label: string; value: string | undefined; onChange: (v: string | undefined) => void; options: [string, string][]; testId: string }) {
  return (
    <label>
      {label}
      <select value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)} data-testid={testId}>
        <option value="">Any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
