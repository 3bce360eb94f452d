import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

type Live = Awaited<ReturnType<ApiClient["socket"]>>;
const pushed = (ws: Live, match: (n: any) => boolean = () => true) =>
  waitFor(async () => ws.events.find((e) => e.name === "notification.created" && match(e.payload.notification))?.payload.notification, "notification.created");
const settle = () => new Promise((r) => setTimeout(r, 300));

describe("notifications: assignment, @mention, SLA warning and breach", () => {
  let p: TestParley;
  let admin: ApiClient;
  let ana: ApiClient;
  let bruno: ApiClient;
  const id: Record<string, string> = {};
  let conversationId: string;
  let workspaceId: string;
  const sockets: Live[] = [];
  let anaWs: Live;
  let brunoWs: Live;
  let adminWs: Live;

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    const me = (await admin.get("/api/me")).body;
    id.admin = me.user.id;
    workspaceId = me.workspace.id;
    for (const name of ["Ana", "Bruno", "Gone"]) {
      const res = await admin.post("/api/users", { email: `${name.toLowerCase()}@test.local`, name, role: "agent", password: `${name.toLowerCase()}-password-1` });
      id[name.toLowerCase()] = res.body.user.id;
    }
    await admin.patch(`/api/users/${id.gone}`, { active: false });
    ana = await ApiClient.login(p.url, "ana@test.local", "ana-password-1");
    bruno = await ApiClient.login(p.url, "bruno@test.local", "bruno-password-1");
    const channel = await createApiChannel(admin, { name: "Support API" });
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("n-1", "my card number is 4111 1111 1111 1111", { name: "Secret Customer" }));
    conversationId = (await waitFor(async () => (await admin.get("/api/conversations")).body.items[0], "conversation")).id;
    for (const c of [ana, bruno, admin]) sockets.push(await c.socket());
    [anaWs, brunoWs, adminWs] = sockets as [Live, Live, Live];
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await p?.stop();
  });

  it("a new assignee is told who assigned them, live and in the list; nobody else is", async () => {
    expect((await admin.patch(`/api/conversations/${conversationId}`, { assigneeId: id.ana })).status).toBe(200);
    const n = await pushed(anaWs);
    expect(n).toMatchObject({ kind: "assigned", conversationId, actorName: "Admin", readAt: null, text: "Admin assigned you a conversation on Support API" });
    const list = await ana.get("/api/notifications");
    expect(list.body.unread).toBe(1);
    expect(list.body.items.map((i: any) => i.id)).toEqual([n.id]);
    await settle();
    expect(brunoWs.events.some((e) => e.name === "notification.created")).toBe(false);
    expect(adminWs.events.some((e) => e.name === "notification.created")).toBe(false);
    expect((await bruno.get("/api/notifications")).body).toEqual({ items: [], unread: 0, nextCursor: null });
  });

  it("assigning yourself notifies nobody; a deactivated person cannot be assigned", async () => {
    expect((await bruno.patch(`/api/conversations/${conversationId}`, { assigneeId: id.bruno })).status).toBe(200);
    await settle();
    expect(brunoWs.events.some((e) => e.name === "notification.created")).toBe(false);
    const gone = await admin.patch(`/api/conversations/${conversationId}`, { assigneeId: id.gone });
    expect(gone.status).toBe(400);
    expect(gone.body.code).toBe("user_inactive");
  });

  it("an @mention in a note notifies the mentioned teammates (not the author), without the note's words", async () => {
    const note = await bruno.post(`/api/conversations/${conversationId}/messages`, { text: "@Ana @Admin the customer sent a card number", visibility: "note", mentions: [id.ana, id.admin, id.bruno] });
    expect(note.status).toBe(201);
    const forAna = await pushed(anaWs, (n) => n.kind === "mention");
    expect(forAna).toMatchObject({ conversationId, actorName: "Bruno", text: "Bruno mentioned you in a note" });
    await pushed(adminWs, (n) => n.kind === "mention");
    await settle();
    expect(brunoWs.events.some((e) => e.name === "notification.created")).toBe(false);
    for (const n of (await ana.get("/api/notifications")).body.items) expect(n.text).not.toMatch(/card|4111|Secret Customer/);
  });

  it("mentions must be active teammates, in notes only", async () => {
    const foreign = await bruno.post(`/api/conversations/${conversationId}/messages`, { text: "@Nobody", visibility: "note", mentions: ["00000000-0000-4000-8000-000000000000"] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe("unknown_mention");
    const inactive = await bruno.post(`/api/conversations/${conversationId}/messages`, { text: "@Gone", visibility: "note", mentions: [id.gone] });
    expect(inactive.body.code).toBe("unknown_mention");
    const publicReply = await bruno.post(`/api/conversations/${conversationId}/messages`, { text: "hello @Ana", mentions: [id.ana] });
    expect(publicReply.status).toBe(400);
    // Nothing half-written: neither refused note is in the conversation.
    const texts = (await admin.get(`/api/conversations/${conversationId}/messages`)).body.items.map((m: any) => m.text);
    expect(texts).not.toContain("@Nobody");
    expect(texts).not.toContain("@Gone");
  });

  it("SLA warnings go to the assignee once, however often the timer fires; breaches of unassigned conversations go to admins and supervisors", async () => {
    const warning = { type: "sla.warning" as const, workspaceId, conversationId, metric: "first_response" as const, dueAt: "2030-01-01T10:00:00.000Z", assigneeId: id.ana!, teamId: null };
    await p.ctx.bus.publish([warning]);
    await p.ctx.bus.publish([warning]);
    const n = await pushed(anaWs, (x) => x.kind === "sla_warning");
    expect(n.text).toBe("SLA warning: the first response is due soon on a conversation on Support API");
    expect(n.actorName).toBeNull();
    await settle();
    expect(anaWs.events.filter((e) => e.name === "notification.created" && e.payload.notification.kind === "sla_warning")).toHaveLength(1);

    const supervisor = await admin.post("/api/users", { email: "sup@test.local", name: "Sup", role: "supervisor", password: "sup-password-1" });
    await p.ctx.bus.publish([{ type: "sla.breached", workspaceId, conversationId, metric: "next_response", dueAt: "2030-01-01T11:00:00.000Z", assigneeId: null, teamId: null }]);
    const forAdmin = await pushed(adminWs, (x) => x.kind === "sla_breached");
    expect(forAdmin.text).toBe("SLA breached: the next reply is overdue on a conversation on Support API");
    const sup = await ApiClient.login(p.url, "sup@test.local", "sup-password-1");
    expect((await sup.get("/api/notifications")).body.items.map((i: any) => i.kind)).toEqual(["sla_breached"]);
    expect(supervisor.status).toBe(201);
    await settle();
    expect(brunoWs.events.some((e) => e.name === "notification.created" && e.payload.notification.kind === "sla_breached")).toBe(false);
  });

  it("the list pages newest first and filters unread; marking read (some or all) answers the unread count and touches only your own", async () => {
    const all = (await ana.get("/api/notifications")).body;
    expect(all.items.map((i: any) => i.kind)).toEqual(["sla_warning", "mention", "assigned"]);
    expect(all.unread).toBe(3);
    const first = (await ana.get("/api/notifications?limit=2")).body;
    expect(first.items).toHaveLength(2);
    const second = (await ana.get(`/api/notifications?limit=2&cursor=${first.nextCursor}`)).body;
    expect(second.items.map((i: any) => i.kind)).toEqual(["assigned"]);
    expect(second.nextCursor).toBeNull();
    expect((await ana.get("/api/notifications?cursor=garbage")).status).toBe(400);

    // Someone else's id is ignored.
    const adminsOwn = (await admin.get("/api/notifications")).body.items[0].id;
    expect((await ana.post("/api/notifications/read", { ids: [all.items[0].id, adminsOwn] })).body).toEqual({ unread: 2 });
    expect((await admin.get("/api/notifications")).body.items[0].readAt).toBeNull();
    const unread = (await ana.get("/api/notifications?unread=true")).body;
    expect(unread.items.map((i: any) => i.kind)).toEqual(["mention", "assigned"]);
    expect((await ana.get("/api/notifications?unread=false")).body.items.map((i: any) => i.kind)).toEqual(["sla_warning"]);
    expect((await ana.post("/api/notifications/read", { all: true })).body).toEqual({ unread: 0 });
    expect((await ana.post("/api/notifications/read", { ids: [] })).status).toBe(400);
  });
});
