import { useEffect, useState } from "react";
import { priorities, type Priority } from "../../../../shared/schemas/index.js";
import { useActiveUsers, useLabels, useTeams } from "../../hooks/queries";
import { snoozePresets, toLocalInput } from "../../inbox/snooze";
import { Avatar } from "../avatar";
import { Icon } from "../icons";
import { Popover } from "../shell/popover";
import { priorityLabels } from "./sla-badge";

interface MenuProps {
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  disabled?: boolean;
  compact?: boolean;
}

/** Assign to a person (or nobody) and, where teams exist, to a team. */
export function AssignMenu({ assigneeId, teamId, meId, onAssign, onTeam, ...menu }: MenuProps & { assigneeId: string | null; teamId?: string | null; meId: string; onAssign: (id: string | null) => void; onTeam?: (id: string | null) => void }) {
  const users = useActiveUsers();
  const teams = useTeams().data;
  const [filter, setFilter] = useState("");
  const shown = users.filter((u) => u.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <Popover label={<><Icon name="person" size={15} /> {menu.compact ? "" : "Assign"}</>} ariaLabel="Assign" buttonClass="button-small" iconOnly={menu.compact} testId="assign-menu" {...menu}>
      {(close) => (
        <div className="menu-list" data-testid="assign-options">
          <label className="visually-hidden" htmlFor="assign-filter">
            Find a teammate
          </label>
          <input id="assign-filter" autoFocus placeholder="Find a teammate…" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <button type="button" className="menu-item" onClick={() => (onAssign(null), close())} aria-pressed={assigneeId === null}>
            Nobody
          </button>
          {shown.map((u) => (
            <button key={u.id} type="button" className="menu-item" aria-pressed={assigneeId === u.id} onClick={() => (onAssign(u.id), close())} data-testid="assign-option">
              <Avatar name={u.name} size={20} /> {u.name}
              {u.id === meId ? " (you)" : ""}
              {u.availability && <span className={`presence-dot availability-${u.availability}`} title={u.availability} />}
            </button>
          ))}
          {onTeam && teams && teams.length > 0 && (
            <>
              <p className="menu-heading">Team</p>
              <button type="button" className="menu-item" aria-pressed={!teamId} onClick={() => (onTeam(null), close())}>
                No team
              </button>
              {teams.map((t) => (
                <button key={t.id} type="button" className="menu-item" aria-pressed={teamId === t.id} onClick={() => (onTeam(t.id), close())} data-testid="team-option">
                  {t.name}
                </button>
              ))}
            </>
          )}
        </div>
      )}
    </Popover>
  );
}

export function PriorityMenu({ value, onChange, ...menu }: MenuProps & { value?: Priority; onChange: (p: Priority) => void }) {
  return (
    <Popover label={<><Icon name="flag" size={15} /> {menu.compact ? "" : value && value !== "normal" ? priorityLabels[value] : "Priority"}</>} ariaLabel="Priority" buttonClass="button-small" iconOnly={menu.compact} testId="priority-menu" {...menu}>
      {(close) => (
        <div className="menu-list" role="group" aria-label="Priority">
          {priorities.map((p) => (
            <button key={p} type="button" className="menu-item" aria-pressed={value === p} onClick={() => (onChange(p), close())} data-testid={`priority-${p}`}>
              <span className={`priority-swatch priority-${p}`} aria-hidden="true" /> {priorityLabels[p]}
            </button>
          ))}
        </div>
      )}
    </Popover>
  );
}

/** Snooze presets and a custom time; the conversation wakes then, or when the customer writes. */
export function SnoozeMenu({ onSnooze, ...menu }: MenuProps & { onSnooze: (until: Date) => void }) {
  const [custom, setCustom] = useState(() => toLocalInput(new Date(Date.now() + 24 * 3_600_000)));
  const [error, setError] = useState<string | null>(null);
  return (
    <Popover label={<><Icon name="clock" size={15} /> {menu.compact ? "" : "Snooze"}</>} ariaLabel="Snooze" buttonClass="button-small" iconOnly={menu.compact} testId="snooze-menu" {...menu}>
      {(close) => (
        <div className="menu-list" data-testid="snooze-options">
          {snoozePresets(new Date()).map((p) => (
            <button key={p.label} type="button" className="menu-item" onClick={() => (onSnooze(p.at), close())} data-testid="snooze-preset">
              {p.label} <span className="muted">{p.at.toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" })}</span>
            </button>
          ))}
          <form
            className="snooze-custom"
            onSubmit={(e) => {
              e.preventDefault();
              const at = new Date(custom);
              if (!Number.isFinite(at.getTime()) || at.getTime() <= Date.now()) {
                setError("Pick a time in the future.");
                return;
              }
              onSnooze(at);
              close();
            }}
          >
            <label>
              Until
              <input type="datetime-local" value={custom} onChange={(e) => setCustom(e.target.value)} data-testid="snooze-custom" />
            </label>
            <button type="submit" className="button-small" data-testid="snooze-custom-save">
              Snooze
            </button>
            {error && <p className="text-danger" role="alert">{error}</p>}
          </form>
        </div>
      )}
    </Popover>
  );
}

/** Pick labels from the workspace's list: toggles for one conversation, add/remove for a selection. */
export function LabelsMenu({ value, onChange, onAdd, onRemove, ...menu }: MenuProps & { value?: string[]; onChange?: (labels: string[]) => void; onAdd?: (name: string) => void; onRemove?: (name: string) => void }) {
  const labels = useLabels().data;
  // What the agent ticked, until the server's copy of the conversation comes back: the box ticks at
  // once, and a second tick before the answer builds on the first instead of undoing it.
  const [ticked, setTicked] = useState<string[] | null>(null);
  useEffect(() => setTicked(null), [value]);
  const current = ticked ?? value;
  const names = labels?.map((l) => l.name) ?? [];
  const all = [...new Set([...names, ...(current ?? [])])];
  return (
    <Popover label={<><Icon name="tag" size={15} /> {menu.compact ? "" : "Labels"}</>} ariaLabel="Labels" buttonClass="button-small" iconOnly={menu.compact} testId="labels-menu" {...menu}>
      {() => (
        <div className="menu-list" data-testid="labels-options">
          {labels === null && <p className="muted">Labels are not available on this server yet.</p>}
          {labels && all.length === 0 && <p className="muted">No labels yet. An admin can add them under Admin → Labels.</p>}
          {all.map((name) => {
            const colour = labels?.find((l) => l.name === name)?.color;
            return current && onChange ? (
              <label key={name} className="menu-item checkbox">
                <input
                  type="checkbox"
                  checked={current.includes(name)}
                  onChange={(e) => {
                    const next = e.target.checked ? [...current, name] : current.filter((v) => v !== name);
                    setTicked(next);
                    onChange(next);
                  }}
                  data-testid="label-option"
                />
                <span className="label-swatch" style={{ background: colour ?? "#9aa5b5" }} aria-hidden="true" /> <span dir="auto">{name}</span>
              </label>
            ) : (
              <div key={name} className="menu-item label-bulk">
                <span className="label-swatch" style={{ background: colour ?? "#9aa5b5" }} aria-hidden="true" /> <span dir="auto">{name}</span>
                <button type="button" className="button-small" onClick={() => onAdd?.(name)} aria-label={`Add label ${name}`}>
                  Add
                </button>
                <button type="button" className="button-small" onClick={() => onRemove?.(name)} aria-label={`Remove label ${name}`}>
                  Remove
                </button>
              </div>
            );
          })}
        </div>
      )}
    </Popover>
  );
}
