import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import type { NormalizedEvent } from "../../shared/schemas/normalized.js";
import type { Tx } from "../db/client.js";
import { channels, contactIdentities, contacts, conversations, messages } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { routeChange } from "../domain/assignment-routing.js";
import { appendLedger, type LedgerAppend, type LoggedEntry } from "../domain/ledger.js";
import { keptTargetsOf, refreshSla, slaLedgers, slaMayRun } from "../domain/sla.js";
import { listPolicies } from "../domain/sla-policies.js";
import { serializeMessage } from "../domain/serialize.js";
import { conversationOf } from "../domain/conversation-queries.js";
import { audienceRooms } from "../domain/teams-rooms.js";
import type { Conversation } from "../../shared/schemas/conversations.js";
import { prepareInbound, recordInbound } from "../media/attachments.js";
import { profileChanges } from "../domain/contact-profile.js";
import { isoOf, rowOf, runStatement, statement } from "../db/raw.js";

type ChannelRow = typeof channels.$inferSelect;
type ConversationRow = typeof conversations.$inferSelect;
type MessageEvent = Extract<NormalizedEvent, { type: "message" }>;

/** A delivery of the batch, normalized. */
export type Delivery = { id: string; channel: ChannelRow; normalized: NormalizedEvent[] };

/** One delivery the set-based path may apply: a single customer message. */
export type SetItem = { id: string; channel: ChannelRow; e: MessageEvent; now: Date };

/** What the set-based path did: a note (or null) per delivery it applied; the others are left to the per-delivery path. */
export type SetOutcome = Map<string, string | null>;

/**
 * The set-based path's outcome, and its last write still on its way: the conversations' activity
 * UPDATE is sent without waiting for it, so that the caller's own last statements (marking the
 * deliveries processed) go in the same round trip. `written` settles when it is done; await it
 * before the commit.
 */
export type SetApplied = { outcome: SetOutcome; written: Promise<void> };

/**
 * A message of the batch that another process stored between the batch's redelivery check and its
 * insert (the same delivery handled twice at once). The set-based path has by then written the
 * batch's ledger, so the transaction is rolled back and the batch applied by the per-delivery path,
 * which notes the redelivery.
 */
export class StoredMeanwhile extends Error {
  constructor() {
    super("set-based ingest: a message of the batch was stored meanwhile by another process");
  }
}

/**
 * The delivery's one customer message, when the set-based path may take it. Echoes (the brand's own
 * messages), replies to a stored message (found through their parent), deliveries of several events
 * and every other kind of event go through the per-delivery path.
 */
export function setCandidate(normalized: NormalizedEvent[]): MessageEvent | null {
  if (normalized.length !== 1) return null;
  const e = normalized[0]!;
  if (e.type !== "message" || e.message.direction === "out" || e.message.parentExternalId) return null;
  return e;
}

/**
 * The deliveries the set-based path may take: single customer messages whose whole thread in this
 * batch is such messages, and whose contact no other event of the batch (a block, a read watermark)
 * names. Everything else keeps the per-delivery path and its order.
 */
export function setItems(todo: Delivery[], now: () => Date): SetItem[] {
  const perDelivery = new Set<string>(); // threads and contacts some other delivery touches
  const candidates: Array<{ ready: Delivery; e: MessageEvent }> = [];
  for (const ready of todo) {
    const e = setCandidate(ready.normalized);
    if (e) {
      candidates.push({ ready, e });
      continue;
    }
    for (const item of ready.normalized) {
      if (item.type === "message") perDelivery.add(`thread ${threadOf(ready.channel.id, item.thread.key)}`);
      if (item.type === "contact.blocked" || item.type === "receipt.watermark") perDelivery.add(`contact ${threadOf(ready.channel.id, item.contactExternalId)}`);
    }
  }
  return candidates
    .filter(({ ready, e }) => !perDelivery.has(`thread ${threadOf(ready.channel.id, e.thread.key)}`) && !perDelivery.has(`contact ${threadOf(ready.channel.id, e.contact.externalId)}`))
    .map(({ ready, e }) => ({ id: ready.id, channel: ready.channel, e, now: now() }));
}

/** The key of a thread within a batch (its channel and the platform's thread key). */
export const threadOf = (channelId: string, key: string) => `${channelId}\u0000${key}`;
/** A platform id (of a contact or a message) within its channel. */
const pairOf = (channelId: string, externalId: string) => `${channelId}\u0000${externalId}`;

