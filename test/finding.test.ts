import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweep } from "../server/pipeline/sweeper.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson, type Person } from "./helpers/people.js";

/**
 * Finding conversations through the real API: views and filters as an agent and an admin see them,
 * sorts paged by cursor, live counts, labels, snooze and its wake-up, bulk changes, history pages and
 * saved views. Two channels: the agent's team has the first; another team has the second.
 */
describe("finding conversations", () => {
  let p: TestParley;
  let admin: ApiClient;
  let agent: Person;
  let mine: { id: string; secret: string };
  let theirs: { id: string; secret: string };
  /** Conversation ids by customer, on the agent's channel (a…) and the other team's (z…). */
  const conv = {} as Record<"a1" | "a2" | "a3" | "z1" | "z2", string>;

  const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((c) => c.id);
  const arrive = async (channel: { id: string; secret: string }, customer: string, text: string) => {
    await postWebhook(p.url, channel.id, channel.secret, customerEvent(customer, text));
    return waitFor<string>(async () => (await admin.get("/api/conversations?limit=100")).body.items.find((c: any) => c.contact.name === `Customer ${customer}`)?.id, `conversation of ${customer}`);
  };
  const get = async (id: string) => (await admin.get(`/api/conversations/${id}`)).body.conversation;

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    agent = await addPerson(admin, "Agent Ada");
    mine = await createApiChannel(admin, { name: "Mine" });
    theirs = await createApiChannel(admin, { name: "Theirs" });
    expect((await admin.post("/api/teams", { name: "Ada's team", memberIds: [agent.id], channelIds: [mine.id] })).status).toBe(201);
    expect((await admin.post("/api/teams", { name: "Other team", channelIds: [theirs.id] })).status).toBe(201);
    for (const c of ["a1", "a2", "a3"] as const) conv[c] = await arrive(mine, c, `hello from ${c}`);
    for (const c of ["z1", "z2"] as const) conv[c] = await arrive(theirs, c, `hello from ${c}`);
  });
  afterAll(() => p?.stop());

  it("shows each view to whom it belongs: an agent their team's conversations, an admin all", async () => {
    expect(new Set(ids(await agent.client.get("/api/conversations?view=all")))).toEqual(new Set([conv.a1, conv.a2, conv.a3]));
    expect(ids(await admin.get("/api/conversations?view=all"))).toHaveLength(5);
    expect(new Set(ids(await agent.client.get("/api/conversations?view=my_teams")))).toEqual(new Set([conv.a1, conv.a2, conv.a3]));
    // The admin is in no team.
    expect(ids(await admin.get("/api/conversations?view=my_teams"))).toEqual([]);

    await admin.patch(`/api/conversations/${conv.a1}`, { assigneeId: agent.id });
    expect(ids(await agent.client.get("/api/conversations?view=mine"))).toEqual([conv.a1]);
    expect(ids(await admin.get("/api/conversations?view=mine"))).toEqual([]);
    expect(new Set(ids(await agent.client.get("/api/conversations?view=unassigned")))).toEqual(new Set([conv.a2, conv.a3]));
    expect(ids(await agent.client.get("/api/conversations?view=bot"))).toEqual([]);

    await admin.patch(`/api/conversations/${conv.a3}`, { status: "resolved" });
    expect(ids(await agent.client.get("/api/conversations?view=resolved"))).toEqual([conv.a3]);
    expect(ids(await agent.client.get("/api/conversations?view=all"))).not.toContain(conv.a3);
    // Without a view the list holds every status, as before views existed.
    expect(ids(await agent.client.get("/api/conversations"))).toContain(conv.a3);

    const counts = (await agent.client.get("/api/conversations/counts")).body;
    expect(counts).toEqual({ counts: { mine: 1, unassigned: 1, my_teams: 2, all: 2, bot: 0, snoozed: 0, resolved: 1 }, cap: 99 });
    expect((await admin.get("/api/conversations/counts")).body.counts).toMatchObject({ mine: 0, all: 4, resolved: 1 });
    await admin.patch(`/api/conversations/${conv.a3}`, { status: "open" });
    expect((await agent.client.get("/api/conversations/counts")).body.counts).toMatchObject({ all: 3, resolved: 0 });
  });

  it("narrows by channel, platform, kind, priority, team and assignee; a bad filter answers 400", async () => {
    expect(new Set(ids(await admin.get(`/api/conversations?view=all&channelId=${theirs.id}`)))).toEqual(new Set([conv.z1, conv.z2]));
    expect(ids(await admin.get("/api/conversations?view=all&platform=api&kind=dm"))).toHaveLength(5);
    expect(ids(await admin.get("/api/conversations?view=all&platform=telegram"))).toEqual([]);
    await admin.patch(`/api/conversations/${conv.z2}`, { priority: "urgent" });
    expect(ids(await admin.get("/api/conversations?priority=urgent"))).toEqual([conv.z2]);
    expect(ids(await admin.get(`/api/conversations?view=all&assigneeId=${agent.id}`))).toEqual([conv.a1]);
    const team = (await get(conv.z1)).teamId;
    expect(new Set(ids(await admin.get(`/api/conversations?teamId=${team}`)))).toEqual(new Set([conv.z1, conv.z2]));
    // An agent filtering for what they may not see gets nothing, not the other team's list.
    expect(ids(await agent.client.get(`/api/conversations?channelId=${theirs.id}`))).toEqual([]);
    const bad = await admin.get("/api/conversations?view=everything&priority=extreme");
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("validation_failed");
    expect(bad.body.issues.map((i: any) => i.path).sort()).toEqual(["priority", "view"]);
  });

  it("sorts by longest wait and by nearest deadline, and pages each without gaps or repeats", async () => {
    // An agent's reply ends a wait: that conversation goes to the end of the waiting order.
    expect((await admin.post(`/api/conversations/${conv.a2}/messages`, { text: "On it" })).status).toBe(201);
    // Waiting longest first; then those not waiting (a3 stopped when it was resolved), latest activity first.
    const waiting = ids(await admin.get("/api/conversations?view=all&sort=waiting&limit=100"));
    expect(waiting).toEqual([conv.a1, conv.z1, conv.z2, conv.a2, conv.a3]);
    // Deadlines for two of them: the breach sort puts the nearest first and those without one last.
    await admin.post("/api/sla-policies", { name: "Urgent", firstResponseSeconds: 3600, match: { priorities: ["urgent"] } });
    await admin.post("/api/sla-policies", { name: "High", firstResponseSeconds: 7200, match: { priorities: ["high"] } });
    await admin.patch(`/api/conversations/${conv.z1}`, { priority: "urgent" });
    await admin.patch(`/api/conversations/${conv.a1}`, { priority: "high" });
    const byBreach = (await admin.get("/api/conversations?view=all&sort=breach&limit=100")).body.items;
    const due = byBreach.map((c: any) => (c.sla ? Date.parse(c.sla.dueAt) : Infinity));
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect(byBreach[0].id).toBe(conv.z1);
    expect(byBreach.findIndex((c: any) => c.id === conv.a1)).toBeLessThan(due.indexOf(Infinity));
    for (const sort of ["activity", "waiting", "breach"]) {
      const whole = ids(await admin.get(`/api/conversations?view=all&sort=${sort}&limit=100`));
      expect(whole).toHaveLength(5);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await admin.get(`/api/conversations?view=all&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.status).toBe(200);
        paged.push(...ids(page));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(whole);
    }
    const first = (await admin.get("/api/conversations?view=all&sort=waiting&limit=1")).body.nextCursor;
    const wrongSort = await admin.get(`/api/conversations?view=all&sort=activity&cursor=${first}`);
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.code).toBe("invalid_cursor");
  });

  it("labels: admins manage them; anyone sets them on a conversation; rename and delete follow everywhere", async () => {
    expect((await agent.client.post("/api/labels", { name: "VIP", color: "#FF0000" })).status).toBe(403);
    const created = await admin.post("/api/labels", { name: "VIP", color: "#FF0000", description: "Big spenders" });
    expect(created.status).toBe(201);
    expect(created.body.label).toMatchObject({ name: "VIP", color: "#ff0000", description: "Big spenders" });
    const taken = await admin.post("/api/labels", { name: "vip", color: "#00ff00" });
    expect([taken.status, taken.body.code]).toEqual([409, "label_name_taken"]);
    expect((await admin.post("/api/labels", { name: "Refund", color: "#00ff00" })).status).toBe(201);
    expect((await admin.post("/api/labels", { name: "bad", color: "red" })).status).toBe(400);
    expect((await agent.client.get("/api/labels")).body.items.map((l: any) => l.name)).toEqual(["Refund", "VIP"]);

    const ws = await agent.client.socket();
    try {
      const set = await agent.client.put(`/api/conversations/${conv.a1}/labels`, { labels: ["vip", "refund", "VIP"] });
      expect(set.status).toBe(200);
      expect(set.body.conversation.labels).toEqual(["VIP", "Refund"]);
      await waitFor(async () => ws.events.some((e) => e.name === "conversation.updated" && e.payload.conversation.id === conv.a1 && e.payload.conversation.labels.length === 2), "live label update");
    } finally {
      ws.close();
    }
    const unknown = await agent.client.put(`/api/conversations/${conv.a1}/labels`, { labels: ["Nope"] });
    expect([unknown.status, unknown.body.code]).toEqual([400, "unknown_label"]);
    expect((await agent.client.put(`/api/conversations/${conv.z1}/labels`, { labels: [] })).status).toBe(404);
    expect(ids(await agent.client.get("/api/conversations?label=VIP"))).toEqual([conv.a1]);

    const vip = created.body.label.id;
    expect((await admin.patch(`/api/labels/${vip}`, { name: "Gold" })).body.label.name).toBe("Gold");
    expect((await get(conv.a1)).labels).toEqual(["Gold", "Refund"]);
    expect(ids(await agent.client.get("/api/conversations?label=Gold"))).toEqual([conv.a1]);
    expect((await admin.request("DELETE", `/api/labels/${vip}`)).status).toBe(200);
    expect((await get(conv.a1)).labels).toEqual(["Refund"]);
    expect((await admin.request("DELETE", `/api/labels/${vip}`)).status).toBe(404);
  });

  it("snooze: wakes by itself at its time, and when the customer writes", async () => {
    const soon = new Date(p.clock.now().getTime() + 1500).toISOString();
    const snoozed = await agent.client.patch(`/api/conversations/${conv.a1}`, { status: "snoozed", snoozedUntil: soon });
    expect(snoozed.body.conversation).toMatchObject({ status: "snoozed", snoozedUntil: soon });
    expect(ids(await agent.client.get("/api/conversations?view=snoozed"))).toEqual([conv.a1]);
    expect(ids(await agent.client.get("/api/conversations?view=mine"))).toEqual([]);
    const woke = await waitFor(async () => {
      const c = await get(conv.a1);
      return c.status === "open" && c;
    }, "the snooze timer", 8000);
    expect(woke.snoozedUntil).toBeNull();
    // Awake, it is back at the top of the inbox.
    expect(ids(await agent.client.get("/api/conversations?view=all"))[0]).toBe(conv.a1);

    const tomorrow = new Date(p.clock.now().getTime() + 86400_000).toISOString();
    await agent.client.patch(`/api/conversations/${conv.a2}`, { status: "snoozed", snoozedUntil: tomorrow });
    await postWebhook(p.url, mine.id, mine.secret, customerEvent("a2", "are you there?"));
    await waitFor(async () => (await get(conv.a2)).status === "open", "the customer's message to wake it");
    expect((await get(conv.a2)).snoozedUntil).toBeNull();

    const past = await agent.client.patch(`/api/conversations/${conv.a2}`, { status: "snoozed", snoozedUntil: new Date(p.clock.now().getTime() - 1000).toISOString() });
    expect([past.status, past.body.code]).toEqual([400, "snooze_in_past"]);
    expect((await agent.client.patch(`/api/conversations/${conv.a2}`, { snoozedUntil: tomorrow })).status).toBe(400);
  });

  it("snooze: a wake-up whose timer was lost (restart, far ahead) is found by the sweeper", async () => {
    const inThreeWeeks = new Date(p.clock.now().getTime() + 21 * 86400_000).toISOString();
    await admin.patch(`/api/conversations/${conv.z1}`, { status: "snoozed", snoozedUntil: inThreeWeeks });
    expect((await sweep(p.ctx)).snoozed).toBe(0);
    p.clock.advance(22 * 86400_000);
    expect((await sweep(p.ctx)).snoozed).toBe(1);
    expect(await get(conv.z1)).toMatchObject({ status: "open", snoozedUntil: null });
  });

  it("bulk: each conversation is checked with the caller's access and changed on its own", async () => {
    await admin.post("/api/labels", { name: "Bulk", color: "#123456" });
    const missing = randomUUID();
    const res = await agent.client.post("/api/conversations/bulk", { ids: [conv.a2, conv.a3, conv.z2, missing], set: { priority: "high", addLabels: ["bulk"] } });
    expect(res.status).toBe(200);
    expect(res.body.updated).toEqual([conv.a2, conv.a3]);
    expect(res.body.failed).toEqual([
      { id: conv.z2, error: "conversation not found", code: "not_found" },
      { id: missing, error: "conversation not found", code: "not_found" },
    ]);
    expect(await get(conv.a3)).toMatchObject({ priority: "high", labels: ["Bulk"] });
    // The other team's conversation is untouched.
    expect(await get(conv.z2)).toMatchObject({ priority: "urgent", labels: [] });

    const resolved = await admin.post("/api/conversations/bulk", { ids: [conv.a2, conv.a3], set: { status: "resolved", removeLabels: ["BULK"] } });
    expect(resolved.body).toEqual({ updated: [conv.a2, conv.a3], failed: [] });
    expect(await get(conv.a2)).toMatchObject({ status: "resolved", labels: [] });

    const unknown = await admin.post("/api/conversations/bulk", { ids: [conv.a2], set: { labels: ["Nope"] } });
    expect([unknown.status, unknown.body.code]).toEqual([400, "unknown_label"]);
    expect((await admin.post("/api/conversations/bulk", { ids: [], set: { priority: "low" } })).status).toBe(400);
    expect((await admin.post("/api/conversations/bulk", { ids: [conv.a2], set: {} })).status).toBe(400);
  });

  it("history pages: newest page first, oldest to newest within a page, older pages by cursor", async () => {
    for (let i = 1; i <= 6; i++) await admin.post(`/api/conversations/${conv.z2}/messages`, { text: `note ${i}`, visibility: "note" });
    const texts = (page: any) => page.body.items.map((m: any) => m.text);
    const first = await admin.get(`/api/conversations/${conv.z2}/messages?limit=3`);
    expect(texts(first)).toEqual(["note 4", "note 5", "note 6"]);
    const second = await admin.get(`/api/conversations/${conv.z2}/messages?limit=3&before=${first.body.nextCursor}`);
    expect(texts(second)).toEqual(["note 1", "note 2", "note 3"]);
    const last = await admin.get(`/api/conversations/${conv.z2}/messages?limit=3&before=${second.body.nextCursor}`);
    expect(texts(last)).toEqual(["hello from z2"]);
    expect(last.body.nextCursor).toBeNull();
    // Without parameters: the newest 50, which here is everything.
    expect(texts(await admin.get(`/api/conversations/${conv.z2}/messages`))).toHaveLength(7);
    expect((await admin.get(`/api/conversations/${conv.z2}/messages?before=nonsense`)).body.code).toBe("invalid_cursor");
    expect((await agent.client.get(`/api/conversations/${conv.z2}/messages`)).status).toBe(404);
  });

  it("saved views are each user's own", async () => {
    const created = await agent.client.post("/api/views", { name: "  Urgent on mine ", filters: { view: "all", channelId: mine.id, priority: "urgent" }, sort: "breach" });
    expect(created.status).toBe(201);
    expect(created.body.view).toMatchObject({ name: "Urgent on mine", filters: { view: "all", channelId: mine.id, priority: "urgent" }, sort: "breach" });
    expect((await agent.client.get("/api/views")).body.items.map((v: any) => v.name)).toEqual(["Urgent on mine"]);
    expect((await admin.get("/api/views")).body.items).toEqual([]);
    expect((await admin.request("DELETE", `/api/views/${created.body.view.id}`)).status).toBe(404);
    expect((await agent.client.post("/api/views", { name: "x", filters: { view: "nope" } })).status).toBe(400);
    expect((await agent.client.request("DELETE", `/api/views/${created.body.view.id}`)).status).toBe(200);
    expect((await agent.client.get("/api/views")).body.items).toEqual([]);
  });
});
