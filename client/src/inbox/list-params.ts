import type { ConversationFilters, ConversationSummary, InboxView } from "../../../shared/schemas/index.js";
import type { ConversationQuery } from "../api";

export type SortKey = "activity" | "breach" | "waiting";
/** Filters narrowing a view (everything in ConversationFilters except the view and the search text). */
export type ListFilters = Omit<ConversationFilters, "view" | "q">;

/** What the inbox list shows: a view, filters on top, an order and an optional search. */
export interface InboxParams {
  view: InboxView;
  filters: ListFilters;
  sort: SortKey;
  q: string;
}

export const defaultParams: InboxParams = { view: "all", filters: {}, sort: "activity", q: "" };

export const PAGE_SIZE = 50;

export const viewLabels: Record<InboxView, string> = {
  mine: "Mine",
  unassigned: "Unassigned",
  my_teams: "My teams",
  all: "All open",
  bot: "Bot",
  snoozed: "Snoozed",
  resolved: "Resolved",
};

export const sortLabels: Record<SortKey, string> = {
  activity: "Latest activity",
  breach: "Time to breach",
  waiting: "Longest waiting",
};

const active = (c: ConversationSummary) => c.status === "open" || c.status === "pending";

/**
 * Whether a conversation belongs in a view, as the contract defines the views. null when the
 * console cannot tell (my teams without the team list): such rows are only ever replaced, never added.
 */
export function inView(c: ConversationSummary, view: InboxView, meId: string, myTeamIds: string[] | null): boolean | null {
  switch (view) {
    case "mine":
      return active(c) && c.assigneeId === meId;
    case "unassigned":
      return active(c) && c.owner === "human" && c.assigneeId === null;
    case "my_teams":
      return myTeamIds === null ? null : active(c) && c.teamId !== null && myTeamIds.includes(c.teamId);
    case "all":
      return active(c);
    case "bot":
      return active(c) && c.owner === "bot";
    case "snoozed":
      return c.status === "snoozed";
    case "resolved":
      return c.status === "resolved";
  }
}

/** Whether a conversation passes the filters (every one narrows). */
export function passesFilters(c: ConversationSummary, f: ListFilters, meId: string): boolean {
  if (f.status && c.status !== f.status) return false;
  if (f.channelId && c.channelId !== f.channelId) return false;
  if (f.platform && c.platform !== f.platform) return false;
  if (f.kind && c.kind !== f.kind) return false;
  if (f.owner && c.owner !== f.owner) return false;
  if (f.assigneeId === "me" && c.assigneeId !== meId) return false;
  if (f.assigneeId === "none" && c.assigneeId !== null) return false;
  if (f.assigneeId && f.assigneeId !== "me" && f.assigneeId !== "none" && c.assigneeId !== f.assigneeId) return false;
  if (f.teamId && c.teamId !== f.teamId) return false;
  if (f.label && !(c.labels ?? []).includes(f.label)) return false;
  if (f.priority && (c.priority ?? "normal") !== f.priority) return false;
  return true;
}

/** true: belongs; false: does not; null: cannot tell (search text, unknown teams). */
export function belongs(c: ConversationSummary, p: InboxParams, meId: string, myTeamIds: string[] | null): boolean | null {
  const v = inView(c, p.view, meId, myTeamIds);
  if (v === false || !passesFilters(c, p.filters, meId)) return false;
  return p.q || v === null ? null : true;
}

/**
 * The list request. Besides the view it sends the filters the view implies (assignee, owner, status):
 * they narrow nothing on a server that knows views, and make an older one answer the same rows.
 */
export function toQuery(p: InboxParams, cursor?: string): ConversationQuery {
  const implied: ConversationQuery = {};
  if (p.view === "mine") implied.assigneeId = "me";
  if (p.view === "unassigned") Object.assign(implied, { assigneeId: "none", owner: "human" });
  if (p.view === "bot") implied.owner = "bot";
  if (p.view === "snoozed" || p.view === "resolved") implied.status = p.view;
  return { ...implied, ...p.filters, view: p.view, q: p.q || undefined, sort: p.sort, limit: PAGE_SIZE, cursor };
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) || 0 : 0);

/** How recent a copy of a conversation is: its latest change or activity. */
export function freshness(c: ConversationSummary): number {
  return Math.max(ms(c.updatedAt), ms(c.activityAt));
}

const byIdDesc = (a: ConversationSummary, b: ConversationSummary) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The list order, the same as the server's for each sort. */
export function comparator(sort: SortKey): (a: ConversationSummary, b: ConversationSummary) => number {
  if (sort === "breach") {
    return (a, b) => {
      const da = a.sla?.dueAt ? ms(a.sla.dueAt) : Infinity;
      const db = b.sla?.dueAt ? ms(b.sla.dueAt) : Infinity;
      return da === db ? ms(b.activityAt) - ms(a.activityAt) || byIdDesc(a, b) : da - db;
    };
  }
  if (sort === "waiting") {
    return (a, b) => {
      const wa = a.waitingSince ? ms(a.waitingSince) : Infinity;
      const wb = b.waitingSince ? ms(b.waitingSince) : Infinity;
      return wa === wb ? ms(b.activityAt) - ms(a.activityAt) || byIdDesc(a, b) : wa - wb;
    };
  }
  return (a, b) => ms(b.activityAt) - ms(a.activityAt) || byIdDesc(a, b);
}

/**
 * The rows to show: fetched pages merged with live copies (whichever is fresher), without rows
 * that no longer belong, in the list's order. A live copy that the list does not hold joins it only
 * if it arrived after the list was fetched (`fetchedAt`): an older one was already known to the server.
 */
export function mergeRows(
  pages: ConversationSummary[][],
  live: Iterable<{ c: ConversationSummary; at: number }>,
  fetchedAt: number,
  p: InboxParams,
  meId: string,
  myTeamIds: string[] | null,
): ConversationSummary[] {
  const byId = new Map<string, ConversationSummary>();
  for (const page of pages) for (const c of page) if (!byId.has(c.id)) byId.set(c.id, c);
  for (const { c, at } of live) {
    const fetched = byId.get(c.id);
    if (fetched) {
      if (freshness(c) >= freshness(fetched)) byId.set(c.id, c);
    } else if (at >= fetchedAt && belongs(c, p, meId, myTeamIds) === true) {
      byId.set(c.id, c);
    }
  }
  const rows: ConversationSummary[] = [];
  for (const c of byId.values()) if (belongs(c, p, meId, myTeamIds) !== false) rows.push(c);
  return rows.sort(comparator(p.sort));
}