/** The columns a customer message may change on its conversation (addMessage and routeChange); anything else is not for this path. */
const WRITTEN = ["updatedAt", "lastMessageAt", "lastMessageText", "lastMessageDirection", "activityAt", "lastCustomerMessageAt", "waitingSince", "queuedAt"] as const;

/**
 * Applies customer messages of many threads in a few statements, inside the batch's transaction:
 * one read finds messages already stored, one read (and two inserts for new ones) resolves the
 * contacts, one locking read finds the conversations (one insert opens the missing ones), one
 * multi-row INSERT ... RETURNING stores every message (the socket payloads come from it), one
 * INSERT writes the ledger, the SLA clocks of the touched conversations are brought up to date from
 * one read of their ledger entries after each stored replay state and one of their targets, and one
 * UPDATE ... FROM unnest(...) writes every conversation's activity and replay state. Per conversation
 * this does what addMessage does for each message, in arrival order.
 *
 * Statements that do not need each other's answers are sent together, without waiting in between:
 * on a pipelined connection (server/db/client.ts) each group is one round trip. The first three
 * reads come from readSet, which the caller sends with its own first statement; the messages, the
 * ledger and the SLA reads go together; the activity UPDATE goes with the caller's last statements.
 * PostgreSQL still runs them one after another, in the order sent.
 *
 * A thread it cannot take whole (one of its messages is stored already or twice in the batch, or its
 * conversation is not open: reopening is changeConversation's work) is left out entirely, so the
 * caller applies all of that thread's deliveries one by one, in order.
 *
 * `whole`: the items are every delivery of the transaction. Only then, and when no thread was left
 * out, do the pushes carry their conversations from the rows written here: otherwise a delivery
 * applied one by one afterwards may change them, and the pushes read them after the commit.
 */
