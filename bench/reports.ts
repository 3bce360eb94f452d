/**
 * The reports at scale: seeds one workspace with CONVERSATIONS conversations and MESSAGES messages
 * (with their ledger rows, metric samples and SLA targets) spread over the last 30 days, using
 * set-based INSERT ... SELECT generate_series on PostgreSQL, then times each report endpoint over HTTP.
 */
import type pg from "pg";
import { performance } from "node:perf_hooks";
import { cpuBetween, cpuSnapshot } from "./cpu.js";
import { ms, summarize, table, type Summary } from "./stats.js";

type Client = { get(path: string): Promise<{ status: number; body: unknown }> };
/** cpuMs: CPU of this process (Parley) and of every PostgreSQL process per call, in ms; null without /proc. */
export type ReportTiming = { name: string; path: string; budgetMs: number; latency: Summary; cpuMs: { node: number; postgres: number } | null };

const DAYS = 30;

/** Seeds the data set into the schema `db` points at; returns how long it took and the row counts. */
export async function seedReports(db: pg.Client, opts: { workspaceId: string; channelIds: string[]; conversations: number; messagesPerConversation: number; agents: number }) {
  const t0 = performance.now();
  const { workspaceId: ws, conversations: n } = opts;
  const perConv = opts.messagesPerConversation;
  const q = (text: string, values: unknown[] = []) => db.query(text, values);
  await q(
    `insert into users (workspace_id, email, name, role, password_hash, availability)
     select $1::uuid, 'bench-agent-' || i || '@bench.local', 'Agent ' || lpad(i::text, 3, '0'), 'agent', 'not-a-hash',
       (array['online', 'away', 'offline'])[1 + i % 3]
     from generate_series(1, $2) i`,
    [ws, opts.agents],
  );
  const agents = (await q(`select id from users where workspace_id = $1 and email like 'bench-agent-%' order by email`, [ws])).rows.map((r) => r.id as string);
  const contactCount = Math.ceil(n / 10);
  await q(
    `create temp table bench_contact as
     with made as (insert into contacts (workspace_id, name) select $1::uuid, 'Bench customer ' || i from generate_series(1, $2) i returning id)
     select row_number() over () - 1 as k, id from made`,
    [ws, contactCount],
  );
  // Conversation i: created at a pseudo-random moment of the last 30 days; 40 % started with a bot, of
  // which a quarter the bot resolved alone (contained) and the rest it handed off; 85 % resolved.
  await q(
    `create temp table bench_conv as
     select i, gen_random_uuid() as id, ($2::uuid[])[1 + i % array_length($2::uuid[], 1)] as channel_id,
       now() - make_interval(secs => (hashint4(i)::bigint + 2147483648) % ($3::bigint * 86400)) as created_at,
       i % 5 < 2 as bot_started, i % 10 = 1 as contained, i % 20 <> 0 and i % 20 <> 1 and i % 20 <> 2 as resolved, i % 20 = 1 as queued,
       ($4::uuid[])[1 + i % array_length($4::uuid[], 1)] as agent_id
     from generate_series(1, $1) i`,
    [n, opts.channelIds, DAYS, agents],
  );
  await q(
    `insert into conversations (id, workspace_id, channel_id, contact_id, kind, thread_key, status, owner, assignee_id, queued_at, created_at, updated_at, activity_at, waiting_since)
     select c.id, $1::uuid, c.channel_id, ct.id, 'dm', 'bench-' || c.i,
       case when c.resolved then 'resolved' else 'open' end,
       case when c.bot_started and c.i % 10 = 0 and not c.resolved then 'bot' else 'human' end,
       case when c.resolved or c.queued then null else c.agent_id end,
       case when c.queued then c.created_at end,
       c.created_at, c.created_at, c.created_at, case when not c.resolved then c.created_at end
     from bench_conv c join bench_contact ct on ct.k = c.i % $2::int`,
    [ws, contactCount],
  );
  // Messages: customer first, then alternating; message k at k × 3 minutes.
  await q(
    `insert into messages (workspace_id, conversation_id, channel_id, direction, author, author_user_id, visibility, text, status, created_at, updated_at)
     select $1::uuid, c.id, c.channel_id, case when k % 2 = 0 then 'in' else 'out' end,
       case when k % 2 = 0 then 'customer' when c.contained or (c.bot_started and k = 1) then 'bot' else 'agent' end,
       case when k % 2 = 1 and not (c.contained or (c.bot_started and k = 1)) then c.agent_id end,
       'public', 'bench message', case when k % 2 = 0 then 'received' else 'sent' end,
       c.created_at + make_interval(mins => k * 3), c.created_at + make_interval(mins => k * 3)
     from bench_conv c, generate_series(0, $2::int - 1) k`,
    [ws, perConv],
  );
  await q(
    `insert into conversation_events (workspace_id, conversation_id, type, actor, actor_user_id, data, at)
     select $1::uuid, c.id, 'conversation.created', 'customer', null, jsonb_build_object('owner', case when c.bot_started then 'bot' else 'human' end), c.created_at from bench_conv c
     union all
     select $1::uuid, c.id, 'message.created', case when k % 2 = 0 then 'customer' when c.contained or (c.bot_started and k = 1) then 'bot' else 'agent' end,
       case when k % 2 = 1 and not (c.contained or (c.bot_started and k = 1)) then c.agent_id end, '{"visibility":"public"}'::jsonb, c.created_at + make_interval(mins => k * 3)
     from bench_conv c, generate_series(0, $2::int - 1) k
     union all
     select $1::uuid, c.id, 'handed_off', 'bot', null, jsonb_build_object('reason', (array['customer_request','no_answer','sensitive','negative_review'])[1 + c.i % 4]), c.created_at + interval '4 minutes'
     from bench_conv c where c.bot_started and not c.contained
     union all
     select $1::uuid, c.id, 'resolved', case when c.contained then 'bot' else 'agent' end, case when not c.contained then c.agent_id end, '{}'::jsonb, c.created_at + make_interval(mins => $2::int * 3 + 30) from bench_conv c where c.resolved`,
    [ws, perConv],
  );
  // Samples as the ledger gives them: first response at message 1 (or 3 after a bot), a reply at 3 or 5, the resolution.
  await q(
    `insert into metric_samples (workspace_id, conversation_id, channel_id, team_id, metric, seconds, business_seconds, started_at, recorded_at, agent_id)
     select $1::uuid, c.id, c.channel_id, v.team_id, s.metric, s.secs, s.secs * 0.6, c.created_at, c.created_at + make_interval(secs => s.secs), c.agent_id
     from bench_conv c
       join conversations v on v.id = c.id
       cross join lateral (values ('first_response', 180.0 + (c.i % 600)), ('reply', 360.0 + (c.i % 1200)), ('resolution', 1000.0 + (c.i % 86400))) s(metric, secs)
     where s.metric <> 'resolution' or c.resolved`,
    [ws],
  );
  await q(
    `insert into sla_targets (workspace_id, conversation_id, channel_id, team_id, metric, business_hours, status, started_at, warn_at, due_at, breached_at, done_at, ended_at, outcome_at, agent_id)
     select $1::uuid, c.id, c.channel_id, v.team_id, 'first_response', false,
       case when not c.resolved then 'running' when c.i % 7 = 0 then 'breached' else 'met' end,
       c.created_at, c.created_at + interval '48 minutes', c.created_at + interval '1 hour',
       case when c.resolved and c.i % 7 = 0 then c.created_at + interval '1 hour' end,
       case when c.resolved then c.created_at + interval '3 minutes' end,
       case when c.resolved then c.created_at + interval '3 minutes' end,
       case when not c.resolved then null when c.i % 7 = 0 then c.created_at + interval '1 hour' else c.created_at + interval '3 minutes' end,
       c.agent_id
     from bench_conv c join conversations v on v.id = c.id`,
    [ws],
  );
  await q(`drop table bench_conv`);
  await q(`drop table bench_contact`);
  // What autovacuum would do soon after a load this size: statistics, and the visibility map for index-only scans.
  for (const table of ["users", "contacts", "conversations", "messages", "conversation_events", "metric_samples", "sla_targets"]) await q(`vacuum analyze ${table}`);
  const count = async (table: string) => Number((await q(`select count(*) as n from ${table}`)).rows[0].n);
  return {
    seconds: (performance.now() - t0) / 1000,
    rows: {
      conversations: await count("conversations"),
      messages: await count("messages"),
      conversation_events: await count("conversation_events"),
      metric_samples: await count("metric_samples"),
      sla_targets: await count("sla_targets"),
    },
  };
}

