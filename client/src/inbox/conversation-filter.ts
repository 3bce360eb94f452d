import type { ConversationStatus, ConversationSummary, Owner } from "../../../shared/schemas/index.js";
import type { ConversationQuery } from "../api";

export interface InboxFilter {
  status: ConversationStatus;
  owner: Owner | "all";
  mine: boolean;
}

export const defaultFilter: InboxFilter = { status: "open", owner: "all", mine: false };

export const PAGE_SIZE = 25;

export function toQuery(filter: InboxFilter, cursor?: string): ConversationQuery {
  return {
    status: filter.status,
    owner: filter.owner === "all" ? undefined : filter.owner,
    assigneeId: filter.mine ? "me" : undefined,
    limit: PAGE_SIZE,
    cursor,
  };
}

/** Whether a conversation belongs in the list the filter shows. */
export function matchesFilter(c: ConversationSummary, filter: InboxFilter, meId: string): boolean {
  if (c.status !== filter.status) return false;
  if (filter.owner !== "all" && c.owner !== filter.owner) return false;
  if (filter.mine && c.assigneeId !== meId) return false;
  return true;
}

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) || 0 : 0);

/** The time of the latest activity on a conversation (the server's sort key), newest first. */
export function activityTime(c: ConversationSummary): number {
  return ms(c.activityAt);
}

/** The inbox order, the same as the server's: activityAt descending, then id descending. */
export function compareByActivity(a: ConversationSummary, b: ConversationSummary): number {
  return activityTime(b) - activityTime(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function sortByActivity(items: ConversationSummary[]): ConversationSummary[] {
  return [...items].sort(compareByActivity);
}

/** How recent a copy of a conversation is: its latest change or activity. */
function freshness(c: ConversationSummary): number {
  return Math.max(ms(c.updatedAt), ms(c.activityAt));
}

/** Whether `incoming` is at least as recent as `existing` (so it should replace it). */
export function isFresher(incoming: ConversationSummary, existing: ConversationSummary): boolean {
  return freshness(incoming) >= freshness(existing);
}

/** Applies a live update: inserts, replaces, or removes the row so the list matches the filter. */
export function applyLiveUpdate(
  items: ConversationSummary[],
  c: ConversationSummary,
  filter: InboxFilter,
  meId: string,
): ConversationSummary[] {
  const existing = items.find((item) => item.id === c.id);
  // An older copy (e.g. a late echo of a change we already applied) never replaces a newer one.
  if (existing && !isFresher(c, existing)) return items;
  const rest = items.filter((item) => item.id !== c.id);
  if (!matchesFilter(c, filter, meId)) return rest.length === items.length ? items : rest;
  return sortByActivity([...rest, c]);
}

/** Adds a fetched page, keeping whichever copy of a row is fresher. */
export function mergePage(items: ConversationSummary[], page: ConversationSummary[]): ConversationSummary[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const incoming of page) {
    const existing = byId.get(incoming.id);
    if (!existing || freshness(incoming) > freshness(existing)) byId.set(incoming.id, incoming);
  }
  return sortByActivity([...byId.values()]);
}
