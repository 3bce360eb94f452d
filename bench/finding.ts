/**
 * `npm run bench:finding` (the last part of `npm run bench`): how fast search and the inbox's views are on a large workspace in real
 * PostgreSQL (DATABASE_URL; local default below). It fills a throw-away schema with MESSAGES messages
 * (default 1,000,000) in CONVERSATIONS conversations, then times each query as the API runs it, as an
 * admin and as an agent of one team, and drops the schema again. BENCH_SCHEMA keeps it (below) and ONLY
 * times a subset.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openDatabase } from "../server/db/client.js";
import type { ConversationListQuery } from "../shared/schemas/conversations.js";
import { listInbox, viewCounts } from "../server/domain/inbox-list.js";
import { search } from "../server/domain/search.js";
import type { Scope } from "../server/domain/scope.js";

const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const MESSAGES = Number(process.env.MESSAGES || 1_000_000);
const CONVERSATIONS = Number(process.env.CONVERSATIONS || 50_000);
const RUNS = Number(process.env.RUNS || 30);
// BENCH_SCHEMA=<name> keeps the schema afterwards and reuses it when it is already filled (for EXPLAIN
// sessions on the same data; new migrations are applied to it on open).
const KEPT = process.env.BENCH_SCHEMA || "";
const schema = KEPT || `bench_finding_${randomBytes(4).toString("hex")}`;

// Words customers write, the rare ones searched for too; the text is a few of them at random.
const words = "order refund parcel delivery broken invoice password account login shipping return late payment card help thanks please where when today tomorrow week size colour exchange discount coupon".split(" ");

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// ONLY=<regular expression>: time only the queries whose names match.
const ONLY = process.env.ONLY ? new RegExp(process.env.ONLY) : null;

async function time(name: string, fn: () => Promise<unknown>) {
  if (ONLY && !ONLY.test(name)) return;
  await fn(); // warm
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  console.log(`${name.padEnd(58)} p50 ${percentile(samples, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(samples, 99).toFixed(1).padStart(7)} ms`);
}

async function fill(raw: pg.Client) {
  console.log(`filling ${schema}: ${CONVERSATIONS} conversations, ${MESSAGES} messages …`);
  const t0 = performance.now();
  const ws = (await raw.query(`insert into workspaces (name) values ('Bench') returning id`)).rows[0].id as string;
  const agent = (await raw.query(`insert into users (workspace_id, email, name, role, password_hash) values ($1, 'agent@bench', 'Agent', 'agent', 'x') returning id`, [ws])).rows[0].id as string;
  const channelIds: string[] = [];
  for (let i = 0; i < 10; i++) {
    channelIds.push((await raw.query(`insert into channels (workspace_id, platform, name, secrets_encrypted) values ($1, 'api', $2, '') returning id`, [ws, `Channel ${i}`])).rows[0].id);
  }
  const team = (await raw.query(`insert into teams (workspace_id, name) values ($1, 'One') returning id`, [ws])).rows[0].id as string;
  await raw.query(`insert into team_members (team_id, user_id) values ($1, $2)`, [team, agent]);
  await raw.query(`insert into team_channels (team_id, channel_id) values ($1, $2)`, [team, channelIds[0]]);
  await raw.query(
    `insert into contacts (workspace_id, name) select $1, 'Customer ' || md5(g::text) from generate_series(1, $2) g`,
    [ws, CONVERSATIONS],
  );
  await raw.query(
    `insert into conversations (workspace_id, channel_id, contact_id, kind, thread_key, owner, status, priority, assignee_id, waiting_since, activity_at, team_id)
     select $1, ($2::uuid[])[1 + (n % 10)], c.id, 'dm', c.id::text, case when n % 5 = 0 then 'bot' else 'human' end,
            (array['open','open','pending','resolved','snoozed'])[1 + (n % 5)], (array['low','normal','normal','high','urgent'])[1 + (n % 5)],
            case when n % 7 = 0 then $3::uuid end, case when n % 3 = 0 then now() - (n || ' seconds')::interval end,
            now() - (n || ' seconds')::interval, case when n % 10 = 0 then $4::uuid end
     from (select id, row_number() over () as n from contacts where workspace_id = $1) c`,
    [ws, channelIds, agent, team],
  );
  await raw.query(
    `insert into messages (workspace_id, conversation_id, channel_id, direction, author, visibility, text, status, created_at)
     select $1, c.id, c.channel_id, 'in', 'customer', 'public',
            ($2::text[])[1 + (g * 7) % $3] || ' ' || ($2::text[])[1 + (g * 13) % $3] || ' ' || ($2::text[])[1 + (g * 31) % $3] || ' number ' || g,
            'received', now() - (g || ' seconds')::interval
     from generate_series(1, $4) g
     join (select id, channel_id, row_number() over () - 1 as n from conversations where workspace_id = $1) c on c.n = g % $5`,
    [ws, words, words.length, MESSAGES, CONVERSATIONS],
  );
  // Settled as autovacuum leaves a live database (statistics, visibility map, GIN pending lists merged);
  // otherwise autovacuum runs during the timings and they measure it.
  await raw.query("vacuum analyze");
  console.log(`filled in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}

async function main() {
  const database = await openDatabase({ url: DATABASE_URL, schema, dataDir: "", poolSize: 4 });
  const raw = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path="${schema}"` });
  await raw.connect();
  try {
    const filled = KEPT ? (await raw.query(`select count(*)::int as n from workspaces where name = 'Bench'`)).rows[0].n > 0 : false;
    if (!filled) await fill(raw);
    const ws = (await raw.query(`select id from workspaces where name = 'Bench'`)).rows[0].id as string;
    const agent = (await raw.query(`select id from users where email = 'agent@bench'`)).rows[0].id as string;

    const admin: Scope = { workspaceId: ws, userId: agent, role: "admin" };
    const agentScope: Scope = { workspaceId: ws, userId: agent, role: "agent" };
    const list = (scope: Scope, q: Partial<ConversationListQuery>) => listInbox(database.db, scope, { sort: "activity", limit: 25, ...q });
    for (const [who, scope] of [["admin", admin], ["agent", agentScope]] as const) {
      await time(`${who}: search "refund"`, () => search(database.db, scope, "refund", 20));
      await time(`${who}: search "broken invoice"`, () => search(database.db, scope, "broken invoice", 20));
      await time(`${who}: search a rare number "123457"`, () => search(database.db, scope, "123457", 20));
      await time(`${who}: search a name part "ab12"`, () => search(database.db, scope, "ab12", 20));
      await time(`${who}: inbox all, latest activity`, () => list(scope, { view: "all" }));
      await time(`${who}: inbox mine`, () => list(scope, { view: "mine" }));
      await time(`${who}: inbox all, nearest deadline`, () => list(scope, { view: "all", sort: "breach" }));
      await time(`${who}: inbox all, longest waiting`, () => list(scope, { view: "all", sort: "waiting" }));
      await time(`${who}: inbox all, priority urgent`, () => list(scope, { view: "all", priority: "urgent" }));
      await time(`${who}: inbox all, q "parcel"`, () => list(scope, { view: "all", q: "parcel" }));
      await time(`${who}: inbox all, q a rare number "123457"`, () => list(scope, { view: "all", q: "123457" }));
      await time(`${who}: inbox all, q a name part "ab12"`, () => list(scope, { view: "all", q: "ab12" }));
      await time(`${who}: view counts`, () => viewCounts(database.db, scope));
    }
  } finally {
    if (!KEPT) await raw.query(`drop schema if exists "${schema}" cascade`).catch(() => {});
    await raw.end();
    await database.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