/** Times each report: `warmup` unmeasured calls, then `runs` sequential ones. */
export async function timeReports(client: Client, opts: { teamId: string; runs: number; warmup: number }): Promise<ReportTiming[]> {
  const now = Date.now();
  const iso = (daysAgo: number) => new Date(now - daysAgo * 86400_000).toISOString();
  const month = `from=${encodeURIComponent(iso(DAYS + 1))}&to=${encodeURIComponent(iso(0))}`;
  const cases: Array<[string, string, number]> = [
    ["response times, last 7 days", "/api/reports/response-times", 300],
    ["response times, 30 days", `/api/reports/response-times?${month}`, 300],
    ["response times, 30 days, by agent", `/api/reports/response-times?${month}&groupBy=agent`, 300],
    ["response times, 30 days, by day (Berlin)", `/api/reports/response-times?${month}&groupBy=day&timeZone=Europe/Berlin`, 300],
    ["response times, 30 days, business hours, by team", `/api/reports/response-times?${month}&groupBy=team&businessHours=true`, 300],
    ["response times, 30 days, one team, by hour", `/api/reports/response-times?${month}&teamId=${opts.teamId}&groupBy=hour`, 300],
    ["response times, 30 days, by channel, CSV", `/api/reports/response-times?${month}&groupBy=channel&format=csv`, 300],
    ["overview, last 7 days", "/api/reports/overview", 300],
    ["overview, 30 days", `/api/reports/overview?${month}`, 300],
    ["overview, 30 days, one team", `/api/reports/overview?${month}&teamId=${opts.teamId}`, 300],
    ["live", "/api/reports/live", 100],
    ["live, one team", `/api/reports/live?teamId=${opts.teamId}`, 100],
  ];
  const out: ReportTiming[] = [];
  for (const [name, path, budgetMs] of cases) {
    for (let i = 0; i < opts.warmup; i++) await check(client, path);
    const latencies: number[] = [];
    const before = cpuSnapshot();
    for (let i = 0; i < opts.runs; i++) {
      const t = performance.now();
      await check(client, path);
      latencies.push(performance.now() - t);
    }
    const use = cpuBetween(before, cpuSnapshot());
    const cpuMs = use ? { node: (use.byGroup.bench / opts.runs) * 1000, postgres: (use.byGroup.postgres / opts.runs) * 1000 } : null;
    out.push({ name, path, budgetMs, latency: summarize(latencies), cpuMs });
  }
  return out;
}

