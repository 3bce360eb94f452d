import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import pg from "pg";
import { channels, contacts, inboundEvents } from "../server/db/schema.js";
import { registry } from "../server/infra/metrics.js";
import { ingestBatcher } from "../server/pipeline/ingest-batch.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, scaled, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson } from "./helpers/people.js";

// Webhooks arriving together are stored by one INSERT and ingested in shared transactions: these
// check what a customer and an agent would notice if that grouping went wrong.
describe("webhooks arriving together", () => {
  let p: TestParley;
  let admin: ApiClient;
  let channel: { id: string; secret: string };

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    channel = await createApiChannel(admin);
  });
  afterAll(() => p?.stop());

  const conversationOf = async (contact: string) => {
    const list = await admin.get("/api/conversations?limit=100");
    return (list.body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`);
  };
  const textsOf = async (conversationId: string): Promise<string[]> =>
    (await admin.get(`/api/conversations/${conversationId}/messages`)).body.items.map((m: any) => m.text);
  const settled = (eventIds: string[], to: { id: string } = channel) =>
    waitFor(
      async () => {
        const rows = await p.ctx.db
          .select({ status: inboundEvents.status })
          .from(inboundEvents)
          .where(and(eq(inboundEvents.channelId, to.id), inArray(inboundEvents.externalEventId, eventIds)));
        return rows.length === eventIds.length && rows.every((r) => r.status !== "pending");
      },
      "every delivery ingested",
      30_000,
    );

  it("accepts the same event sent several times at once exactly once", async () => {
    const event = customerEvent("twice", "only once please");
    const others = Array.from({ length: 10 }, (_, i) => customerEvent(`crowd-${i}`, `crowd ${i}`));
    const answers = await Promise.all([...Array.from({ length: 5 }, () => event), ...others].map((e) => postWebhook(p.url, channel.id, channel.secret, e)));
    const statuses = answers.slice(0, 5).map((a) => a.body.status);
    expect(statuses.filter((s) => s === "accepted")).toHaveLength(1);
    expect(statuses.filter((s) => s === "duplicate")).toHaveLength(4);
    expect(answers.slice(5).every((a) => a.status === 200 && a.body.status === "accepted")).toBe(true);

    await settled([event.eventId, ...others.map((e) => e.eventId)]);
    const conv = await waitFor(() => conversationOf("twice"), "conversation");
    expect(await textsOf(conv.id)).toEqual(["only once please"]);
  });

  it("keeps every conversation's messages in the order the customer sent them", async () => {
    const contacts = Array.from({ length: 5 }, (_, i) => `order-${i}`);
    const perContact = 12;
    const sent: string[] = [];
    // Each customer writes message after message (the next once the previous one is accepted), all at once.
    await Promise.all(
      contacts.map(async (contact) => {
        for (let n = 1; n <= perContact; n++) {
          const e = customerEvent(contact, `${contact} #${n}`);
          sent.push(e.eventId);
          const res = await postWebhook(p.url, channel.id, channel.secret, e);
          expect(res.body.status).toBe("accepted");
        }
      }),
    );
    await settled(sent);
    for (const contact of contacts) {
      const conv = await waitFor(() => conversationOf(contact), "conversation");
      expect(await textsOf(conv.id)).toEqual(Array.from({ length: perContact }, (_, i) => `${contact} #${i + 1}`));
    }
  });

  it("a delivery the database refuses fails alone; the deliveries ingested with it are stored", async () => {
    // A fault only PostgreSQL can produce on demand: refuse one message text as invalid data.
    await p.ctx.db.execute(
      sql.raw(`create or replace function refuse_poison() returns trigger language plpgsql as $$
        begin if new.text = 'poison' then raise exception 'refused for the test' using errcode = '22023'; end if; return new; end $$`),
    );
    await p.ctx.db.execute(sql.raw(`create trigger refuse_poison before insert on messages for each row execute function refuse_poison()`));
    try {
      const events = Array.from({ length: 20 }, (_, i) => customerEvent(`batch-${i % 4}`, i === 7 ? "poison" : `fine ${i}`));
      const answers = await Promise.all(events.map((e) => postWebhook(p.url, channel.id, channel.secret, e)));
      expect(answers.every((a) => a.body.status === "accepted")).toBe(true);
      await settled(events.map((e) => e.eventId));

      const rows = await p.ctx.db
        .select({ eventId: inboundEvents.externalEventId, status: inboundEvents.status, reason: inboundEvents.reason })
        .from(inboundEvents)
        .where(inArray(inboundEvents.externalEventId, events.map((e) => e.eventId)));
      const poison = rows.find((r) => r.eventId === events[7]!.eventId)!;
      expect(poison.status).toBe("failed");
      expect(poison.reason).toContain("cannot be stored (22023)");
      expect(rows.filter((r) => r.status === "processed")).toHaveLength(19);

      for (let c = 0; c < 4; c++) {
        const conv = await waitFor(() => conversationOf(`batch-${c}`), "conversation");
        const expected = events.map((e, i) => ({ e, i })).filter(({ i }) => i % 4 === c && i !== 7).map(({ e }) => e.message.text);
        expect((await textsOf(conv.id)).sort()).toEqual(expected.sort());
      }
    } finally {
      await p.ctx.db.execute(sql.raw(`drop trigger if exists refuse_poison on messages`));
    }
  });

  it("a delivery that must be tried again is retried alone: the group's job comes back, the others stay stored once", async () => {
    // Refuse one message twice (its batch, then its try alone), then let it through; a sequence
    // counts the refusals because the refusing transaction rolls everything else back.
    await p.ctx.db.execute(sql.raw(`create sequence if not exists flaky_refusals`));
    await p.ctx.db.execute(
      sql.raw(`create or replace function refuse_flaky() returns trigger language plpgsql as $$
        begin if new.text = 'flaky' and nextval('flaky_refusals') <= 2 then raise exception 'refused for now'; end if; return new; end $$`),
    );
    await p.ctx.db.execute(sql.raw(`create trigger refuse_flaky before insert on messages for each row execute function refuse_flaky()`));
    try {
      const events = Array.from({ length: 20 }, (_, i) => customerEvent(`group-${i % 4}`, i === 5 ? "flaky" : `steady ${i}`));
      const answers = await Promise.all(events.map((e) => postWebhook(p.url, channel.id, channel.secret, e)));
      expect(answers.every((a) => a.body.status === "accepted")).toBe(true);
      await settled(events.map((e) => e.eventId));

      const rows = await p.ctx.db
        .select({ eventId: inboundEvents.externalEventId, status: inboundEvents.status, attempts: inboundEvents.attempts })
        .from(inboundEvents)
        .where(inArray(inboundEvents.externalEventId, events.map((e) => e.eventId)));
      expect(rows.every((r) => r.status === "processed")).toBe(true);
      expect(rows.find((r) => r.eventId === events[5]!.eventId)!.attempts).toBeGreaterThanOrEqual(2);
      expect(rows.filter((r) => r.eventId !== events[5]!.eventId).map((r) => r.attempts)).toEqual(Array(19).fill(1)); // not tried again with it
      for (let c = 0; c < 4; c++) {
        const conv = await waitFor(() => conversationOf(`group-${c}`), "conversation");
        const expected = events.filter((_, i) => i % 4 === c).map((e) => e.message.text);
        expect((await textsOf(conv.id)).sort()).toEqual(expected.sort());
      }
    } finally {
      await p.ctx.db.execute(sql.raw(`drop trigger if exists refuse_flaky on messages`));
    }
  });

  /** Stores deliveries as accepted ones (without their queue jobs) and has them ingested in one batch. */
  const ingestTogether = async (events: Array<ReturnType<typeof customerEvent>>, to: { id: string } = channel) => {
    const [row] = await p.ctx.db.select({ workspaceId: channels.workspaceId }).from(channels).where(eq(channels.id, to.id));
    const workspaceId = row!.workspaceId;
    const rows = await p.ctx.db
      .insert(inboundEvents)
      .values(events.map((e) => ({ workspaceId, channelId: to.id, platform: "api" as const, externalEventId: e.eventId, payload: JSON.stringify(e) })))
      .returning({ id: inboundEvents.id });
    const batcher = ingestBatcher(p.ctx);
    await Promise.all(rows.map((r) => batcher.submit(r.id, false))); // submitted in the same tick: one claim
    await settled(events.map((e) => e.eventId), to);
  };

  it("stores a brand-new customer's messages sent together in order, under one contact and one conversation", async () => {
    const events = [
      customerEvent("fresh-a", "a #1"),
      customerEvent("fresh-b", "b #1"),
      customerEvent("fresh-a", "a #2"),
      customerEvent("fresh-a", "a #3"),
      customerEvent("fresh-b", "b #2"),
    ];
    await ingestTogether(events);
    const a = await waitFor(() => conversationOf("fresh-a"), "conversation a");
    const b = await waitFor(() => conversationOf("fresh-b"), "conversation b");
    expect(await textsOf(a.id)).toEqual(["a #1", "a #2", "a #3"]);
    expect(await textsOf(b.id)).toEqual(["b #1", "b #2"]);
    // The inbox shows each conversation's latest message, waiting since the first one.
    expect(a).toMatchObject({ lastMessage: { text: "a #3" } });
    const named = await p.ctx.db.select({ id: contacts.id }).from(contacts).where(inArray(contacts.name, ["Customer fresh-a", "Customer fresh-b"]));
    expect(named).toHaveLength(2);
  });

  it("in one batch: a redelivered message is stored once, a resolved conversation reopens, a new one opens", async () => {
    await ingestTogether([customerEvent("back-again", "first visit")]);
    const before = await waitFor(() => conversationOf("back-again"), "conversation");
    expect((await admin.patch(`/api/conversations/${before.id}`, { status: "resolved" })).status).toBe(200);

    const again = customerEvent("dup-twice", "said once", { messageId: "dup-message-1" });
    const events = [
      customerEvent("back-again", "second visit"),
      again,
      customerEvent("dup-twice", "said once", { messageId: "dup-message-1" }), // same message, another delivery
      customerEvent("newcomer", "hello"),
      customerEvent("back-again", "still there?"),
    ];
    await ingestTogether(events);
    const reopened = await admin.get(`/api/conversations/${before.id}`);
    expect(reopened.body.conversation).toMatchObject({ status: "open" });
    expect(await textsOf(before.id)).toEqual(["first visit", "second visit", "still there?"]);
    const dup = await waitFor(() => conversationOf("dup-twice"), "conversation");
    expect(await textsOf(dup.id)).toEqual(["said once"]);
    const newcomer = await waitFor(() => conversationOf("newcomer"), "conversation");
    expect(await textsOf(newcomer.id)).toEqual(["hello"]);
  });

  /** A connection of its own to the test's schema, to hold locks the batches then wait for. */
  const secondConnection = async () => {
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path="${p.storage.env.DATABASE_SCHEMA}"` });
    await other.connect();
    return other;
  };
  const waitingForLock = (other: pg.Client) =>
    waitFor(
      async () => (await other.query(`select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)).rows.length > 0,
      "the batch waiting for the conversation",
    );

  it.runIf(scaled)("a message another process stores while its delivery is being applied is kept once, the delivery noted as a redelivery", async () => {
    // The batch checks for stored messages before it waits for its conversations' locks, and inserts
    // after: a twin delivery committed in between (here: another connection's transaction that holds
    // the conversation until the batch has checked) must not be stored twice, and the batch must
    // leave no ledger entry for a message it did not store.
    await ingestTogether([customerEvent("racer", "before")]);
    const conv = await waitFor(() => conversationOf("racer"), "conversation");
    const other = await secondConnection();
    try {
      await other.query("begin");
      await other.query(
        `insert into messages (workspace_id, conversation_id, channel_id, direction, author, visibility, text, status, external_id)
         select workspace_id, id, channel_id, 'in', 'customer', 'private', 'said once', 'received', 'raced-message' from conversations where id = $1`,
        [conv.id],
      );
      const twin = customerEvent("racer", "said once", { messageId: "raced-message" });
      const ingested = ingestTogether([twin]);
      // The batch has checked for the message and now waits for the conversation, which the insert above holds.
      await waitingForLock(other);
      await other.query("commit");
      await ingested;

      expect(await textsOf(conv.id)).toEqual(["before", "said once"]);
      const [row] = await p.ctx.db
        .select({ status: inboundEvents.status, reason: inboundEvents.reason })
        .from(inboundEvents)
        .where(eq(inboundEvents.externalEventId, twin.eventId));
      expect(row).toEqual({ status: "processed", reason: "message raced-message already stored" });
      const orphans = await other.query(
        `select e.id from conversation_events e where e.conversation_id = $1 and e.message_id is not null and not exists (select 1 from messages m where m.id = e.message_id)`,
        [conv.id],
      );
      expect(orphans.rows).toEqual([]);
    } finally {
      await other.end();
    }
  });

  it.runIf(scaled)("a conversation whose batch is stuck does not hold up the other conversations' messages", async () => {
    // Batches run one at a time while they are quick; one that waits (here for a conversation that
    // another connection holds) lets the next start beside it with the other threads' deliveries.
    await ingestTogether([customerEvent("stuck", "before")]);
    const conv = await waitFor(() => conversationOf("stuck"), "conversation");
    const other = await secondConnection();
    try {
      await other.query("begin");
      await other.query("select id from conversations where id = $1 for update", [conv.id]);
      const stuck = ingestTogether([customerEvent("stuck", "while held")]);
      await waitingForLock(other);
      await ingestTogether([customerEvent("free", "meanwhile")]);
      const free = await waitFor(() => conversationOf("free"), "the other conversation");
      expect(await textsOf(free.id)).toEqual(["meanwhile"]);
      // What an operator sees of it: a batch that started beside a stalled one.
      expect(await registry.getSingleMetricAsString("parley_ingest_batch_deliveries")).toMatch(/parley_ingest_batch_deliveries_count\{start="beside"\} [1-9]/);
      expect(await textsOf(conv.id)).toEqual(["before"]); // still held
      await other.query("commit");
      await stuck;
      expect(await textsOf(conv.id)).toEqual(["before", "while held"]);
    } finally {
      await other.end();
    }
  });

  it("one batch with the same customer id on two channels keeps each channel's own customer", async () => {
    // Platform ids are per channel: the same id elsewhere is another person, in one batch too.
    const other = await createApiChannel(admin, { name: "Second channel" });
    await ingestTogether([customerEvent("same-id", "on the first channel", { name: "First-channel customer" })]);
    const [row] = await p.ctx.db.select({ workspaceId: channels.workspaceId }).from(channels).where(eq(channels.id, other.id));
    const events = [customerEvent("same-id", "first again", { name: "First-channel customer" }), customerEvent("same-id", "on the second channel", { name: "Second-channel customer" })];
    const rows = await p.ctx.db
      .insert(inboundEvents)
      .values(events.map((e, n) => ({ workspaceId: row!.workspaceId, channelId: n === 0 ? channel.id : other.id, platform: "api" as const, externalEventId: e.eventId, payload: JSON.stringify(e) })))
      .returning({ id: inboundEvents.id, channelId: inboundEvents.channelId });
    await Promise.all(rows.map((r) => ingestBatcher(p.ctx).submit(r.id, false)));
    await settled([events[0]!.eventId]);
    await settled([events[1]!.eventId], other);
    const list = (await admin.get("/api/conversations?limit=100")).body.items as any[];
    const first = list.find((c) => c.channelId === channel.id && c.contact.name === "First-channel customer");
    const second = list.find((c) => c.channelId === other.id && c.contact.name === "Second-channel customer");
    expect(await textsOf(first.id)).toEqual(["on the first channel", "first again"]);
    expect(await textsOf(second.id)).toEqual(["on the second channel"]);
    expect(second.contact.id).not.toBe(first.contact.id);
  });

  it("a batch's socket pushes show each conversation as the API reads it, to its team and managers only", async () => {
    // The batch's pushes take their conversation and rooms from the rows its transaction wrote, not
    // from reads after the commit: they must match what a read gives, and reach no one else.
    const teamChannel = await createApiChannel(admin, { name: "Pushed team channel" });
    const member = await addPerson(admin, "Pushed member");
    const outsider = await addPerson(admin, "Pushed outsider");
    const team = await admin.post("/api/teams", { name: "Pushed team", memberIds: [member.id], channelIds: [teamChannel.id] });
    expect(team.status).toBe(201);
    await admin.post("/api/teams", { name: "Other pushed team", memberIds: [outsider.id] });
    const sockets = { admin: await admin.socket(), member: await member.client.socket(), outsider: await outsider.client.socket() };
    try {
      await ingestTogether([customerEvent("push-a", "a #1"), customerEvent("push-b", "b #1"), customerEvent("push-a", "a #2")], teamChannel);
      const pushedTo = (who: keyof typeof sockets, name: string) => sockets[who].events.filter((e) => e.name === name).map((e) => e.payload);
      const a = await waitFor(() => conversationOf("push-a"), "conversation a");
      const b = await waitFor(() => conversationOf("push-b"), "conversation b");
      await waitFor(async () => pushedTo("member", "message.created").length >= 3 && pushedTo("admin", "conversation.updated").length >= 2, "the batch's pushes");
      for (const conv of [a, b]) {
        const read = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
        const pushed = pushedTo("admin", "conversation.updated").filter((x) => x.conversation.id === conv.id).at(-1).conversation;
        expect(pushed).toEqual(read);
        expect(pushed).toMatchObject({ teamName: "Pushed team", contact: { name: `Customer push-${conv === a ? "a" : "b"}` } });
      }
      expect(pushedTo("member", "message.created").map((x) => x.message.text).sort()).toEqual(["a #1", "a #2", "b #1"]);
      expect(pushedTo("member", "conversation.updated").map((x) => x.conversation.id).sort()).toEqual([a.id, b.id].sort());
      expect(sockets.outsider.events.filter((e) => e.name === "message.created" || e.name === "conversation.updated")).toEqual([]);
    } finally {
      for (const s of Object.values(sockets)) s.close();
    }
  });

  it("SLA deadlines follow customer messages ingested together, before and after an agent's reply", async () => {
    // Batches refresh the clocks from the ledger entries after each conversation's stored replay
    // state: a wrong resume would start the next response at the wrong message, or not at all.
    const sla = await createApiChannel(admin, { name: "SLA batches" });
    const H = 3600;
    const policy = await admin.post("/api/sla-policies", { name: "Batches", firstResponseSeconds: H, nextResponseSeconds: H / 2, match: { channelIds: [sla.id] } });
    expect(policy.status).toBe(201);
    const firstOf = async (conversationId: string, text: string) =>
      (await admin.get(`/api/conversations/${conversationId}/messages`)).body.items.find((m: any) => m.text === text);
    const headline = async (conversationId: string) => (await admin.get(`/api/conversations/${conversationId}`)).body.conversation.sla;
    const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

    await ingestTogether([customerEvent("sla-a", "a #1"), customerEvent("sla-b", "b #1"), customerEvent("sla-a", "a #2"), customerEvent("sla-c", "c #1")], sla);
    const a = await waitFor(() => conversationOf("sla-a"), "conversation a");
    const b = await waitFor(() => conversationOf("sla-b"), "conversation b");
    const c = await waitFor(() => conversationOf("sla-c"), "conversation c");
    for (const [conv, text] of [[a, "a #1"], [b, "b #1"], [c, "c #1"]] as const) {
      expect(await headline(conv.id)).toMatchObject({ metric: "first_response", dueAt: plus((await firstOf(conv.id, text)).createdAt, H) });
    }
    // b's stored state is from another version of the rules: its next refresh replays the whole ledger.
    await p.ctx.db.execute(sql`update conversations set sla_replay = jsonb_set(sla_replay, '{v}', '0') where id = ${b.id}`);

    for (const conv of [a, b]) expect((await admin.post(`/api/conversations/${conv.id}/messages`, { text: "On it" })).status).toBe(201);
    expect(await headline(a.id)).toBeNull(); // answered: no clock runs until the customer writes again

    await ingestTogether([customerEvent("sla-a", "a #3"), customerEvent("sla-b", "b #2"), customerEvent("sla-a", "a #4"), customerEvent("sla-b", "b #3"), customerEvent("sla-c", "c #2")], sla);
    for (const [conv, text] of [[a, "a #3"], [b, "b #2"]] as const) {
      expect(await headline(conv.id)).toMatchObject({ metric: "next_response", dueAt: plus((await firstOf(conv.id, text)).createdAt, H / 2) });
    }
    // c was never answered: it still waits for its first response, from its first message.
    expect(await headline(c.id)).toMatchObject({ metric: "first_response", dueAt: plus((await firstOf(c.id, "c #1")).createdAt, H) });
  });
});
