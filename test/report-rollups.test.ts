import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendLedger, refreshMetricSamples } from "../server/domain/ledger.js";
import { overview, overviewDirect } from "../server/reports/overview.js";
import { responseTimes, type ResponseTimesQuery } from "../server/reports/response-times.js";
import { ApiClient, createApiChannel } from "./helpers/client.js";
import { ADMIN, startTestParley, type TestParley } from "./helpers/parley.js";
import { addPerson } from "./helpers/people.js";

const DAY = 86_400_000;
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/**
 * The fast paths of the reports against a direct computation on the same data: the overview's daily
 * rollup (closed UTC days cached, edges live) against counting the tables, and the response times'
 * bucket selection against PostgreSQL's percentile_cont, then again after the data changes under them.
 * Data: 400 conversations spread over the 6 days before now (by the database's clock, so those days
 * are closed and rolled up), 5 messages each, hand-offs, SLA outcomes and 3 samples each.
 */
describe("report rollups equal a direct computation", { timeout: 120_000 }, () => {
  let p: TestParley;
  let admin: ApiClient;
  let ws: string;
  const teams: string[] = [];
  const channels: string[] = [];
  const agents: string[] = [];
  let start: number; // midnight UTC, 6 days ago
  const scope = () => ({ workspaceId: ws });
  const exec = async <T>(q: ReturnType<typeof sql>) => rowsOf<T>(await p.ctx.db.execute(q));

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    ws = (await admin.get("/api/me")).body.workspace.id;
    for (let i = 0; i < 3; i++) channels.push((await createApiChannel(admin, { name: `Rollup desk ${i}` })).id);
    for (let i = 0; i < 2; i++) teams.push((await admin.post("/api/teams", { name: `Rollup team ${i}`, channelIds: [channels[i]] })).body.team.id);
    for (const name of ["Ada", "Bo", "Cy"]) agents.push((await addPerson(admin, name)).id);
    const [now] = await exec<{ now: string }>(sql`select now() as now`);
    start = Math.floor(new Date(now!.now).getTime() / DAY) * DAY - 6 * DAY;
    await seed();
  });
  afterAll(() => p?.stop());

  async function seed() {
    const base = new Date(start).toISOString();
    const [contact] = await exec<{ id: string }>(sql`insert into contacts (workspace_id, name) values (${ws}, 'Rollup customer') returning id`);
    const chans = `{${channels.join(",")}}`;
    const people = `{${agents.join(",")}}`;
    // Conversation i at a pseudo-random moment of the 6 days; messages every 7 minutes; every 4th handed off, every 3rd with an SLA outcome.
    await exec(sql`
      create temp table rc as
      select i, gen_random_uuid() as id, (${chans}::uuid[])[1 + i % 3] as channel_id, (${people}::uuid[])[1 + i % 3] as agent_id,
        ${base}::timestamptz + make_interval(secs => ((hashint4(i)::bigint + 2147483648) % (6 * 86400 - 3600))) as at
      from generate_series(1, 400) i`);
    await exec(sql`
      insert into conversations (id, workspace_id, channel_id, contact_id, kind, thread_key, status, owner, created_at, updated_at, activity_at)
      select id, ${ws}, channel_id, ${contact!.id}, 'dm', 'rollup-' || i, 'open', 'human', at, at, at from rc`);
    await exec(sql`
      insert into messages (workspace_id, conversation_id, channel_id, direction, author, author_user_id, visibility, text, status, created_at, updated_at)
      select ${ws}, rc.id, rc.channel_id, case when k % 2 = 0 then 'in' else 'out' end, case when k % 2 = 0 then 'customer' else 'agent' end,
        case when k % 2 = 1 then rc.agent_id end, case when k = 3 and rc.i % 5 = 0 then 'note' else 'public' end, 'hello',
        case when k % 2 = 0 then 'received' when k = 1 and rc.i % 7 = 0 then 'cancelled' else 'sent' end,
        rc.at + make_interval(mins => k * 7), rc.at + make_interval(mins => k * 7)
      from rc, generate_series(0, 4) k`);
    await exec(sql`
      insert into conversation_events (workspace_id, conversation_id, type, actor, data, at)
      select ${ws}, id, 'handed_off', 'bot', jsonb_build_object('reason', (array['customer_request','no_answer','sensitive'])[1 + i % 3]), at + interval '2 minutes'
      from rc where i % 4 = 0`);
    await exec(sql`
      insert into sla_targets (workspace_id, conversation_id, channel_id, team_id, metric, business_hours, status, started_at, warn_at, due_at, breached_at, done_at, ended_at, outcome_at)
      select ${ws}, rc.id, rc.channel_id, c.team_id, case when rc.i % 9 = 0 then 'reply_window' else 'first_response' end, false,
        case when rc.i % 2 = 0 then 'met' else 'breached' end, rc.at, rc.at + interval '48 minutes', rc.at + interval '1 hour',
        case when rc.i % 2 = 1 then rc.at + interval '1 hour' end, case when rc.i % 2 = 0 then rc.at + interval '7 minutes' end,
        rc.at + case when rc.i % 2 = 0 then interval '7 minutes' else interval '1 hour' end,
        rc.at + case when rc.i % 2 = 0 then interval '7 minutes' else interval '1 hour' end
      from rc join conversations c on c.id = rc.id where rc.i % 3 = 0`);
    await exec(sql`
      insert into metric_samples (workspace_id, conversation_id, channel_id, team_id, metric, seconds, business_seconds, started_at, recorded_at, agent_id)
      select ${ws}, rc.id, rc.channel_id, c.team_id, s.metric, s.secs, s.secs * 0.4, rc.at, rc.at + make_interval(secs => s.secs), case when rc.i % 10 <> 0 then rc.agent_id end
      from rc join conversations c on c.id = rc.id
        cross join lateral (values ('first_response', (hashint4(rc.i * 3) & 4095) / 7.0), ('reply', case when rc.i % 11 = 0 then 0 else (hashint4(rc.i * 5) & 65535) / 3.0 end),
          ('resolution', 600 + (hashint4(rc.i * 7) & 262143) / 1.5)) s(metric, secs)`);
    await exec(sql`drop table rc`);
  }

  /** Periods with edges inside days, on day boundaries, a single day, and reaching into today. */
  const periods = () => {
    const t = (h: number) => new Date(start + h * 3_600_000);
    return [
      { from: t(0), to: t(24 * 6) },
      { from: t(5.5), to: t(24 * 5 + 17.25) },
      { from: t(30), to: t(40) },
      { from: t(47), to: t(24 * 7 + 1) },
    ];
  };
  const overviewsMatch = async (label: string) => {
    for (const period of periods()) {
      for (const filter of [{}, { channelId: channels[0] }, { teamId: teams[1] }]) {
        const q = { ...period, ...filter };
        expect(await overview(p.ctx.db, scope(), q), `${label} ${JSON.stringify(q)}`).toEqual(await overviewDirect(p.ctx.db, scope(), q));
      }
    }
  };
  const rolledDays = async () => (await exec<{ n: number }>(sql`select count(*)::int as n from report_days where workspace_id = ${ws}`))[0]!.n;

  it("overview: the rollup answers like counting the tables, for whole days, partial edges and filters", async () => {
    await overviewsMatch("first use");
    // The closed days are now counted (today and days within the last hour are not).
    expect(await rolledDays()).toBeGreaterThanOrEqual(5);
    const full = await overview(p.ctx.db, scope(), periods()[0]!);
    expect(full.conversations).toBe(400);
    expect(full.messagesIn).toBe(1200);
    await overviewsMatch("cached");
  });

  it("overview: a conversation that changes team, a late message, a late SLA outcome and a deletion are counted again", async () => {
    await overviewsMatch("before");
    const before = await overview(p.ctx.db, scope(), { ...periods()[0]!, teamId: teams[1] });
    // Move a conversation of team 0 (with its messages and hand-offs) to team 1.
    const [moved] = await exec<{ id: string }>(sql`
      select c.id from conversations c where c.workspace_id = ${ws} and c.team_id = ${teams[0]} and c.created_at < ${new Date(start + 4 * DAY).toISOString()}::timestamptz
        and exists (select 1 from conversation_events e where e.conversation_id = c.id and e.type = 'handed_off') limit 1`);
    await exec(sql`update conversations set team_id = ${teams[1]} where id = ${moved!.id}`);
    const after = await overview(p.ctx.db, scope(), { ...periods()[0]!, teamId: teams[1] });
    expect(after.conversations).toBe(before.conversations + 1);
    expect(after.messagesIn).toBe(before.messagesIn + 3);
    await overviewsMatch("team changed");
    // A message imported late into a counted day, a breach recorded late, a message deleted.
    const day2 = new Date(start + DAY + 3_600_000).toISOString();
    await exec(sql`
      insert into messages (workspace_id, conversation_id, channel_id, direction, author, visibility, text, status, created_at, updated_at)
      select workspace_id, id, channel_id, 'in', 'customer', 'public', 'late', 'received', ${day2}::timestamptz, ${day2}::timestamptz from conversations where id = ${moved!.id}`);
    await exec(sql`
      insert into sla_targets (workspace_id, conversation_id, channel_id, team_id, metric, business_hours, status, started_at, warn_at, due_at, breached_at, ended_at, outcome_at)
      select workspace_id, id, channel_id, team_id, 'next_response', false, 'breached', ${day2}::timestamptz, ${day2}::timestamptz, ${day2}::timestamptz, ${day2}::timestamptz, ${day2}::timestamptz, ${day2}::timestamptz
      from conversations where id = ${moved!.id}`);
    await exec(sql`delete from messages where id = (select id from messages where workspace_id = ${ws} and created_at < ${new Date(start + 3 * DAY).toISOString()}::timestamptz order by created_at limit 1)`);
    const later = await overview(p.ctx.db, scope(), { ...periods()[0]!, teamId: teams[1] });
    expect(later.messagesIn).toBe(after.messagesIn + 1);
    expect(later.sla.breached).toBe(after.sla.breached + 1);
    await overviewsMatch("late rows");
  });

  /** The response times as PostgreSQL's percentile_cont computes them, over the same samples. */
  async function direct(q: ResponseTimesQuery) {
    const value = q.businessHours ? sql`coalesce(s.business_seconds, s.seconds)` : sql`s.seconds`;
    const key =
      q.groupBy === "day" ? sql`((s.recorded_at at time zone ${q.timeZone})::date)::text`
      : q.groupBy === "hour" ? sql`lpad(extract(hour from s.recorded_at at time zone ${q.timeZone})::int::text, 2, '0')`
      : q.groupBy ? sql.raw(`s.${q.groupBy}_id::text`) : sql`null::text`;
    const rows = await exec<{ metric: string; key: string | null; total: boolean; n: number; mean: number; med: number; p90: number }>(sql`
      select x.metric, ${q.groupBy ? sql`x.k as key, grouping(x.k) = 1` : sql`null::text as key, true`} as total, count(*)::int as n, avg(x.v)::float8 as mean,
        percentile_cont(0.5) within group (order by x.v) as med, percentile_cont(0.9) within group (order by x.v) as p90
      from (select s.metric, ${key} as k, ${value} as v from metric_samples s
        where s.workspace_id = ${ws} and s.recorded_at >= ${q.from.toISOString()}::timestamptz and s.recorded_at < ${q.to.toISOString()}::timestamptz
          ${q.teamId ? sql`and s.team_id = ${q.teamId}` : sql``} ${q.channelId ? sql`and s.channel_id = ${q.channelId}` : sql``} ${q.agentId ? sql`and s.agent_id = ${q.agentId}` : sql``}) x
      group by ${q.groupBy ? sql`grouping sets ((x.metric), (x.metric, x.k))` : sql`x.metric`}`);
    const r3 = (n: number) => Math.round(Number(n) * 1000) / 1000;
    return rows.map((r) => ({ metric: r.metric as keyof typeof fields, key: r.key, total: r.total, stat: { count: r.n, mean: r3(r.mean), median: r3(r.med), p90: r3(r.p90) } }));
  }
  const fields = { first_response: "firstResponseTime", reply: "replyTime", resolution: "resolutionTime" } as const;
  const timesMatch = async (label: string) => {
    const t = (h: number) => new Date(start + h * 3_600_000);
    const queries: ResponseTimesQuery[] = [
      { from: t(0), to: t(24 * 7), businessHours: false, timeZone: "UTC" },
      { from: t(3.5), to: t(24 * 5 + 1), businessHours: false, groupBy: "agent", timeZone: "UTC" },
      { from: t(0), to: t(24 * 7), businessHours: true, groupBy: "team", timeZone: "UTC" },
      { from: t(0), to: t(24 * 7), businessHours: false, groupBy: "channel", timeZone: "UTC", teamId: teams[0] },
      { from: t(0), to: t(24 * 7), businessHours: false, groupBy: "day", timeZone: "America/St_Johns" },
      { from: t(10), to: t(24 * 6), businessHours: true, groupBy: "day", timeZone: "Asia/Kathmandu", agentId: agents[1] },
      { from: t(0), to: t(24 * 7), businessHours: false, groupBy: "hour", timeZone: "Europe/Berlin", channelId: channels[2] },
      { from: t(1.25), to: t(24 * 7), businessHours: true, groupBy: "hour", timeZone: "Asia/Kolkata" },
      { from: t(0), to: t(24 * 7), businessHours: false, groupBy: "hour", timeZone: "Australia/Lord_Howe" },
    ];
    for (const q of queries) {
      const report = await responseTimes(p.ctx.db, scope(), q);
      const expected = await direct(q);
      const where = `${label} ${JSON.stringify(q)}`;
      for (const e of expected.filter((x) => x.total)) expect(report[fields[e.metric]], `${where} total ${e.metric}`).toEqual(e.stat);
      const groups = expected.filter((x) => !x.total);
      for (const e of groups) expect(report.rows.find((r) => r.key === e.key)?.[fields[e.metric]], `${where} ${e.key} ${e.metric}`).toEqual(e.stat);
      // Nothing more: every other row is empty.
      const nonEmpty = report.rows.flatMap((r) => Object.values(fields).filter((f) => r[f].count > 0));
      expect(nonEmpty.length, where).toBe(groups.length);
      expect(expected.length, where).toBeGreaterThan(2);
    }
  };

  it("response times: the bucket selection gives percentile_cont's numbers for every grouping, filters, business hours and time zones", async () => {
    await timesMatch("seeded");
  });

  it("response times: a re-computed sample and a team change are reported from the new values", async () => {
    // A conversation's ledger gains events: its samples are re-computed from the ledger (replacing the seeded ones).
    const [c] = await exec<{ id: string; channel_id: string; at: string }>(sql`
      select id, channel_id, created_at as at from conversations where workspace_id = ${ws} and team_id = ${teams[0]} order by created_at limit 1`);
    const t0 = new Date(c!.at).getTime();
    await p.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`update conversations set team_id = ${teams[1]} where id = ${c!.id}`);
      const ids = { workspaceId: ws, conversationId: c!.id };
      await appendLedger(tx, [
        { ...ids, type: "conversation.created", actor: "customer", data: { owner: "human" }, at: new Date(t0) },
        { ...ids, type: "message.created", actor: "customer", data: { visibility: "public" }, at: new Date(t0 + 1000) },
        { ...ids, type: "message.created", actor: "agent", actorUserId: agents[2]!, data: { visibility: "public" }, at: new Date(t0 + 91_000) },
      ]);
      await refreshMetricSamples(tx, { id: c!.id, workspaceId: ws, channelId: c!.channel_id });
    });
    const samples = await exec<{ metric: string; seconds: number; team_id: string }>(sql`select metric, seconds, team_id from metric_samples where conversation_id = ${c!.id}`);
    expect(samples).toEqual([{ metric: "first_response", seconds: 91, team_id: teams[1] }]);
    await timesMatch("re-computed");
  });

  it("response times by local day and hour across daylight-saving changes", async () => {
    const [c] = await exec<{ id: string; channel_id: string }>(sql`select id, channel_id from conversations where workspace_id = ${ws} limit 1`);
    // A sample every 37 minutes around Berlin's and Lord Howe's changes of 2026 (25 October; 4 October, by half an hour).
    for (const [from, to] of [["2026-10-24T18:00:00Z", "2026-10-26T06:00:00Z"], ["2026-10-03T10:00:00Z", "2026-10-04T20:00:00Z"]] as const) {
      await exec(sql`
        insert into metric_samples (workspace_id, conversation_id, channel_id, metric, seconds, business_seconds, started_at, recorded_at)
        select ${ws}, ${c!.id}, ${c!.channel_id}, 'reply', 30 + (i * 7919) % 500, 10 + (i * 104729) % 300, t, t
        from generate_series(${from}::timestamptz, ${to}::timestamptz, interval '37 minutes') with ordinality g(t, i)`);
    }
    for (const q of [
      { from: new Date("2026-10-24T00:00:00Z"), to: new Date("2026-10-27T00:00:00Z"), timeZone: "Europe/Berlin" },
      { from: new Date("2026-10-03T00:00:00Z"), to: new Date("2026-10-05T00:00:00Z"), timeZone: "Australia/Lord_Howe" },
    ]) {
      for (const groupBy of ["day", "hour"] as const) {
        const query: ResponseTimesQuery = { ...q, businessHours: groupBy === "hour", groupBy };
        const report = await responseTimes(p.ctx.db, scope(), query);
        const groups = (await direct(query)).filter((e) => !e.total && e.metric === "reply");
        expect(groups.length).toBeGreaterThan(2);
        for (const e of groups) expect(report.rows.find((r) => r.key === e.key)?.replyTime, `${JSON.stringify(query)} ${e.key}`).toEqual(e.stat);
        expect(report.rows.filter((r) => r.replyTime.count > 0).length).toBe(groups.length);
      }
    }
  });
});