async function check(client: Client, path: string) {
  const res = await client.get(path);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
}

export type ReportsPhase = { seed: Awaited<ReturnType<typeof seedReports>>; timings: ReportTiming[] };

/**
 * The whole reports section on a running Parley: ten channels in three teams, the seeded data set in
 * the admin's workspace, then the timings. `db` is a connection whose search_path is Parley's schema.
 */
export async function runReportsPhase(opts: {
  admin: Client & { post(path: string, body?: unknown): Promise<{ status: number; body: any }> };
  db: pg.Client;
  quick: boolean;
  step: (line: string) => void;
}): Promise<ReportsPhase> {
  const { admin, db, quick, step } = opts;
  const conversations = quick ? 20_000 : 200_000;
  const messagesPerConversation = 5;
  const me = (await admin.get("/api/me")).body as { workspace: { id: string } };
  const channelIds: string[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await admin.post("/api/channels", { platform: "api", name: `Reports channel ${i + 1}`, botEnabled: false, config: {} });
    if (res.status !== 201) throw new Error(`channel creation failed: ${res.status}`);
    channelIds.push(res.body.id);
  }
  const teamIds: string[] = [];
  for (let t = 0; t < 3; t++) {
    const res = await admin.post("/api/teams", { name: `Reports team ${t + 1}`, channelIds: channelIds.filter((_, i) => i % 3 === t && i < 9) });
    if (res.status !== 201) throw new Error(`team creation failed: ${res.status}`);
    teamIds.push(res.body.team.id);
  }
  step(`reports: seeding ${conversations.toLocaleString("en-US")} conversations and ${(conversations * messagesPerConversation).toLocaleString("en-US")} messages over ${DAYS} days (INSERT ... SELECT generate_series)`);
  const seed = await seedReports(db, { workspaceId: me.workspace.id, channelIds, conversations, messagesPerConversation, agents: 50 });
  step(`reports: seeded in ${seed.seconds.toFixed(1)} s; timing each report`);
  const timings = await timeReports(admin, { teamId: teamIds[0]!, runs: quick ? 5 : 20, warmup: quick ? 1 : 3 });
  return { seed, timings };
}

/** The section as printed: one line per report, with its budget. */
export function reportsTable(phase: ReportsPhase) {
  const cpu = (t: ReportTiming) => (t.cpuMs ? `${ms(t.cpuMs.node)} + ${ms(t.cpuMs.postgres)}` : "n/a");
  const rows = phase.timings.map((t) => [t.name, ms(t.latency.p50), ms(t.latency.p90), ms(t.latency.max), cpu(t), `${t.budgetMs} ms`, t.latency.p90 <= t.budgetMs ? "yes" : "NO"]);
  const counts = Object.entries(phase.seed.rows).map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`).join(", ");
  return `\nReports (${counts}; seeded in ${phase.seed.seconds.toFixed(1)} s)\n` + table(["report (HTTP, sequential)", "p50", "p90", "max", "CPU per call: Node + PostgreSQL", "budget", "p90 within"], rows);
}
