import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CreateTeamRequest, UpdateTeamRequest, type BusinessHours, type Channel, type Team, type User } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { useTeams, useUsers } from "../../hooks/queries";
import { validateForm } from "../../lib/errors";
import { keys } from "../../query-client";
import { ErrorMessage } from "../error-message";
import { BusinessHoursEditor, defaultHours, holidaysToText, textToHolidays } from "./business-hours-editor";

const policyWords = { manual: "Manual (people pick from the queue)", round_robin: "Round robin (online members in turn)", least_loaded: "Least loaded (fewest open conversations)" } as const;

/** Admin → Teams: who is in each team, which channels feed its queue, and how its queue is served. */
export function TeamsPanel() {
  const qc = useQueryClient();
  const { data: teams, error: loadError, isLoading } = useTeams();
  const { data: users } = useUsers();
  const { data: channels } = useQuery({ queryKey: keys.channels, queryFn: async () => (await api.listChannels()).items });
  const [name, setName] = useState("");
  const [error, setError] = useState<unknown>(null);
  const reload = () => qc.invalidateQueries({ queryKey: keys.teams });

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api.createTeam(validateForm(CreateTeamRequest, { name }));
      setName("");
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="admin-section" aria-labelledby="teams-title">
      <h2 id="teams-title">Teams</h2>
      <ErrorMessage error={loadError} />
      {isLoading && <p className="muted">Loading teams…</p>}
      {teams === null && <p className="muted">Teams are not available on this server yet.</p>}
      {teams?.length === 0 && <p className="muted">No teams: every agent sees every conversation.</p>}
      {teams?.map((t) => <TeamCard key={t.id} team={t} users={users ?? []} channels={channels ?? []} teams={teams} onChanged={() => void reload()} />)}
      {teams !== null && (
        <form className="panel form-row" onSubmit={create}>
          <label>
            New team
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} data-testid="team-new-name" dir="auto" />
          </label>
          <button type="submit" className="primary" disabled={!name.trim()} data-testid="team-create">
            Add team
          </button>
          <ErrorMessage error={error} />
        </form>
      )}
    </section>
  );
}

interface Draft {
  name: string;
  memberIds: string[];
  channelIds: string[];
  policy: Team["assignment"]["policy"];
  capacity: string;
  whenOffline: Team["assignment"]["whenOffline"];
  ownHours: boolean;
  hours: BusinessHours;
  holidays: string;
}

const toDraft = (t: Team): Draft => ({
  name: t.name,
  memberIds: t.memberIds,
  channelIds: t.channelIds,
  policy: t.assignment.policy,
  capacity: t.assignment.capacity === null ? "" : String(t.assignment.capacity),
  whenOffline: t.assignment.whenOffline,
  ownHours: t.businessHours !== null,
  hours: t.businessHours ?? defaultHours(),
  holidays: holidaysToText(t.businessHours?.holidays ?? []),
});

const toggle = (list: string[], id: string, on: boolean) => (on ? [...new Set([...list, id])] : list.filter((x) => x !== id));