export async function applySet(tx: Tx, events: DomainEvent[], items: SetItem[], whole: boolean, reads: SetReads): Promise<SetApplied> {
  const outcome: SetOutcome = new Map();
  const nothing = { outcome, written: Promise.resolve() };
  if (items.length === 0) return nothing;
  const left = new Set<string>(); // threads left to the per-delivery path

  // 1. Redeliveries: a message stored already, or twice in this batch (the per-delivery path notes them).
  const { stored } = reads;
  const seen = new Set(stored.map((m) => pairOf(m.channelId, m.externalId)));
  for (const i of items) {
    const key = pairOf(i.channel.id, i.e.message.externalId);
    if (seen.has(key)) left.add(threadOf(i.channel.id, i.e.thread.key));
    seen.add(key);
  }
  let todo = items.filter((i) => !left.has(threadOf(i.channel.id, i.e.thread.key)));
  if (todo.length === 0) return nothing;

  // 2. Contacts: found by their identity on the channel, or created (contact and identity) together.
  const contactIds = await resolveContacts(tx, todo, reads.contacts);

  // 3. Conversations, locked by readSet in one order (by id) for every transaction.
  const byThread = new Map<string, ConversationRow>();
  const threads = new Set(todo.map((i) => threadOf(i.channel.id, i.e.thread.key)));
  const locked = reads.conversations.filter((c) => threads.has(threadOf(c.channelId, c.threadKey)));
  for (const c of locked) byThread.set(threadOf(c.channelId, c.threadKey), c);
  for (const c of locked) if (c.status !== "open") left.add(threadOf(c.channelId, c.threadKey));
  todo = todo.filter((i) => !left.has(threadOf(i.channel.id, i.e.thread.key)));
  if (todo.length === 0) return nothing;

  // What each thread's messages say about it: shallow-merged context, in arrival order.
  const contextOf = new Map<string, Record<string, unknown>>();
  for (const i of todo) {
    const t = threadOf(i.channel.id, i.e.thread.key);
    if (i.e.thread.context && Object.keys(i.e.thread.context).length) contextOf.set(t, { ...contextOf.get(t), ...i.e.thread.context });
  }

  // 4. Missing conversations, opened by their thread's first message.
  const ledger: LedgerAppend[] = [];
  const firstOf = new Map<string, SetItem>();
  for (const i of todo) {
    const t = threadOf(i.channel.id, i.e.thread.key);
    if (!byThread.has(t) && !firstOf.has(t)) firstOf.set(t, i);
  }
  if (firstOf.size) {
    const rows = [...firstOf.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) // one insert order for every transaction
      .map(([t, i]) => ({
        id: randomUUID(),
        workspaceId: i.channel.workspaceId,
        channelId: i.channel.id,
        contactId: contactIds.get(pairOf(i.channel.id, i.e.contact.externalId))!,
        kind: i.e.thread.kind,
        threadKey: i.e.thread.key,
        owner: i.channel.botEnabled ? ("bot" as const) : ("human" as const),
        status: "open" as const,
        context: contextOf.get(t) ?? {},
        activityAt: i.now,
        createdAt: i.now,
        updatedAt: i.now,
      }));
    const created = await tx.insert(conversations).values(rows).onConflictDoNothing().returning();
    for (const c of created) {
      byThread.set(threadOf(c.channelId, c.threadKey), c);
      ledger.push({ workspaceId: c.workspaceId, conversationId: c.id, type: "conversation.created", actor: "customer", data: { owner: c.owner, kind: c.kind }, at: c.createdAt });
    }
    if (created.length < rows.length) {
      // Another process opened some of these threads meanwhile: take theirs, locked.
      const raced = rows.filter((r) => !created.some((c) => c.id === r.id));
      const theirs = await lockThreads(tx, raced.map((r) => threadOf(r.channelId, r.threadKey)));
      for (const c of theirs) if (!byThread.has(threadOf(c.channelId, c.threadKey))) byThread.set(threadOf(c.channelId, c.threadKey), c);
      // Theirs may have moved on already (resolved by an agent within the same instant): not this path's work.
      if (raced.some((r) => byThread.get(threadOf(r.channelId, r.threadKey))?.status !== "open")) throw new Error("set-based ingest: a thread changed while it was opened");
    }
  }

  // 5. Every message's row, in arrival order (seq follows it); its id is chosen here, so the ledger
  //    can name it before the INSERT has answered.
  const files = todo.map((i) => {
    const conv = byThread.get(threadOf(i.channel.id, i.e.thread.key))!;
    return prepareInbound(i.e.message.attachments ?? [], { workspaceId: conv.workspaceId, conversationId: conv.id, channelId: i.channel.id });
  });
  const values = todo.map((i, n) => {
    const conv = byThread.get(threadOf(i.channel.id, i.e.thread.key))!;
    return {
      id: randomUUID(),
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      channelId: i.channel.id,
      visibility: i.e.message.visibility ?? (i.e.thread.kind === "dm" ? ("private" as const) : ("public" as const)),
      text: i.e.message.text,
      externalId: i.e.message.externalId,
      rating: i.e.message.rating ?? null,
      attachments: files[n]!.display,
      meta: { ...i.e.message.meta, ...(i.e.message.occurredAt ? { occurredAt: i.e.message.occurredAt } : {}) },
      createdAt: i.now,
    };
  });

  // 6. Per conversation, what addMessage does for each message, in order, on the locked row in memory.
  const touched = new Map<string, { conv: ConversationRow; now: Date }>();
  const routedEvents: DomainEvent[][] = [];
  for (const [n, i] of todo.entries()) {
    const conv = byThread.get(threadOf(i.channel.id, i.e.thread.key))!;
    const v = values[n]!;
    const at = i.now;
    const text = v.text || (v.rating ? "★".repeat(v.rating) : v.attachments.length ? `[${v.attachments[0]!.type}]` : "");
    const before = { ...conv };
    Object.assign(conv, { updatedAt: at, lastMessageAt: at, lastMessageText: text, lastMessageDirection: "in", activityAt: at, lastCustomerMessageAt: at, waitingSince: conv.waitingSince ?? at });
    const routed = await routeChange(tx, before, conv, false, at);
    const unexpected = Object.keys(routed.patch).filter((k) => !(WRITTEN as readonly string[]).includes(k));
    if (unexpected.length) throw new Error(`set-based ingest: a customer message changed ${unexpected.join(", ")}`);
    Object.assign(conv, routed.patch);
    ledger.push(...routed.ledger, {
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      type: "message.created",
      actor: "customer",
      messageId: v.id,
      data: { direction: "in", visibility: v.visibility },
      at,
    });
    routedEvents.push(routed.events);
    touched.set(conv.id, { conv, now: at });
    outcome.set(i.id, null);
  }
  // What the messages say about their threads (a review's title, a post's link).
  for (const [t, context] of contextOf) {
    const conv = byThread.get(t)!;
    const merged = { ...conv.context, ...context };
    if (JSON.stringify(merged) !== JSON.stringify(conv.context)) conv.context = merged;
  }

  // 7. One round trip: the messages, the ledger, and what the SLA clocks read (the ledger entries
  //    after each stored replay state, the entries just written included; the targets; the policies).
  const measured = [...touched.values()].filter(({ conv }) => slaMayRun(conv));
  const workspaceIds = unique(measured.map(({ conv }) => conv.workspaceId));
  const [returned, , history, targets, policyLists] = await Promise.all([
    runStatement<Record<string, unknown>>(tx, insertMessages, [
      values.map((v) => v.id),
      values.map((v) => v.workspaceId),
      values.map((v) => v.conversationId),
      values.map((v) => v.channelId),
      values.map((v) => v.visibility),
      values.map((v) => v.text),
      values.map((v) => v.externalId),
      values.map((v) => v.rating),
      values.map((v) => JSON.stringify(v.attachments)),
      values.map((v) => JSON.stringify(v.meta)),
      values.map((v) => isoOf(v.createdAt)),
    ]),
    appendLedger(tx, ledger),
    measured.length ? slaLedgers(tx, measured.map(({ conv }) => conv)) : new Map<string, LoggedEntry[]>(),
    measured.length ? keptTargetsOf(tx, measured.map(({ conv }) => conv.id)) : [],
    Promise.all(workspaceIds.map((id) => listPolicies(tx, id))),
  ]);
  // Every message stored, or none of this: the ledger above names them all.
  if (returned.length !== values.length) throw new StoredMeanwhile();
  const inserted = new Map(returned.map((r) => messageRow.read(r)).map((m) => [m.id, m]));
  for (const [n, v] of values.entries()) {
    const row = inserted.get(v.id)!;
    await recordInbound(tx, events, row, files[n]!); // no statement unless the message has files
    events.push(
      ...routedEvents[n]!,
      { type: "message.created", workspaceId: row.workspaceId, conversationId: row.conversationId, messageId: row.id, author: "customer", owner: touched.get(row.conversationId)!.conv.owner, message: serializeMessage(row) },
      { type: "conversation.updated", workspaceId: row.workspaceId, conversationId: row.conversationId },
    );
  }

  // 8. SLA clocks, brought up to date on the locked rows in memory (a target started, met or
  //    breached is written here; the replay state goes with the activity below).
  const policies = new Map(workspaceIds.map((id, n) => [id, policyLists[n]!]));
  for (const { conv, now } of measured) {
    const platform = items.find((i) => i.channel.id === conv.channelId)!.channel.platform;
    await refreshSla(tx, events, conv, history.get(conv.id)!, now, {
      targets: targets.filter((t) => t.conversationId === conv.id),
      policies: policies.get(conv.workspaceId)!,
      platform,
      writesReplay: true,
    });
  }

  // 9. One UPDATE for every touched conversation: the locked rows' new values (the SLA replay's state
  //    included). It returns what their socket pushes show, so none is read again after the commit.
  //    Sent without waiting: the caller's last statements follow it in the same round trip.
  const convs = [...touched.values()].map(({ conv }) => conv);
  const written = runStatement<Record<string, unknown>>(tx, writeActivity, [
    convs.map((c) => c.id),
    convs.map((c) => isoOf(c.updatedAt)),
    convs.map((c) => isoOf(c.lastMessageAt)),
    convs.map((c) => c.lastMessageText),
    convs.map((c) => c.lastMessageDirection),
    convs.map((c) => isoOf(c.activityAt)),
    convs.map((c) => isoOf(c.lastCustomerMessageAt)),
    convs.map((c) => isoOf(c.waitingSince)),
    convs.map((c) => isoOf(c.queuedAt)),
    convs.map((c) => JSON.stringify(c.context)),
    convs.map((c) => (c.slaReplay ? JSON.stringify(c.slaReplay) : null)),
  ]).then((rows) => {
    if (whole && left.size === 0) attachPushes(events, rows, new Map(items.map((i) => [i.channel.id, i.channel])));
  });
  written.catch(() => {}); // handled where the caller awaits it; this keeps a failure seen first elsewhere from going unhandled
  return { outcome, written };
}

