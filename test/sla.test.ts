import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { slaTargets } from "../server/db/schema.js";
import { controllableClock } from "../server/infra/clock.js";
import { sweep } from "../server/pipeline/sweeper.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson, setAvailability, type Person } from "./helpers/people.js";
import { startWhatsappFake, type WhatsappFake } from "./fakes/whatsapp-fake.js";

const nineToFive = [{ from: "09:00", to: "17:00" }];
const weekdays = (timeZone: string) => ({ timeZone, weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive } });
const H = 3600;

/**
 * SLA clocks on a controllable clock: the test moves time (across a weekend, time zones and a
 * daylight-saving change) and then runs the sweeper, the durable path that fires due deadlines found in
 * the database, as after a restart.
 */
describe("SLA policies and timers", () => {
  // Friday 6 March 2026, 16:00 in Berlin (UTC+1).
  const clock = controllableClock(new Date("2026-03-06T15:00:00Z"), { frozen: true });
  let p: TestParley;
  let admin: ApiClient;
  let agent: Person;
  let outsider: Person;
  const ch: Record<string, { id: string; secret: string }> = {};
  const policy: Record<string, any> = {};
  let us: any;

  const conversationOf = (channel: string, contact: string) =>
    waitFor(async () => ((await admin.get(`/api/conversations?channelId=${ch[channel]!.id}&limit=100`)).body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`), contact);
  const sla = async (id: string) => (await admin.get(`/api/conversations/${id}`)).body.conversation.sla;
  const targets = async (id: string) => (await admin.get(`/api/conversations/${id}/sla`)).body.items as any[];
  const at = (iso: string) => clock.set(new Date(iso));

  beforeAll(async () => {
    p = await startTestParley({ clock });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    for (const name of ["berlin", "us", "queue"]) ch[name] = await createApiChannel(admin, { name });
    agent = await addPerson(admin, "Agent");
    outsider = await addPerson(admin, "Outsider");
    expect((await admin.put("/api/business-hours", weekdays("Europe/Berlin"))).status).toBe(200);
    us = (await admin.post("/api/teams", { name: "US", memberIds: [agent.id], channelIds: [ch.us!.id], businessHours: weekdays("America/New_York") })).body.team;
  });
  // After the restart test, p runs on storage it does not own: dispose of it here (a second dispose does nothing).
  afterAll(async () => {
    await p?.stop();
    await p?.storage.dispose();
  });

  it("admins manage policies in order; the order is kept and validated", async () => {
    const none = await admin.post("/api/sla-policies", { name: "Empty" });
    expect(none.status).toBe(400);
    expect(none.body.issues[0].path).toBe("firstResponseSeconds");
    const foreign = await admin.post("/api/sla-policies", { name: "X", firstResponseSeconds: 600, match: { teamIds: ["00000000-0000-4000-8000-000000000000"] } });
    expect([foreign.status, foreign.body.code]).toEqual([400, "unknown_team"]);
    const create = async (body: Record<string, unknown>) => {
      const res = await admin.post("/api/sla-policies", body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.policy;
    };
    policy.default = await create({
      name: "Default",
      firstResponseSeconds: 2 * H,
      nextResponseSeconds: H,
      resolutionSeconds: 24 * H,
      businessHours: true,
      match: { channelIds: [ch.berlin!.id, ch.queue!.id] },
    });
    policy.urgent = await create({ name: "Urgent", firstResponseSeconds: 600, match: { priorities: ["urgent"] }, position: 0 });
    policy.us = await create({ name: "US team", firstResponseSeconds: H, businessHours: true, match: { teamIds: [us.id] } });
    expect(policy.default).toMatchObject({ match: { channelIds: [ch.berlin!.id, ch.queue!.id], kinds: [], priorities: [], teamIds: [] }, businessHours: true });
    const moved = await admin.patch(`/api/sla-policies/${policy.us.id}`, { position: 0 });
    expect(moved.body.policy.position).toBe(0);
    expect((await admin.get("/api/sla-policies")).body.items.map((x: any) => [x.name, x.position])).toEqual([
      ["US team", 0],
      ["Urgent", 1],
      ["Default", 2],
    ]);
    const cleared = await admin.patch(`/api/sla-policies/${policy.urgent.id}`, { firstResponseSeconds: null });
    expect(cleared.status).toBe(400);
    expect((await agent.client.get("/api/sla-policies")).status).toBe(403);
  });

  it("a business-hours deadline waits over the weekend; the warning at 80 % and the breach are pushed live, once", async () => {
    const ws = await admin.socket();
    const outsiderWs = await outsider.client.socket();
    try {
      await postWebhook(p.url, ch.berlin!.id, ch.berlin!.secret, customerEvent("fri", "Friday, 16:00"));
      const c = await conversationOf("berlin", "fri");
      // Two business hours from Friday 16:00: one on Friday, one on Monday from 09:00.
      expect(c.sla).toEqual({ policyId: policy.default.id, metric: "first_response", dueAt: "2026-03-09T09:00:00.000Z", breachedAt: null });
      expect((await targets(c.id)).map((t) => [t.metric, t.status, t.dueAt])).toEqual([
        ["first_response", "running", "2026-03-09T09:00:00.000Z"],
        ["resolution", "running", "2026-03-11T15:00:00.000Z"], // 24 business hours: Fri 1 + Mon 8 + Tue 8 + Wed 7
      ]);

      at("2026-03-08T20:00:00Z"); // Sunday evening: the clock has not run.
      expect((await sweep(p.ctx)).sla).toEqual({ breaches: 0, warnings: 0 });
      at("2026-03-09T08:40:00Z"); // Monday 09:40: past 80 % (96 business minutes: Friday's hour + 36 minutes).
      expect((await sweep(p.ctx)).sla).toEqual({ breaches: 0, warnings: 1 });
      const warning = await waitFor(async () => ws.events.find((e) => e.name === "sla.warning"), "warning push");
      expect(warning.payload).toEqual({ conversationId: c.id, metric: "first_response", dueAt: "2026-03-09T09:00:00.000Z" });

      at("2026-03-09T09:00:01Z");
      expect((await sweep(p.ctx)).sla).toEqual({ breaches: 1, warnings: 0 });
      const breach = await waitFor(async () => ws.events.find((e) => e.name === "sla.breached"), "breach push");
      expect(breach.payload).toEqual({ conversationId: c.id, metric: "first_response", dueAt: "2026-03-09T09:00:00.000Z", breachedAt: "2026-03-09T09:00:00.000Z" });
      expect(await sla(c.id)).toMatchObject({ metric: "first_response", breachedAt: "2026-03-09T09:00:00.000Z" });
      expect((await sweep(p.ctx)).sla).toEqual({ breaches: 0, warnings: 0 });
      await new Promise((r) => setTimeout(r, 200));
      expect(ws.events.filter((e) => e.name === "sla.breached")).toHaveLength(1);
      // The channel belongs to no team: every agent sees it, so the outsider was told too.
      expect(outsiderWs.events.some((e) => e.name === "sla.breached")).toBe(true);

      // The late reply is recorded on the breach, which stays a breach; the resolution clock is next.
      at("2026-03-09T09:05:00Z");
      await agent.client.post(`/api/conversations/${c.id}/messages`, { text: "Sorry for the wait" });
      expect(await sla(c.id)).toEqual({ policyId: policy.default.id, metric: "resolution", dueAt: "2026-03-11T15:00:00.000Z", breachedAt: null });

      // The customer writes again at 10:30: an hour (business) for the next response, met at 10:50.
      at("2026-03-09T09:30:00Z");
      await postWebhook(p.url, ch.berlin!.id, ch.berlin!.secret, customerEvent("fri", "And another thing"));
      await waitFor(async () => (await sla(c.id))?.metric === "next_response", "next response clock");
      expect((await sla(c.id)).dueAt).toBe("2026-03-09T10:30:00.000Z");
      at("2026-03-09T09:50:00Z");
      await agent.client.post(`/api/conversations/${c.id}/messages`, { text: "Done" });
      expect((await targets(c.id)).map((t) => [t.metric, t.status, t.doneAt, t.agentId])).toEqual([
        ["first_response", "breached", "2026-03-09T09:05:00.000Z", agent.id],
        ["resolution", "running", null, null],
        ["next_response", "met", "2026-03-09T09:50:00.000Z", agent.id],
      ]);
    } finally {
      ws.close();
      outsiderWs.close();
    }
  });

  it("a recorded breach is never recomputed: a new policy or priority leaves it as it was, and the table refuses changes", async () => {
    const c = await conversationOf("berlin", "fri");
    const before = (await targets(c.id)).find((t) => t.metric === "first_response");
    // Urgent now applies: it has no resolution target, so the running resolution clock stops (cancelled).
    await admin.patch(`/api/conversations/${c.id}`, { priority: "urgent" });
    const after = await targets(c.id);
    expect(after.find((t) => t.metric === "first_response")).toEqual(before);
    expect(after.find((t) => t.metric === "resolution").status).toBe("cancelled");
    expect(await sla(c.id)).toBeNull();
    const refusal = (q: Promise<unknown>) => q.then(() => "accepted", (err) => String(err.cause?.message ?? err.message));
    expect(await refusal(p.ctx.db.execute(sql`update sla_targets set status = 'met' where id = ${before.id}`))).toMatch(/final/);
    expect(await refusal(p.ctx.db.execute(sql`delete from sla_targets where id = ${before.id}`))).toMatch(/never deleted/);
    const [row] = await p.ctx.db.select().from(slaTargets).where(eq(slaTargets.id, before.id));
    expect(row).toMatchObject({ status: "breached", outcomeAt: new Date("2026-03-09T09:00:00Z"), channelId: ch.berlin!.id, policyId: policy.default.id });
  });

  it("a team's own hours and time zone count for its conversations; live SLA events reach only its people and managers", async () => {
    at("2026-03-09T12:00:00Z"); // Monday 08:00 in New York (EDT since Sunday), 13:00 in Berlin
    const ws = await admin.socket();
    const outsiderWs = await outsider.client.socket();
    const agentWs = await agent.client.socket();
    try {
      await postWebhook(p.url, ch.us!.id, ch.us!.secret, customerEvent("ny", "Good morning"));
      const c = await conversationOf("us", "ny");
      // One business hour in New York: 09:00-10:00 EDT (Berlin's hours would have said 14:00 CET = 13:00Z).
      expect(c.sla).toEqual({ policyId: policy.us.id, metric: "first_response", dueAt: "2026-03-09T14:00:00.000Z", breachedAt: null });
      at("2026-03-09T14:00:01Z");
      await sweep(p.ctx);
      await waitFor(async () => agentWs.events.find((e) => e.name === "sla.breached" && e.payload.conversationId === c.id), "team member told");
      await waitFor(async () => ws.events.find((e) => e.name === "sla.breached" && e.payload.conversationId === c.id), "manager told");
      await new Promise((r) => setTimeout(r, 200));
      expect(outsiderWs.events.filter((e) => e.name.startsWith("sla.") || JSON.stringify(e.payload).includes(c.id))).toEqual([]);
    } finally {
      ws.close();
      outsiderWs.close();
      agentWs.close();
    }
  });

  it("a waiting queue serves the nearest deadline first", async () => {
    const queueTeam = (await admin.post("/api/teams", { name: "Queue", memberIds: [outsider.id], channelIds: [ch.queue!.id], assignment: { policy: "least_loaded", capacity: 1 } })).body.team;
    await setAvailability(outsider, "online");
    await postWebhook(p.url, ch.queue!.id, ch.queue!.secret, customerEvent("q-1", "first"));
    const first = await waitFor(async () => {
      const c = await conversationOf("queue", "q-1");
      return c.assigneeId === outsider.id && c;
    }, "first assigned");
    await postWebhook(p.url, ch.queue!.id, ch.queue!.secret, customerEvent("q-2", "second, normal"));
    await conversationOf("queue", "q-2");
    await postWebhook(p.url, ch.queue!.id, ch.queue!.secret, customerEvent("q-3", "third, then urgent"));
    const third = await conversationOf("queue", "q-3");
    // Urgent: a 10-minute first response, nearer than the other's two business hours.
    await admin.patch(`/api/conversations/${third.id}`, { priority: "urgent" });
    expect((await sla(third.id)).policyId).toBe(policy.urgent.id);
    expect((await admin.get(`/api/teams/${queueTeam.id}`)).body.team.waiting).toBe(2);
    await outsider.client.patch(`/api/conversations/${first.id}`, { status: "resolved" });
    expect((await admin.get(`/api/conversations/${third.id}`)).body.conversation.assigneeId).toBe(outsider.id);
  });

  it("keeps local business hours across a daylight-saving change", async () => {
    at("2026-03-27T15:00:00Z"); // Friday 16:00 CET; on Sunday Berlin moves to CEST (UTC+2)
    await postWebhook(p.url, ch.berlin!.id, ch.berlin!.secret, customerEvent("dst", "before the change"));
    const c = await conversationOf("berlin", "dst");
    // Monday 10:00 CEST is 08:00Z (a fixed UTC+1 would have said 09:00Z).
    expect(c.sla.dueAt).toBe("2026-03-30T08:00:00.000Z");
    at("2026-03-30T07:59:00Z");
    await sweep(p.ctx);
    expect((await sla(c.id)).breachedAt).toBeNull();
    at("2026-03-30T08:00:00Z");
    await sweep(p.ctx);
    expect((await sla(c.id)).breachedAt).toBe("2026-03-30T08:00:00.000Z");
  });

  it("a deadline survives a restart: the next process finds it due in the database", async () => {
    at("2026-03-31T09:00:00Z"); // Tuesday 11:00 CEST
    await postWebhook(p.url, ch.berlin!.id, ch.berlin!.secret, customerEvent("restart", "hello?"));
    const c = await conversationOf("berlin", "restart");
    expect(c.sla.dueAt).toBe("2026-03-31T11:00:00.000Z");
    const storage = p.storage;
    await p.close(); // the delayed job is gone with the embedded queue (and would not fire for hours anyway)
    at("2026-03-31T11:30:00Z");
    p = await startTestParley({ storage, clock });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    // The sweep a starting worker runs at once finds the deadline due in the database.
    await waitFor(async () => (await sla(c.id))?.breachedAt === "2026-03-31T11:00:00.000Z", "breach after restart");
    expect((await sweep(p.ctx)).sla.breaches).toBe(0);
    expect((await targets(c.id)).filter((t) => t.status === "breached")).toHaveLength(1);
  });
});

describe("the platform's reply window as a deadline", () => {
  let p: TestParley;
  let admin: ApiClient;
  let fake: WhatsappFake;
  const PHONE_ID = "106000000000077";

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    fake = await startWhatsappFake({ webhookUrl: `${p.url}/webhooks/meta`, appSecret: "wa-app-secret", phoneNumberId: PHONE_ID, accessToken: "wa-token" });
    const res = await admin.post("/api/channels", {
      platform: "whatsapp",
      name: "WhatsApp",
      config: { phoneNumberId: PHONE_ID, appSecret: "wa-app-secret", verifyToken: "wa-verify", accessToken: "wa-token", apiBaseUrl: fake.url },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
  afterAll(async () => {
    await p?.stop();
    await fake?.close();
  });

  it("WhatsApp's 24 hours count from the customer's latest message, warn at 80 % and are met by a reply", async () => {
    const t0 = p.clock.now().getTime();
    await fake.inboundText("15550009999", "Wanda", "Hi there");
    const c = await waitFor(async () => ((await admin.get("/api/conversations")).body.items as any[]).find((x) => x.contact.name === "Wanda"), "conversation");
    expect(c.sla).toMatchObject({ policyId: null, metric: "reply_window", breachedAt: null });
    expect(Date.parse(c.sla.dueAt) - t0).toBeGreaterThanOrEqual(24 * H * 1000);
    expect(Date.parse(c.sla.dueAt) - t0).toBeLessThan(24 * H * 1000 + 60_000);

    const ws = await admin.socket();
    try {
      p.clock.advance(20 * H * 1000);
      expect((await sweep(p.ctx)).sla).toEqual({ breaches: 0, warnings: 1 });
      await waitFor(async () => ws.events.find((e) => e.name === "sla.warning" && e.payload.metric === "reply_window"), "warning");
    } finally {
      ws.close();
    }
    const reply = await admin.post(`/api/conversations/${c.id}/messages`, { text: "Here we are" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const [target] = (await admin.get(`/api/conversations/${c.id}/sla`)).body.items;
    expect(target).toMatchObject({ metric: "reply_window", status: "met", policyId: null });
    expect((await admin.get(`/api/conversations/${c.id}`)).body.conversation.sla).toBeNull();

    // A policy created now applies to conversations already open (re-measured in the background).
    const created = (await admin.post("/api/sla-policies", { name: "Resolve in a day", resolutionSeconds: 24 * H })).body.policy;
    const measured = await waitFor(async () => (await admin.get(`/api/conversations/${c.id}`)).body.conversation.sla, "re-measured");
    expect(measured).toMatchObject({ policyId: created.id, metric: "resolution" });
    expect(Date.parse(measured.dueAt)).toBe(Date.parse(c.createdAt) + 24 * H * 1000);
    // Deleting it stops the clock (cancelled: neither met nor breached).
    await admin.request("DELETE", `/api/sla-policies/${created.id}`);
    await waitFor(async () => (await admin.get(`/api/conversations/${c.id}`)).body.conversation.sla === null, "clock stopped");
    expect((await admin.get(`/api/conversations/${c.id}/sla`)).body.items.map((t: any) => t.status)).toEqual(["met", "cancelled"]);
  });
});
