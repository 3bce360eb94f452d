import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { conversationEvents } from "../server/db/schema.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson, type Person } from "./helpers/people.js";

describe("teams and team-scoped access", () => {
  let p: TestParley;
  let admin: ApiClient;
  let ana: Person; // support
  let ben: Person; // sales
  let sue: Person; // supervisor
  const ch: Record<string, { id: string; secret: string }> = {};
  let support: any;
  let sales: any;

  const conversationOn = (channel: string, contact: string) =>
    waitFor(async () => ((await admin.get(`/api/conversations?channelId=${ch[channel]!.id}&limit=100`)).body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`), `conversation of ${contact}`);
  const idsSeenBy = async (who: ApiClient) => ((await who.get("/api/conversations?limit=100")).body.items as any[]).map((c) => c.id);

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    for (const name of ["support", "sales", "open"]) ch[name] = await createApiChannel(admin, { name });
    ana = await addPerson(admin, "Ana");
    ben = await addPerson(admin, "Ben");
    sue = await addPerson(admin, "Sue", "supervisor");
  });
  afterAll(() => p?.stop());

  it("admins create teams with members, channels and an assignment policy", async () => {
    const res = await admin.post("/api/teams", { name: "Support", memberIds: [ana.id], channelIds: [ch.support!.id], assignment: { policy: "round_robin", capacity: 5 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    support = res.body.team;
    expect(support).toMatchObject({
      name: "Support",
      memberIds: [ana.id],
      members: [{ id: ana.id, name: "Ana", availability: "offline", active: true, openConversations: 0 }],
      channelIds: [ch.support!.id],
      assignment: { policy: "round_robin", capacity: 5, whenOffline: "requeue" },
      businessHours: null,
      waiting: 0,
    });
    const created = await admin.post("/api/teams", { name: "Sales", memberIds: [ben.id], channelIds: [ch.sales!.id] });
    sales = created.body.team;
    expect(sales.assignment).toEqual({ policy: "manual", capacity: null, whenOffline: "requeue" });
  });

  it("refuses a taken name, a channel of another team, unknown people or channels and unknown time zones", async () => {
    const taken = await admin.post("/api/teams", { name: "support" });
    expect([taken.status, taken.body.code]).toEqual([409, "team_name_taken"]);
    const channelTaken = await admin.post("/api/teams", { name: "Other", channelIds: [ch.support!.id] });
    expect([channelTaken.status, channelTaken.body.code]).toEqual([409, "channel_in_other_team"]);
    const nobody = await admin.post("/api/teams", { name: "Other", memberIds: ["00000000-0000-4000-8000-000000000000"] });
    expect([nobody.status, nobody.body.code]).toEqual([400, "unknown_user"]);
    const noChannel = await admin.patch(`/api/teams/${sales.id}`, { channelIds: ["00000000-0000-4000-8000-000000000000"] });
    expect([noChannel.status, noChannel.body.code]).toEqual([400, "unknown_channel"]);
    const hours = { timeZone: "Mars/Olympus", weekly: { mon: [{ from: "09:00", to: "17:00" }] } };
    const zone = await admin.patch(`/api/teams/${sales.id}`, { businessHours: hours });
    expect([zone.status, zone.body.code]).toEqual([400, "invalid_time_zone"]);
    const shape = await admin.post("/api/teams", { name: "X", assignment: { policy: "fastest" } });
    expect(shape.status).toBe(400);
    expect(shape.body.issues[0].path).toBe("assignment.policy");
    // Nothing was half-written.
    expect((await admin.get("/api/teams")).body.items.map((t: any) => t.name)).toEqual(["Sales", "Support"]);
  });

  it("supervisors see every team, agents only their own", async () => {
    expect((await sue.client.get("/api/teams")).body.items.map((t: any) => t.name)).toEqual(["Sales", "Support"]);
    expect((await ana.client.get("/api/teams")).body.items.map((t: any) => t.name)).toEqual(["Support"]);
    expect((await ana.client.get(`/api/teams/${sales.id}`)).status).toBe(404);
    expect((await ana.client.get(`/api/teams/${support.id}`)).status).toBe(200);
    expect((await sue.client.patch(`/api/teams/${sales.id}`, { name: "Nope" })).status).toBe(403);
  });

  it("an agent sees their teams' conversations, channels of no team and their own, and nothing else, in lists, reads and writes", async () => {
    await postWebhook(p.url, ch.support!.id, ch.support!.secret, customerEvent("s-1", "help"));
    await postWebhook(p.url, ch.sales!.id, ch.sales!.secret, customerEvent("b-1", "buy"));
    await postWebhook(p.url, ch.open!.id, ch.open!.secret, customerEvent("o-1", "hi"));
    const s = await conversationOn("support", "s-1");
    const b = await conversationOn("sales", "b-1");
    const o = await conversationOn("open", "o-1");
    expect([s.teamId, s.teamName, b.teamName, o.teamId]).toEqual([support.id, "Support", "Sales", null]);

    expect((await idsSeenBy(ana.client)).sort()).toEqual([s.id, o.id].sort());
    expect((await idsSeenBy(ben.client)).sort()).toEqual([b.id, o.id].sort());
    expect((await idsSeenBy(sue.client)).sort()).toEqual([s.id, b.id, o.id].sort());
    for (const [method, path, body] of [
      ["GET", `/api/conversations/${b.id}`, undefined],
      ["GET", `/api/conversations/${b.id}/messages`, undefined],
      ["GET", `/api/conversations/${b.id}/sla`, undefined],
      ["PATCH", `/api/conversations/${b.id}`, { status: "resolved" }],
      ["POST", `/api/conversations/${b.id}/messages`, { text: "not mine", visibility: "note" }],
    ] as const) {
      const res = await ana.client.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await admin.get(`/api/conversations/${b.id}`)).body.conversation.status).toBe("open");

    // Assigned to her, she sees it (and can work on it) though it is Sales'.
    await admin.patch(`/api/conversations/${b.id}`, { assigneeId: ana.id });
    expect((await ana.client.get(`/api/conversations/${b.id}`)).status).toBe(200);
    expect((await idsSeenBy(ana.client))).toContain(b.id);
    await admin.patch(`/api/conversations/${b.id}`, { assigneeId: null });
    expect((await ana.client.get(`/api/conversations/${b.id}`)).status).toBe(404);
  });

  it("live events reach only those who may see the conversation", async () => {
    const [anaWs, benWs, sueWs] = await Promise.all([ana.client.socket(), ben.client.socket(), sue.client.socket()]);
    try {
      await postWebhook(p.url, ch.sales!.id, ch.sales!.secret, customerEvent("b-2", "sales only"));
      await postWebhook(p.url, ch.open!.id, ch.open!.secret, customerEvent("o-2", "for everyone"));
      const text = (ws: typeof anaWs) => ws.events.filter((e) => e.name === "message.created").map((e) => e.payload.message.text);
      await waitFor(async () => text(sueWs).length === 2 && text(benWs).length === 2 && text(anaWs).length === 1, "pushes");
      await new Promise((r) => setTimeout(r, 300));
      expect(text(anaWs)).toEqual(["for everyone"]);
      expect(text(benWs).sort()).toEqual(["for everyone", "sales only"]);
      // Nothing else about the Sales conversation reached her either: neither its id nor its customer.
      // (A bare "b-2" would also match inside some random UUID, "…0b-2f…", and fail by chance.)
      const salesConversation = await conversationOn("sales", "b-2");
      const leaked = anaWs.events.filter((e) => {
        const json = JSON.stringify(e.payload);
        return json.includes(salesConversation.id) || json.includes("Customer b-2");
      });
      expect(leaked).toEqual([]);

      // Joining a team joins its room at once, on the open socket.
      await admin.patch(`/api/teams/${sales.id}`, { memberIds: [ben.id, ana.id] });
      await postWebhook(p.url, ch.sales!.id, ch.sales!.secret, customerEvent("b-3", "now Ana too"));
      await waitFor(async () => text(anaWs).includes("now Ana too"), "push after joining");
      await admin.patch(`/api/teams/${sales.id}`, { memberIds: [ben.id] });
    } finally {
      for (const ws of [anaWs, benWs, sueWs]) ws.close();
    }
  });

  it("conversations follow their channel between teams, and a deleted team's queue empties, each move in the ledger", async () => {
    const o = await conversationOn("open", "o-1");
    await admin.patch(`/api/teams/${support.id}`, { channelIds: [ch.support!.id, ch.open!.id] });
    expect((await admin.get(`/api/conversations/${o.id}`)).body.conversation).toMatchObject({ teamId: support.id, teamName: "Support" });
    expect(await idsSeenBy(ben.client)).not.toContain(o.id);

    await admin.patch(`/api/teams/${support.id}`, { channelIds: [ch.support!.id] });
    expect((await admin.get(`/api/conversations/${o.id}`)).body.conversation.teamId).toBeNull();

    const s = await conversationOn("support", "s-1");
    const gone = await admin.request("DELETE", `/api/teams/${support.id}`);
    expect(gone.status).toBe(200);
    expect((await admin.get(`/api/conversations/${s.id}`)).body.conversation).toMatchObject({ teamId: null, teamName: null });
    expect((await admin.request("DELETE", `/api/teams/${support.id}`)).status).toBe(404);
    // A new conversation on that channel now belongs to no team.
    await postWebhook(p.url, ch.support!.id, ch.support!.secret, customerEvent("s-2", "after"));
    expect((await conversationOn("support", "s-2")).teamId).toBeNull();

    const moves = await p.ctx.db
      .select({ data: conversationEvents.data, actor: conversationEvents.actor })
      .from(conversationEvents)
      .where(and(eq(conversationEvents.conversationId, o.id), eq(conversationEvents.type, "team_changed")))
      .orderBy(asc(conversationEvents.id));
    expect(moves).toEqual([
      { actor: "system", data: { teamId: support.id, previous: null, by: "team_channels" } },
      { actor: "system", data: { teamId: null, previous: support.id, by: "team_channels" } },
    ]);
  });

  it("agents, rules and bots set priority and team on a conversation, each change in the ledger", async () => {
    const b = await conversationOn("sales", "b-1");
    const res = await ben.client.patch(`/api/conversations/${b.id}`, { priority: "urgent" });
    expect(res.body.conversation.priority).toBe("urgent");
    const moved = await admin.patch(`/api/conversations/${b.id}`, { teamId: null });
    expect(moved.body.conversation).toMatchObject({ teamId: null, teamName: null });
    const unknown = await admin.patch(`/api/conversations/${b.id}`, { teamId: "00000000-0000-4000-8000-000000000000" });
    expect([unknown.status, unknown.body.code]).toEqual([400, "unknown_team"]);
    const back = await admin.patch(`/api/conversations/${b.id}`, { teamId: sales.id });
    expect(back.body.conversation.teamName).toBe("Sales");
    // An agent may hand a conversation to a team they are not in: they get the result, then no longer see it.
    const o = await conversationOn("open", "o-1");
    const billing = (await admin.post("/api/teams", { name: "Billing" })).body.team;
    const handed = await ana.client.patch(`/api/conversations/${o.id}`, { teamId: billing.id });
    expect([handed.status, handed.body.conversation?.teamName]).toEqual([200, "Billing"]);
    expect((await ana.client.get(`/api/conversations/${o.id}`)).status).toBe(404);
    const rows = await p.ctx.db
      .select({ type: conversationEvents.type, actorUserId: conversationEvents.actorUserId, data: conversationEvents.data })
      .from(conversationEvents)
      .where(eq(conversationEvents.conversationId, b.id))
      .orderBy(asc(conversationEvents.id));
    const changes = rows.filter((r) => r.type === "priority_changed" || r.type === "team_changed");
    expect(changes).toEqual([
      { type: "priority_changed", actorUserId: ben.id, data: { priority: "urgent", previous: "normal" } },
      { type: "team_changed", actorUserId: expect.any(String), data: { teamId: null, previous: sales.id, by: "agent" } },
      { type: "team_changed", actorUserId: expect.any(String), data: { teamId: sales.id, previous: null, by: "agent" } },
    ]);
  });
});
