import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, conversations } from "../server/db/schema.js";
import { appendLedger, type LedgerAppend } from "../server/domain/ledger.js";
import { controllableClock } from "../server/infra/clock.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson, setAvailability, type Person } from "./helpers/people.js";

const nineToFive = [{ from: "09:00", to: "17:00" }];
const H = 3600;

/**
 * The reports on crafted days, with the clock frozen and moved by the test. Business hours are
 * Monday to Friday 09:00-17:00 UTC. Monday 2 March 2026:
 * - 16:00 Ana writes on the Support team's channel, Ben on a channel in no team;
 * - 16:20 Ana's conversation is assigned to Alice; 16:30 Alice answers (first response 30 min);
 * - 16:50 Ana writes again; Tuesday 09:10 Alice answers (reply 16 h 20 min; 20 business minutes);
 * - Tuesday 09:30 the admin answers Ben (first response 17 h 30 min; 1 h 30 min of business time);
 * - Tuesday 10:00 Alice resolves Ana's conversation (18 h; 2 business hours).
 * An SLA policy wants a first response within one business hour: Ana's is met, Ben's breached at 17:00.
 * Three bot conversations are written straight into the ledger: one contained, one handed off, one open.
 */
describe("reports", () => {
  const clock = controllableClock(new Date("2026-03-02T12:00:00Z"), { frozen: true });
  const at = (iso: string) => clock.set(new Date(iso));
  let p: TestParley;
  let admin: ApiClient;
  let alice: Person;
  let supervisor: Person;
  let me: any;
  let team: any;
  const ch: Record<string, { id: string; secret: string }> = {};
  const conv: Record<string, string> = {};

  const conversationOf = (channel: string, contact: string) =>
    waitFor(async () => ((await admin.get(`/api/conversations?channelId=${ch[channel]!.id}&limit=100`)).body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`)?.id as string, contact);
  const get = async (path: string) => {
    const res = await supervisor.client.get(path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const reply = async (who: ApiClient, id: string, text: string) => expect((await who.post(`/api/conversations/${id}/messages`, { text })).status).toBe(201);

  beforeAll(async () => {
    p = await startTestParley({ clock });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    me = (await admin.get("/api/me")).body;
    for (const name of ["support", "other"]) ch[name] = await createApiChannel(admin, { name: name === "support" ? "Support desk" : "Other desk" });
    alice = await addPerson(admin, "Alice");
    supervisor = await addPerson(admin, "Sue", "supervisor");
    expect((await admin.put("/api/business-hours", { timeZone: "UTC", weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive } })).status).toBe(200);
    team = (await admin.post("/api/teams", { name: "Support", memberIds: [alice.id], channelIds: [ch.support!.id] })).body.team;
    expect((await admin.post("/api/sla-policies", { name: "One hour", firstResponseSeconds: H, businessHours: true })).status).toBe(201);
    await setAvailability(alice, "online");
    await craftBotConversations();

    at("2026-03-02T16:00:00Z");
    expect((await postWebhook(p.url, ch.support!.id, ch.support!.secret, customerEvent("ana", "Where is my order?"))).status).toBe(200);
    expect((await postWebhook(p.url, ch.other!.id, ch.other!.secret, customerEvent("ben", "Hello?"))).status).toBe(200);
    conv.ana = await conversationOf("support", "ana");
    conv.ben = await conversationOf("other", "ben");
  });
  afterAll(() => p?.stop());

  /** Bot conversations on the other channel, Monday 12:00-12:10: the ledger is what containment reads. */
  async function craftBotConversations() {
    const [contact] = await p.ctx.db.insert(contacts).values({ workspaceId: me.workspace.id, name: "Bot customer" }).returning();
    const T = (m: number) => new Date(Date.parse("2026-03-02T12:00:00Z") + m * 60_000);
    const scripts: Array<{ key: string; status: "open" | "resolved"; owner: "bot" | "human"; steps: Array<[number, LedgerAppend["type"], LedgerAppend["actor"], Record<string, unknown>?]> }> = [
      { key: "contained", status: "resolved", owner: "bot", steps: [[0, "conversation.created", "customer", { owner: "bot" }], [0, "message.created", "customer"], [1, "message.created", "bot"], [2, "resolved", "bot"]] },
      { key: "handedOff", status: "open", owner: "human", steps: [[5, "conversation.created", "customer", { owner: "bot" }], [5, "message.created", "customer"], [6, "handed_off", "bot", { reason: "customer_request" }]] },
      { key: "botOpen", status: "open", owner: "bot", steps: [[10, "conversation.created", "customer", { owner: "bot" }], [10, "message.created", "customer"]] },
    ];
    for (const s of scripts) {
      const [row] = await p.ctx.db
        .insert(conversations)
        .values({ workspaceId: me.workspace.id, channelId: ch.other!.id, contactId: contact!.id, kind: "dm", threadKey: `crafted-${s.key}`, owner: s.owner, status: s.status, createdAt: T(s.steps[0]![0]) })
        .returning();
      conv[s.key] = row!.id;
      await appendLedger(
        p.ctx.db,
        s.steps.map(([m, type, actor, data]) => ({ workspaceId: me.workspace.id, conversationId: row!.id, type, actor, actorUserId: null, data: data ?? { visibility: "public" }, at: T(m) })),
      );
    }
  }

  const stat = (count: number, mean: number | null, median = mean, p90 = mean) => ({ count, mean, median, p90 });
  const none = stat(0, null);
  const times = (fr: ReturnType<typeof stat>, r: ReturnType<typeof stat>, res: ReturnType<typeof stat>) => ({ firstResponseTime: fr, replyTime: r, resolutionTime: res });
  const people = (live: any) => live.agents.map((a: any) => [a.name, a.availability, a.openConversations]);

  it("the live view shows the queue and its longest wait, SLA deadlines at risk and breached, people and their load, bots' conversations", async () => {
    at("2026-03-02T16:10:00Z");
    let live = await get("/api/reports/live");
    expect(live.waiting).toMatchObject({ count: 2, longestWaitSeconds: 600 });
    expect(live.waiting.oldest.map((w: any) => [w.conversationId, w.since, w.waitSeconds]).sort()).toEqual(
      [
        [conv.ana, "2026-03-02T16:00:00.000Z", 600],
        [conv.ben, "2026-03-02T16:00:00.000Z", 600],
      ].sort(),
    );
    expect(live.sla).toEqual({ atRisk: 0, breached: 0 });
    expect(people(live)).toEqual([
      ["Admin", "offline", 0],
      ["Alice", "online", 0],
      ["Sue", "offline", 0],
    ]);
    expect(live.byAvailability).toEqual({ online: 1, away: 0, offline: 2 });
    expect(live.botOwned).toBe(1);

    at("2026-03-02T16:20:00Z");
    expect((await admin.patch(`/api/conversations/${conv.ana}`, { assigneeId: alice.id })).status).toBe(200);
    at("2026-03-02T16:30:00Z");
    await reply(alice.client, conv.ana!, "It ships today");
    at("2026-03-02T16:50:00Z");
    expect((await postWebhook(p.url, ch.support!.id, ch.support!.secret, customerEvent("ana", "Thanks, and the invoice?"))).status).toBe(200);
    await waitFor(async () => (await admin.get(`/api/conversations/${conv.ana}`)).body.conversation.waitingSince, "Ana waits again");
    // Ana is Alice's now; Ben's first-response deadline (17:00) is past its warning (16:48).
    live = await get("/api/reports/live");
    expect(live.waiting).toEqual({ count: 1, longestWaitSeconds: 3000, oldest: [{ conversationId: conv.ben, channelId: ch.other!.id, teamId: null, since: "2026-03-02T16:00:00.000Z", waitSeconds: 3000 }] });
    expect(live.sla).toEqual({ atRisk: 1, breached: 0 });
    expect(people(live)).toContainEqual(["Alice", "online", 1]);

    // Past due: breached at once, before any timer ran; the team's view leaves out Ben, the bots and non-members.
    at("2026-03-02T17:01:00Z");
    live = await get("/api/reports/live");
    expect([live.waiting.count, live.waiting.longestWaitSeconds, live.sla]).toEqual([1, 3660, { atRisk: 0, breached: 1 }]);
    const teamLive = await get(`/api/reports/live?teamId=${team.id}`);
    expect([teamLive.waiting.count, teamLive.sla, teamLive.botOwned, people(teamLive)]).toEqual([0, { atRisk: 0, breached: 0 }, 0, [["Alice", "online", 1]]]);
  });

  it("response times: totals, business hours, every grouping, filters and CSV", async () => {
    at("2026-03-03T09:10:00Z");
    await reply(alice.client, conv.ana!, "Invoice attached");
    at("2026-03-03T09:30:00Z");
    await reply(admin, conv.ben!, "Hello Ben");
    at("2026-03-03T10:00:00Z");
    expect((await alice.client.patch(`/api/conversations/${conv.ana}`, { status: "resolved" })).status).toBe(200);
    const period = "from=2026-03-02&to=2026-03-04";
    const report = (q = "") => get(`/api/reports/response-times?${period}${q}`);

    // First responses 1800 and 63000: p90 = 1800 + 0.9 × 61200.
    const totals = times(stat(2, 32400, 32400, 56880), stat(1, 58800), stat(1, 64800));
    expect(await report()).toEqual({ from: "2026-03-02T00:00:00.000Z", to: "2026-03-04T00:00:00.000Z", businessHours: false, ...totals, groupBy: null, rows: [] });
    // Business time: 30 min and 1 h 30 min; the reply 10 + 10 min; the resolution 1 + 1 h.
    expect(await report("&businessHours=true")).toMatchObject({ businessHours: true, ...times(stat(2, 3600, 3600, 5040), stat(1, 1200), stat(1, 7200)) });

    const byAgent = await report("&groupBy=agent");
    expect(byAgent).toMatchObject({ ...totals, groupBy: "agent" });
    expect(byAgent.rows).toEqual([
      { key: me.user.id, label: "Admin", ...times(stat(1, 63000), none, none) },
      { key: alice.id, label: "Alice", ...times(stat(1, 1800), stat(1, 58800), stat(1, 64800)) },
    ]);
    expect((await report("&groupBy=team")).rows).toEqual([
      { key: team.id, label: "Support", ...times(stat(1, 1800), stat(1, 58800), stat(1, 64800)) },
      { key: null, label: "No team", ...times(stat(1, 63000), none, none) },
    ]);
    expect((await report("&groupBy=channel")).rows.map((r: any) => [r.key, r.label, r.firstResponseTime.count])).toEqual([
      [ch.other!.id, "Other desk", 1],
      [ch.support!.id, "Support desk", 1],
    ]);
    // Days in Berlin: the period ends at 01:00 on the 4th there, so that day is listed, empty.
    expect((await report("&groupBy=day&timeZone=Europe/Berlin")).rows).toEqual([
      { key: "2026-03-02", label: "2026-03-02", ...times(stat(1, 1800), none, none) },
      { key: "2026-03-03", label: "2026-03-03", ...times(stat(1, 63000), stat(1, 58800), stat(1, 64800)) },
      { key: "2026-03-04", label: "2026-03-04", ...times(none, none, none) },
    ]);
    const byHour = (await report("&groupBy=hour&businessHours=true")).rows;
    expect(byHour.map((r: any) => r.key)).toEqual(Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0")));
    expect(byHour.filter((r: any) => r.firstResponseTime.count + r.replyTime.count + r.resolutionTime.count > 0)).toEqual([
      { key: "09", label: "09:00", ...times(stat(1, 5400), stat(1, 1200), none) },
      { key: "10", label: "10:00", ...times(none, none, stat(1, 7200)) },
      { key: "16", label: "16:00", ...times(stat(1, 1800), none, none) },
    ]);

    expect(await report(`&teamId=${team.id}`)).toMatchObject(times(stat(1, 1800), stat(1, 58800), stat(1, 64800)));
    expect(await report(`&agentId=${me.user.id}`)).toMatchObject(times(stat(1, 63000), none, none));
    expect(await report(`&channelId=${ch.other!.id}&businessHours=true`)).toMatchObject(times(stat(1, 5400), none, none));
    expect((await get(`/api/reports/response-times?from=2026-03-03&to=2026-03-04`)).firstResponseTime).toEqual(stat(1, 63000));

    const csv = await supervisor.client.get(`/api/reports/response-times?${period}&groupBy=agent&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="response-times-2026-03-02-agent.csv"');
    expect(csv.body.split("\r\n")).toEqual([
      "key,label,first_response_count,first_response_mean_seconds,first_response_median_seconds,first_response_p90_seconds,reply_count,reply_mean_seconds,reply_median_seconds,reply_p90_seconds,resolution_count,resolution_mean_seconds,resolution_median_seconds,resolution_p90_seconds",
      "total,All (2026-03-02T00:00:00.000Z to 2026-03-04T00:00:00.000Z),2,32400,32400,56880,1,58800,58800,58800,1,64800,64800,64800",
      `${me.user.id},Admin,1,63000,63000,63000,0,,,,0,,,`,
      `${alice.id},Alice,1,1800,1800,1800,1,58800,58800,58800,1,64800,64800,64800`,
      "",
    ]);
  });

  it("overview: volume, bot containment and hand-offs, SLA attainment, by channel and team", async () => {
    const period = "from=2026-03-02&to=2026-03-04";
    const handedOff = { customer_request: 0, sensitive: 0, negative_review: 0, no_answer: 0, bot_unavailable: 0, max_turns: 0, agent_takeover: 0 };
    expect(await get(`/api/reports/overview?${period}`)).toEqual({
      from: "2026-03-02T00:00:00.000Z",
      to: "2026-03-04T00:00:00.000Z",
      conversations: 5,
      messagesIn: 3,
      messagesOut: 3,
      botConversations: 3,
      botResolved: 1,
      containment: 0.3333,
      handedOff: { ...handedOff, customer_request: 1 },
      sla: { met: 1, breached: 1, attainment: 0.5 },
      replyWindowsExpired: 0,
    });
    const support = { conversations: 1, messagesIn: 2, messagesOut: 2, botConversations: 0, botResolved: 0, containment: null, handedOff, sla: { met: 1, breached: 0, attainment: 1 } };
    expect(await get(`/api/reports/overview?${period}&channelId=${ch.support!.id}`)).toMatchObject(support);
    expect(await get(`/api/reports/overview?${period}&teamId=${team.id}`)).toMatchObject(support);
    // Tuesday only: Ben's breach was at Monday 17:00, the bots worked on Monday.
    expect(await get(`/api/reports/overview?from=2026-03-03&to=2026-03-04`)).toMatchObject({ conversations: 0, messagesIn: 0, messagesOut: 2, botConversations: 0, sla: { met: 0, breached: 0, attainment: null } });
    // Bot numbers are the bot report's, one definition.
    const bots = (await supervisor.client.get(`/api/bots/report?${period}`)).body;
    expect([bots.botConversations.count, bots.contained.count, bots.handoffs.total]).toEqual([3, 1, 1]);
  });

  it("refuses bad periods, unknown teams, people and time zones, and agents", async () => {
    const bad = async (path: string, code: string) => {
      const res = await supervisor.client.get(path);
      expect([res.status, res.body.code], path).toEqual([400, code]);
    };
    await bad("/api/reports/response-times?from=2026-03-04&to=2026-03-02", "invalid_range");
    await bad("/api/reports/overview?from=2026-03-04&to=2026-03-04", "invalid_range");
    await bad("/api/reports/response-times?groupBy=week", "validation_failed");
    await bad("/api/reports/response-times?groupBy=day&timeZone=Mars/Olympus", "invalid_time_zone");
    await bad("/api/reports/response-times?teamId=00000000-0000-4000-8000-000000000000", "unknown_team");
    await bad("/api/reports/overview?teamId=00000000-0000-4000-8000-000000000000", "unknown_team");
    await bad("/api/reports/live?teamId=00000000-0000-4000-8000-000000000000", "unknown_team");
    await bad("/api/reports/response-times?agentId=00000000-0000-4000-8000-000000000000", "unknown_user");
    for (const path of ["/api/reports/response-times", "/api/reports/overview", "/api/reports/live", "/api/reports/response-times?format=csv"]) {
      expect((await alice.client.get(path)).status, path).toBe(403);
    }
  });
});