function TeamCard({ team, users, channels, teams, onChanged }: { team: Team; users: User[]; channels: Channel[]; teams: Team[]; onChanged: () => void }) {
  const [d, setD] = useState<Draft | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const channelTeam = new Map(teams.flatMap((t) => t.channelIds.map((c) => [c, t] as const)));
  const names = (ids: string[], all: { id: string; name: string }[]) => ids.map((id) => all.find((x) => x.id === id)?.name ?? "…").join(", ") || "none";

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      setD(null);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function save(e: FormEvent) {
    e.preventDefault();
    if (!d) return;
    void run(() =>
      api.updateTeam(
        team.id,
        validateForm(UpdateTeamRequest, {
          name: d.name,
          memberIds: d.memberIds,
          channelIds: d.channelIds,
          assignment: { policy: d.policy, capacity: d.capacity.trim() ? Number(d.capacity) : null, whenOffline: d.whenOffline },
          businessHours: d.ownHours ? { ...d.hours, holidays: textToHolidays(d.holidays) } : null,
        }),
      ),
    );
  }

  return (
    <article className="panel team-card" data-testid="team" data-team-id={team.id} aria-labelledby={`team-${team.id}`}>
      <header className="channel-card-header">
        <h3 id={`team-${team.id}`} dir="auto">
          {team.name}
        </h3>
        <span className="badge">{policyWords[team.assignment.policy].split(" (")[0]}</span>
        <span className="badge" data-testid="team-waiting">
          {team.waiting} waiting
        </span>
      </header>
      <dl className="facts">
        <dt>Members</dt>
        <dd data-testid="team-members">{names(team.memberIds, team.members)}</dd>
        <dt>Channels</dt>
        <dd data-testid="team-channels">{names(team.channelIds, channels)}</dd>
        <dt>Capacity</dt>
        <dd>{team.assignment.capacity ?? "no limit"} open conversations a person</dd>
        <dt>Hours</dt>
        <dd>{team.businessHours ? `its own (${team.businessHours.timeZone})` : "the workspace's"}</dd>
      </dl>
      <div className="button-row">
        <button type="button" aria-expanded={d !== null} onClick={() => setD(d ? null : toDraft(team))} data-testid="team-edit">
          {d ? "Cancel edit" : "Edit"}
        </button>
        {confirmDelete ? (
          <span role="alert">
            Delete “{team.name}”? Its conversations leave its queue.{" "}
            <button type="button" className="button-small danger" disabled={busy} onClick={() => void run(() => api.deleteTeam(team.id))} data-testid="team-delete-confirm">
              Delete
            </button>{" "}
            <button type="button" className="button-small" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)} data-testid="team-delete">
            Delete…
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
      {d && (
        <form className="form-grid team-form" onSubmit={save} data-testid="team-form">
          <label>
            Name
            <input required maxLength={100} value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} dir="auto" />
          </label>
          <label>
            Assignment
            <select value={d.policy} onChange={(e) => setD({ ...d, policy: e.target.value as Draft["policy"] })} data-testid="team-policy">
              {Object.entries(policyWords).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label>
            Capacity <span className="muted">(open conversations a person; empty: no limit)</span>
            <input type="number" min={1} max={1000} value={d.capacity} onChange={(e) => setD({ ...d, capacity: e.target.value })} data-testid="team-capacity" />
          </label>
          <label>
            When a member goes offline
            <select value={d.whenOffline} onChange={(e) => setD({ ...d, whenOffline: e.target.value as Draft["whenOffline"] })} data-testid="team-offline">
              <option value="requeue">Their open conversations return to the queue</option>
              <option value="keep">They keep their conversations</option>
            </select>
          </label>
          <fieldset className="wide check-list">
            <legend>Members</legend>
            {users
              .filter((u) => u.active !== false || d.memberIds.includes(u.id))
              .map((u) => (
                <label key={u.id} className="checkbox">
                  <input type="checkbox" checked={d.memberIds.includes(u.id)} onChange={(e) => setD({ ...d, memberIds: toggle(d.memberIds, u.id, e.target.checked) })} /> {u.name}
                </label>
              ))}
          </fieldset>
          <fieldset className="wide check-list">
            <legend>Channels (a channel belongs to one team at most)</legend>
            {channels.length === 0 && <span className="muted">No channels yet.</span>}
            {channels.map((c) => {
              const other = channelTeam.get(c.id);
              return (
                <label key={c.id} className="checkbox">
                  <input type="checkbox" checked={d.channelIds.includes(c.id)} onChange={(e) => setD({ ...d, channelIds: toggle(d.channelIds, c.id, e.target.checked) })} /> {c.name}
                  {other && other.id !== team.id && <span className="muted"> (now in {other.name})</span>}
                </label>
              );
            })}
          </fieldset>
          <label className="checkbox wide">
            <input type="checkbox" checked={d.ownHours} onChange={(e) => setD({ ...d, ownHours: e.target.checked })} data-testid="team-own-hours" /> Own business hours
            (otherwise the workspace's)
          </label>
          {d.ownHours && (
            <div className="wide">
              <BusinessHoursEditor
                idPrefix={`team-${team.id}`}
                value={d.hours}
                onChange={(hours) => setD({ ...d, hours })}
                holidaysText={d.holidays}
                onHolidaysText={(holidays) => setD({ ...d, holidays })}
              />
            </div>
          )}
          <div className="button-row">
            <button type="submit" className="primary" disabled={busy} data-testid="team-save">
              Save team
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