/**
 * Gives the batch's message and conversation pushes their rooms and conversation from the rows the
 * activity UPDATE returned: the state the commit leaves. A conversation with a hand-off shows it, a
 * read of its own: that one is left to the read after the commit.
 */
function attachPushes(events: DomainEvent[], written: Array<Record<string, unknown>>, channelsById: Map<string, ChannelRow>) {
  const pushed = new Map<string, { rooms: string[]; conversation?: Conversation }>();
  for (const r of written) {
    const c = writtenRow.read(r);
    const rooms = audienceRooms(c.workspaceId, { assigneeId: c.assigneeId, teamId: c.teamId, channelTeamId: r.channelTeamId as string | null });
    const channel = channelsById.get(c.channelId)!;
    const read = {
      conversation: c,
      contactId: c.contactId,
      contactName: r.contactName as string,
      contactAvatarUrl: r.contactAvatarUrl as string | null,
      platform: channel.platform,
      channelName: channel.name,
      assigneeName: r.assigneeName as string | null,
      teamName: r.teamName as string | null,
      channel,
      blockedAt: r.blockedAt as Date | null,
      blockedReason: r.blockedReason as string | null,
    };
    const withHandoff = c.owner === "human" && c.handoffReason !== null;
    pushed.set(c.id, { rooms, conversation: withHandoff ? undefined : conversationOf(read, null) });
  }
  for (const e of events) {
    const p = (e.type === "message.created" || e.type === "conversation.updated") && pushed.get(e.conversationId);
    if (!p) continue;
    e.rooms = p.rooms;
    if (e.type === "conversation.updated" && p.conversation) e.conversation = p.conversation;
  }
}

