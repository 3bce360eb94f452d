import { describe, expect, it } from "vitest";
import type { ConversationSummary } from "../../../shared/schemas/index.js";
import { belongs, comparator, defaultParams, mergeRows, toQuery, type InboxParams } from "./list-params";

const ME = "00000000-0000-4000-8000-000000000001";
const OTHER = "00000000-0000-4000-8000-000000000002";

function conv(id: string, change: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    channelId: "00000000-0000-4000-8000-0000000000c1",
    platform: "api",
    kind: "dm",
    status: "open",
    owner: "human",
    assigneeId: null,
    assigneeName: null,
    channelName: "Shop",
    teamId: null,
    teamName: null,
    priority: "normal",
    labels: [],
    snoozedUntil: null,
    sla: null,
    contact: { id: "00000000-0000-4000-8000-0000000000a1", name: "Ana", avatarUrl: null },
    context: {},
    lastMessage: null,
    waitingSince: null,
    activityAt: "2026-01-01T10:00:00.000Z",
    createdAt: "2026-01-01T09:00:00.000Z",
    updatedAt: "2026-01-01T10:00:00.000Z",
    ...change,
  };
}

const params = (change: Partial<InboxParams>): InboxParams => ({ ...defaultParams, ...change });

describe("the inbox list on the client", () => {
  it("places conversations in the views as the contract defines them", () => {
    const mine = conv("a", { assigneeId: ME });
    expect(belongs(mine, params({ view: "mine" }), ME, null)).toBe(true);
    expect(belongs(conv("b", { assigneeId: OTHER }), params({ view: "mine" }), ME, null)).toBe(false);
    expect(belongs(conv("c"), params({ view: "unassigned" }), ME, null)).toBe(true);
    expect(belongs(conv("d", { owner: "bot" }), params({ view: "unassigned" }), ME, null)).toBe(false);
    expect(belongs(conv("e", { status: "resolved" }), params({ view: "all" }), ME, null)).toBe(false);
    expect(belongs(conv("e", { status: "resolved" }), params({ view: "resolved" }), ME, null)).toBe(true);
    // Teams unknown, search text: the console cannot tell, so it never adds such a row itself.
    expect(belongs(conv("f", { teamId: OTHER }), params({ view: "my_teams" }), ME, null)).toBeNull();
    expect(belongs(conv("g"), params({ q: "parcel" }), ME, null)).toBeNull();
    expect(belongs(conv("h", { labels: ["vip"] }), params({ filters: { label: "vip" } }), ME, null)).toBe(true);
    expect(belongs(conv("h", { labels: [] }), params({ filters: { label: "vip" } }), ME, null)).toBe(false);
  });

  it("asks an older server for the same rows through the filters a view implies", () => {
    expect(toQuery(params({ view: "mine" }))).toMatchObject({ view: "mine", assigneeId: "me" });
    expect(toQuery(params({ view: "unassigned" }))).toMatchObject({ assigneeId: "none", owner: "human" });
    expect(toQuery(params({ view: "resolved" }))).toMatchObject({ status: "resolved" });
    expect(toQuery(params({ view: "all", q: "x" }), "cur")).toMatchObject({ q: "x", cursor: "cur", sort: "activity" });
  });

  it("orders by time to breach with no deadline last, and by longest wait", () => {
    const soon = conv("s", { sla: { policyId: null, metric: "reply_window", dueAt: "2026-01-01T11:00:00.000Z", breachedAt: null } });
    const later = conv("l", { sla: { policyId: null, metric: "first_response", dueAt: "2026-01-01T12:00:00.000Z", breachedAt: null } });
    const none = conv("n", { activityAt: "2026-01-02T00:00:00.000Z" });
    expect([none, later, soon].sort(comparator("breach")).map((c) => c.id)).toEqual(["s", "l", "n"]);
    const long = conv("w1", { waitingSince: "2026-01-01T08:00:00.000Z" });
    const short = conv("w2", { waitingSince: "2026-01-01T09:30:00.000Z" });
    expect([short, none, long].sort(comparator("waiting")).map((c) => c.id)).toEqual(["w1", "w2", "n"]);
  });

  it("merges live copies: fresher wins, rows that left the view go, and only new arrivals join", () => {
    const fetched = [conv("a"), conv("b")];
    const resolved = conv("a", { status: "resolved", updatedAt: "2026-01-01T10:05:00.000Z" });
    const stale = conv("b", { updatedAt: "2026-01-01T09:00:00.000Z", activityAt: "2026-01-01T09:00:00.000Z", lastMessage: { text: "old", direction: "in", createdAt: "2026-01-01T09:00:00.000Z" } });
    const arrived = conv("c", { activityAt: "2026-01-01T10:10:00.000Z", updatedAt: "2026-01-01T10:10:00.000Z" });
    const before = conv("d", { activityAt: "2026-01-01T10:20:00.000Z", updatedAt: "2026-01-01T10:20:00.000Z" });
    const rows = mergeRows(
      [fetched],
      [
        { c: resolved, at: 200 },
        { c: stale, at: 200 },
        { c: arrived, at: 200 },
        { c: before, at: 50 }, // arrived before the list was fetched: the server already answered without it
      ],
      100,
      params({ view: "all" }),
      ME,
      null,
    );
    expect(rows.map((r) => r.id)).toEqual(["c", "b"]);
    expect(rows[1]!.lastMessage).toBeNull();
  });
});
