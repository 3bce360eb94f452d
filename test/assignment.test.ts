import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { conversationEvents, conversations } from "../server/db/schema.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, scaled, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson, setAvailability, type Person } from "./helpers/people.js";

/**
 * Automatic assignment through real webhooks. In scaled mode a second worker process shares the
 * database and queues, so ingest jobs (and the assignment after each) run on both at once.
 */
describe("automatic assignment", () => {
  let p: TestParley;
  let worker: TestParley | null = null;
  let admin: ApiClient;
  let run = 0;

  beforeAll(async () => {
    p = await startTestParley();
    if (scaled) worker = await startTestParley({ storage: p.storage, role: "worker" });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await worker?.stop();
    await p?.stop();
  });

  /** A channel, a team on it with the given policy, and its members (online unless said otherwise). */
  async function setup<N extends string>(assignment: Record<string, unknown>, names: N[], offline: N[] = [], botEnabled = false) {
    run++;
    const channel = await createApiChannel(admin, { name: `channel ${run}`, botEnabled });
    const people = {} as Record<N, Person>;
    for (const name of names) people[name] = await addPerson(admin, `${name} ${run}`);
    const res = await admin.post("/api/teams", { name: `team ${run}`, memberIds: (Object.values(people) as Person[]).map((x) => x.id), channelIds: [channel.id], assignment });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    for (const name of names) if (!offline.includes(name)) await setAvailability(people[name], "online");
    const arrive = (count: number, tag: string) =>
      Promise.all(Array.from({ length: count }, (_, i) => postWebhook(p.url, channel.id, channel.secret, customerEvent(`${tag}-${run}-${i}`, `question ${i}`))));
    const list = async () => ((await admin.get(`/api/conversations?channelId=${channel.id}&limit=100`)).body.items as any[]);
    const heldBy = async (person: Person) => (await list()).filter((c) => c.assigneeId === person.id && c.status === "open");
    return { channel, team: res.body.team, people, arrive, list, heldBy };
  }

  const assignedRows = (ids: string[]) =>
    p.ctx.db
      .select({ conversationId: conversationEvents.conversationId, actor: conversationEvents.actor, data: conversationEvents.data })
      .from(conversationEvents)
      .where(and(inArray(conversationEvents.conversationId, ids), eq(conversationEvents.type, "assigned")))
      .orderBy(asc(conversationEvents.id));

  it("round robin: 30 simultaneous arrivals on 3 online agents give 10 each, each conversation assigned exactly once", async () => {
    const { people, arrive, list } = await setup({ policy: "round_robin" }, ["A", "B", "C"]);
    const sent = await arrive(30, "rr");
    expect(sent.every((r) => r.status === 200)).toBe(true);
    const all = await waitFor(async () => {
      const items = await list();
      return items.length === 30 && items.every((c) => c.assigneeId) && items;
    }, "30 assigned", 60_000);
    const counts = (Object.values(people) as Person[]).map((x) => all.filter((c) => c.assigneeId === x.id).length);
    expect(counts).toEqual([10, 10, 10]);
    const rows = await assignedRows(all.map((c) => c.id));
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r.conversationId)).size).toBe(30);
    expect(rows.every((r) => r.actor === "system" && r.data.by === "round_robin" && r.data.previous === null)).toBe(true);
  });

  it("least loaded with a capacity never exceeds it under concurrent arrivals; the rest wait first in, first out", async () => {
    const s = await setup({ policy: "least_loaded", capacity: 3 }, ["X", "Y", "Z", "W"], ["W"]);
    const { X, Y, W } = s.people;
    await s.arrive(20, "ll");
    await waitFor(async () => (await s.list()).length === 20, "20 arrivals", 60_000);
    await waitFor(async () => (await s.list()).filter((c) => c.assigneeId).length === 9, "9 assigned", 30_000);
    // Settled: later passes must not add any.
    await new Promise((r) => setTimeout(r, 500));
    let items = await s.list();
    const load = (person: Person) => items.filter((c) => c.assigneeId === person.id).length;
    expect([load(X), load(Y), load(s.people.Z), load(W)]).toEqual([3, 3, 3, 0]);
    expect((await admin.get(`/api/teams/${s.team.id}`)).body.team).toMatchObject({ waiting: 11 });

    const queue = async () =>
      (
        await p.ctx.db
          .select({ id: conversations.id })
          .from(conversations)
          .where(and(eq(conversations.teamId, s.team.id), sql`${conversations.queuedAt} is not null`))
          .orderBy(asc(conversations.queuedAt), asc(conversations.id))
      ).map((r) => r.id);

    // X resolves one: X has room again and takes the oldest waiting conversation at once.
    let oldest = (await queue())[0]!;
    const mine = items.find((c) => c.assigneeId === X.id)!;
    expect((await X.client.patch(`/api/conversations/${mine.id}`, { status: "resolved" })).status).toBe(200);
    expect((await admin.get(`/api/conversations/${oldest}`)).body.conversation.assigneeId).toBe(X.id);

    // A supervisor moves one of Y's to themselves: Y takes the next waiting one.
    oldest = (await queue())[0]!;
    const ys = items.find((c) => c.assigneeId === Y.id)!;
    const me = (await admin.get("/api/me")).body.user.id;
    await admin.patch(`/api/conversations/${ys.id}`, { assigneeId: me });
    expect((await admin.get(`/api/conversations/${oldest}`)).body.conversation.assigneeId).toBe(Y.id);

    // W comes online: takes three, oldest first.
    const next3 = (await queue()).slice(0, 3);
    await setAvailability(W, "online");
    expect((await s.heldBy(W)).map((c) => c.id).sort()).toEqual([...next3].sort());
    items = await s.list();
    expect(Math.max(...(Object.values(s.people) as Person[]).map((x) => items.filter((c) => c.assigneeId === x.id && c.status === "open").length))).toBe(3);

    const rows = await assignedRows(next3);
    expect(rows.map((r) => [r.actor, r.data.by, r.data.assigneeId])).toEqual(next3.map(() => ["system", "least_loaded", W.id]));
    const manual = await assignedRows([ys.id]);
    expect(manual.at(-1)).toMatchObject({ actor: "agent", data: { by: "agent", assigneeId: me, previous: Y.id } });
  });

  it("an agent going offline returns their open conversations to the queue, which others serve; coming back online takes work again", async () => {
    const s = await setup({ policy: "round_robin", capacity: 2 }, ["P", "Q"]);
    const { P, Q } = s.people;
    await s.arrive(3, "off");
    await waitFor(async () => (await s.list()).filter((c) => c.assigneeId).length === 3, "3 assigned", 30_000);
    const before = await s.heldBy(P);
    expect(before.length + (await s.heldBy(Q)).length).toBe(3);

    await setAvailability(P, "offline");
    // P's conversations went back to the queue; Q fills up to the capacity, the rest waits.
    const items = await s.list();
    expect(items.filter((c) => c.assigneeId === P.id)).toEqual([]);
    expect(items.filter((c) => c.assigneeId === Q.id)).toHaveLength(2);
    expect(items.filter((c) => !c.assigneeId)).toHaveLength(1);
    const requeued = await assignedRows(before.map((c) => c.id));
    expect(requeued.filter((r) => r.data.previous === P.id)).toEqual(before.map(() => expect.objectContaining({ actor: "system", data: expect.objectContaining({ assigneeId: null, by: "agent_offline" }) })));

    await setAvailability(P, "online");
    expect(await s.heldBy(P)).toHaveLength(1);

    // Away keeps what one has but takes nothing new.
    await setAvailability(P, "away");
    expect(await s.heldBy(P)).toHaveLength(1);
    await s.arrive(1, "away");
    await waitFor(async () => (await s.list()).length === 4, "4th arrival");
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.list()).filter((c) => !c.assigneeId)).toHaveLength(1);
  });

  it("a team that keeps conversations of offline members keeps them; a reopened conversation of an offline agent goes back to the queue otherwise", async () => {
    const keep = await setup({ policy: "round_robin", whenOffline: "keep" }, ["K"]);
    await keep.arrive(2, "keep");
    await waitFor(async () => (await keep.heldBy(keep.people.K)).length === 2, "2 assigned");
    await setAvailability(keep.people.K, "offline");
    expect(await keep.heldBy(keep.people.K)).toHaveLength(2);

    const s = await setup({ policy: "round_robin" }, ["R", "S"], ["S"]);
    const { R, S } = s.people;
    await postWebhook(p.url, s.channel.id, s.channel.secret, customerEvent(`reopen-${run}`, "first", { name: "Returning" }));
    const conv = await waitFor(async () => (await s.list()).find((c) => c.assigneeId === R.id), "assigned to R");
    await R.client.patch(`/api/conversations/${conv.id}`, { status: "resolved" });
    await setAvailability(S, "online");
    await setAvailability(R, "offline");
    await postWebhook(p.url, s.channel.id, s.channel.secret, customerEvent(`reopen-${run}`, "me again", { name: "Returning" }));
    const reopened = await waitFor(async () => {
      const c = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
      return c.status === "open" && c.assigneeId === S.id && c;
    }, "reopened and given to S");
    expect(reopened.teamId).toBe(s.team.id);
    const rows = await assignedRows([conv.id]);
    expect(rows.map((r) => r.data.by)).toEqual(["round_robin", "assignee_unavailable", "round_robin"]);
  });

  it("a bot's conversation is assigned when the bot hands it to people, not before", async () => {
    const s = await setup({ policy: "round_robin" }, ["H"], [], true);
    const rules = [{ name: "Hours", matchType: "keyword", pattern: "opening hours", reply: "We are open 9 to 5." }];
    expect((await admin.put(`/api/channels/${s.channel.id}/bot`, { rules })).status).toBe(200);
    await postWebhook(p.url, s.channel.id, s.channel.secret, customerEvent(`bot-${run}`, "what are your opening hours?", { name: "Botty" }));
    const conv = await waitFor(async () => (await s.list()).find((c) => c.contact.name === "Botty"), "conversation");
    await waitFor(async () => (await admin.get(`/api/conversations/${conv.id}/messages`)).body.items.length >= 2, "bot answered");
    expect((await admin.get(`/api/conversations/${conv.id}`)).body.conversation).toMatchObject({ owner: "bot", assigneeId: null, teamId: s.team.id });
    await postWebhook(p.url, s.channel.id, s.channel.secret, customerEvent(`bot-${run}`, "I want to talk to an agent", { name: "Botty" }));
    const handed = await waitFor(async () => {
      const c = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
      return c.owner === "human" && c.assigneeId && c;
    }, "handed off and assigned");
    expect(handed.assigneeId).toBe(s.people.H.id);
  });

  it("a manual team's conversations wait in its queue until someone assigns them", async () => {
    const s = await setup({ policy: "manual" }, ["M"]);
    await s.arrive(2, "manual");
    await waitFor(async () => (await s.list()).length === 2, "2 arrivals");
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.list()).every((c) => !c.assigneeId && c.teamId === s.team.id)).toBe(true);
    expect((await admin.get(`/api/teams/${s.team.id}`)).body.team.waiting).toBe(2);
    // Switching the team to round robin serves its queue at once.
    await admin.patch(`/api/teams/${s.team.id}`, { assignment: { policy: "round_robin" } });
    expect((await s.heldBy(s.people.M)).length).toBe(2);
    expect((await admin.get(`/api/teams/${s.team.id}`)).body.team).toMatchObject({ waiting: 0, members: [{ openConversations: 2 }] });
  });

  it("the sweeper serves a queue whose pass was lost, and requeues what a deactivated agent held", async () => {
    const s = await setup({ policy: "least_loaded" }, ["D", "E"], ["E"]);
    const { D, E } = s.people;
    await s.arrive(2, "sweep");
    await waitFor(async () => (await s.heldBy(D)).length === 2, "2 with D");
    // E comes online without the pass that normally follows (as if the process died right after the commit).
    await p.ctx.db.execute(sql`update users set availability = 'online' where id = ${E.id}`);
    // D is deactivated by an admin.
    await admin.patch(`/api/users/${D.id}`, { active: false });
    const { sweep } = await import("../server/pipeline/sweeper.js");
    const result = await sweep(p.ctx);
    expect(result.assignment.requeued).toBe(2);
    expect((await s.heldBy(E)).length).toBe(2);
    expect(await s.heldBy(D)).toEqual([]);
  });
});