/**
 * Contact ids by channel and platform id: existing identities in one read; missing ones created in two
 * inserts (contacts, then identities; an identity another process created first wins, and our
 * contact is removed). What the batch says of the customers (display name unless a person chose it,
 * picture, handle: profileChanges, as per delivery) then lands in at most one UPDATE of contacts and
 * one of identities.
 */
async function resolveContacts(tx: Tx, items: SetItem[], prefound: FoundContact[]): Promise<Map<string, string>> {
  // Per contact: its channel, and the last name, handle and picture the batch gives (what applying in order leaves).
  const wanted = new Map<string, { channel: ChannelRow; externalId: string; name?: string; handle?: string; avatarUrl?: string }>();
  for (const i of items) {
    const key = pairOf(i.channel.id, i.e.contact.externalId);
    const prev = wanted.get(key);
    const c = i.e.contact;
    wanted.set(key, { channel: i.channel, externalId: c.externalId, name: c.name ?? prev?.name, handle: c.handle ?? prev?.handle, avatarUrl: c.avatarUrl ?? prev?.avatarUrl });
  }
  const find = (list: Array<{ channel: ChannelRow; externalId: string }>) =>
    runStatement<FoundContact>(tx, findContacts, [list.map((w) => w.channel.id), list.map((w) => w.externalId)]);
  const ids = new Map<string, string>();
  const found: FoundContact[] = [];
  const take = (rows: FoundContact[]) => {
    for (const f of rows) {
      ids.set(pairOf(f.channelId, f.externalId), f.id);
      found.push(f);
    }
  };
  take(prefound.filter((f) => wanted.has(pairOf(f.channelId, f.externalId))));
  const missing = [...wanted.entries()].filter(([key]) => !ids.has(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (missing.length) {
    const fresh = missing.map(([key, w]) => ({ key, w, id: randomUUID() }));
    await tx.insert(contacts).values(fresh.map((f) => ({ id: f.id, workspaceId: f.w.channel.workspaceId, name: f.w.name ?? f.w.externalId, avatarUrl: f.w.avatarUrl ?? null })));
    const made = await tx
      .insert(contactIdentities)
      .values(fresh.map((f) => ({ contactId: f.id, channelId: f.w.channel.id, externalId: f.w.externalId, handle: f.w.handle ?? null })))
      .onConflictDoNothing()
      .returning({ contactId: contactIdentities.contactId });
    const won = new Set(made.map((m) => m.contactId));
    for (const f of fresh) if (won.has(f.id)) ids.set(f.key, f.id);
    const lost = fresh.filter((f) => !won.has(f.id));
    if (lost.length) {
      // Other ingests created these identities first; use theirs.
      await tx.delete(contacts).where(inArray(contacts.id, lost.map((f) => f.id)));
      take(await find(lost.map((l) => l.w)));
    }
  }
  await refreshProfiles(tx, found, wanted);
  return ids;
}

/**
 * What the set-based path reads before it decides anything, for every candidate of the batch: the
 * messages already stored, the customers' identities, and the threads' conversations, locked in one
 * order (by id). The three are sent at once, without waiting in between (one round trip on a
 * pipelined connection), right after the caller's lock of the batch's deliveries. They may cover
 * more than applySet then takes: deliveries another worker finished meanwhile, threads left to the
 * per-delivery path (whose conversations that path locks again, already held).
 */
export type SetReads = { stored: Array<{ channelId: string; externalId: string }>; contacts: FoundContact[]; conversations: ConversationRow[] };

export async function readSet(tx: Tx, items: SetItem[]): Promise<SetReads> {
  if (items.length === 0) return { stored: [], contacts: [], conversations: [] };
  const oneEach = [...new Map(items.map((i) => [pairOf(i.channel.id, i.e.contact.externalId), i])).values()]; // one item per contact
  const [stored, contacts, conversations] = await Promise.all([
    runStatement<{ channelId: string; externalId: string }>(tx, findStored, [items.map((i) => i.channel.id), items.map((i) => i.e.message.externalId)]),
    runStatement<FoundContact>(tx, findContacts, [oneEach.map((i) => i.channel.id), oneEach.map((i) => i.e.contact.externalId)]),
    lockThreads(tx, unique(items.map((i) => threadOf(i.channel.id, i.e.thread.key)))),
  ]);
  return { stored, contacts, conversations };
}

/** A customer's identity on a channel and their contact, as resolveContacts finds them. */
type FoundContact = { channelId: string; externalId: string; identityId: string; handle: string | null; id: string; name: string; nameChosenAt: Date | null; avatarUrl: string | null };
/**
 * The identities of exactly these (channel, platform id) pairs, with their contacts: a probe of the
 * identities' unique index per pair, planned on every run (as findStored below).
 */
const findContacts = statement(
  "set_find_contacts",
  `select i.channel_id as "channelId", i.external_id as "externalId", i.id as "identityId", i.handle,
          c.id, c.name, c.name_chosen_at as "nameChosenAt", c.avatar_url as "avatarUrl"
     from unnest($1::uuid[], $2::text[]) as k(channel_id, external_id)
     join contact_identities i on i.channel_id = k.channel_id and i.external_id = k.external_id
     join contacts c on c.id = i.contact_id`,
  { planEachRun: true },
);

/** The found contacts' and identities' new profile values, each in one UPDATE ... FROM (VALUES ...). */
async function refreshProfiles(
  tx: Tx,
  found: FoundContact[],
  wanted: Map<string, { name?: string; handle?: string; avatarUrl?: string }>,
) {
  // By contact: one row each (two identities of one contact in the batch: the later one's values win).
  const byContact = new Map<string, { name: string | null; avatarUrl: string | null }>();
  const handles = new Map<string, string>();
  for (const f of found) {
    const w = wanted.get(pairOf(f.channelId, f.externalId))!;
    const changes = profileChanges(f, w);
    if (changes.name || changes.avatarUrl) {
      const prev = byContact.get(f.id);
      byContact.set(f.id, { name: changes.name ?? prev?.name ?? null, avatarUrl: changes.avatarUrl ?? prev?.avatarUrl ?? null });
    }
    if (w.handle && w.handle !== f.handle) handles.set(f.identityId, w.handle);
  }
  if (byContact.size) {
    const rows = [...byContact].map(([id, c]) => sql`(${id}::uuid, ${c.name}::text, ${c.avatarUrl}::text)`);
    await tx.execute(sql`
      update ${contacts} as c set name = coalesce(v.name, c.name), avatar_url = coalesce(v.avatar_url, c.avatar_url)
      from (values ${sql.join(rows, sql`, `)}) as v(id, name, avatar_url)
      where c.id = v.id`);
  }
  if (handles.size) {
    const rows = [...handles].map(([id, handle]) => sql`(${id}::uuid, ${handle}::text)`);
    await tx.execute(sql`
      update ${contactIdentities} as i set handle = v.handle
      from (values ${sql.join(rows, sql`, `)}) as v(id, handle)
      where i.id = v.id`);
  }
}

// One probe of the (channel_id, external_id) unique index per message, planned on every run
// (server/db/raw.ts): as `channel_id = any(…) and external_id = any(…)`, a table without statistics
// was read by channel alone, every message of the channel, and a cached plan went stale as it grew.
const findStored = statement(
  "set_find_stored",
  `select m.channel_id as "channelId", m.external_id as "externalId"
     from unnest($1::uuid[], $2::text[]) as k(channel_id, external_id)
     join messages m on m.channel_id = k.channel_id and m.external_id = k.external_id`,
  { planEachRun: true },
);
const messageRow = rowOf(messages);
/** Customer messages in the order given (seq follows it): received, from the customer, neither a reply nor sent by anyone. */
const insertMessages = statement(
  "set_insert_messages",
  `insert into messages (id, workspace_id, conversation_id, channel_id, direction, author, author_user_id, visibility, text, status,
                         external_id, surface, rating, parent_external_id, attachments, meta, created_at, updated_at)
   select id, workspace_id, conversation_id, channel_id, 'in', 'customer', null, visibility, text, 'received',
          external_id, null, rating, null, attachments::jsonb, meta::jsonb, at, at
     from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[], $11::timestamptz[])
          with ordinality as m(id, workspace_id, conversation_id, channel_id, visibility, text, external_id, rating, attachments, meta, at, n)
    order by n
   on conflict do nothing
   returning ${messageRow.list}`,
);

/** The conversations of exactly these threads (channel and thread key pairs), locked in one order (by id) for every transaction. */
async function lockThreads(tx: Tx, threads: string[]): Promise<ConversationRow[]> {
  const cuts = threads.map((t) => t.indexOf("\u0000"));
  const rows = await runStatement<Record<string, unknown>>(tx, lockConversations, [threads.map((t, n) => t.slice(0, cuts[n])), threads.map((t, n) => t.slice(cuts[n]! + 1))]);
  return rows.map((r) => conversationRow.read(r));
}

const conversationRow = rowOf(conversations);
const lockConversations = statement(
  "set_lock_conversations",
  `select ${conversationRow.list} from conversations
    where (channel_id, thread_key) in (select * from unnest($1::uuid[], $2::text[]))
    order by id for update`,
);
const writtenRow = rowOf(conversations, { from: "c", prefix: "" });
/**
 * Each touched conversation's new activity: the locked rows' values after the batch's messages.
 * Returns each row with what its socket push shows besides (as getConversations reads it) and its
 * channel's team (its audience, as conversationRoomsOf reads it).
 */
const writeActivity = statement(
  "set_write_activity",
  `update conversations as c set
      updated_at = v.updated_at, last_message_at = v.last_message_at, last_message_text = v.last_message_text,
      last_message_direction = v.last_message_direction, activity_at = v.activity_at,
      last_customer_message_at = v.last_customer_message_at, waiting_since = v.waiting_since, queued_at = v.queued_at, context = v.context::jsonb,
      sla_replay = v.sla_replay::jsonb
     from unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[])
          as v(id, updated_at, last_message_at, last_message_text, last_message_direction, activity_at, last_customer_message_at, waiting_since, queued_at, context, sla_replay)
    where c.id = v.id
   returning ${writtenRow.list},
     (select name from contacts where id = c.contact_id) as "contactName",
     (select avatar_url from contacts where id = c.contact_id) as "contactAvatarUrl",
     (select name from users where id = c.assignee_id) as "assigneeName",
     (select name from teams where id = c.team_id) as "teamName",
     (select team_id from team_channels where channel_id = c.channel_id) as "channelTeamId",
     (select blocked_at from contact_identities where contact_id = c.contact_id and channel_id = c.channel_id) as "blockedAt",
     (select blocked_reason from contact_identities where contact_id = c.contact_id and channel_id = c.channel_id) as "blockedReason"`,
);

const unique = <T>(list: T[]): T[] => [...new Set(list)];
