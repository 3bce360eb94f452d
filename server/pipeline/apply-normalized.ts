import { and, desc, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import type { NormalizedEvent } from "../../shared/schemas/normalized.js";
import type { Tx } from "../db/client.js";
import { channels, contactIdentities, contacts, conversations, messages } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { appendLedger } from "../domain/ledger.js";
import { addMessage, changeConversation } from "../domain/conversation-commands.js";
import { prepareInbound, recordInbound } from "../media/attachments.js";
import { profileChanges } from "../domain/contact-profile.js";

type ChannelRow = typeof channels.$inferSelect;
type MessageEvent = Extract<NormalizedEvent, { type: "message" }>;
type Result = string | null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies one normalized event inside the ingest transaction; returns a note for the delivery's record.
 * `now` (the process clock, `ctx.clock`) stamps new messages and conversation changes: SLA deadlines count from it.
 */
export async function applyNormalized(tx: Tx, events: DomainEvent[], channel: ChannelRow, e: NormalizedEvent, now = new Date()): Promise<Result> {
  switch (e.type) {
    case "message":
      return e.message.direction === "out" ? applyEcho(tx, events, channel, e, now) : applyInbound(tx, events, channel, e, now);
    case "message.edited":
      return updateMessage(tx, events, channel, e.externalId, (m) =>
        e.text === m.text && (e.rating ?? m.rating) === m.rating
          ? {} // a redelivered or no-op update is not an edit
          : {
              text: e.text,
              rating: e.rating ?? m.rating,
              editedAt: new Date(),
              meta: { ...m.meta, history: [...((m.meta.history as unknown[]) ?? []), { text: m.text, rating: m.rating, until: new Date().toISOString() }] },
            },
      );
    case "message.deleted":
      // A delete we made ourselves comes back from the platform too: it stays ours.
      return updateMessage(tx, events, channel, e.externalId, (m) => (m.deletedAt ? {} : { deletedAt: new Date(), meta: { ...m.meta, deletedBy: "customer" } }));
    case "message.moderated":
      return updateMessage(tx, events, channel, e.externalId, () => ({ hidden: e.hidden }));
    case "receipt":
      return applyReceipt(tx, events, channel, e);
    case "receipt.watermark":
      return applyWatermark(tx, events, channel, e);
    case "contact.blocked":
      return applyBlocked(tx, events, channel, e);
    case "ignored":
      return `ignored: ${e.reason}`;
  }
}

type ContactIn = MessageEvent["contact"];

async function findOrCreateContact(tx: Tx, channel: ChannelRow, c: ContactIn) {
  const [existing] = await findContact(tx, channel, c.externalId);
  if (existing) {
    await refreshContact(tx, existing, c);
    return existing.id;
  }
  const [contact] = await tx
    .insert(contacts)
    .values({ workspaceId: channel.workspaceId, name: c.name ?? c.externalId, avatarUrl: c.avatarUrl ?? null })
    .returning({ id: contacts.id });
  const [identity] = await tx
    .insert(contactIdentities)
    .values({ contactId: contact!.id, channelId: channel.id, externalId: c.externalId, handle: c.handle ?? null })
    .onConflictDoNothing()
    .returning();
  if (identity) return contact!.id;
  // Another ingest created the same identity first; use theirs.
  await tx.delete(contacts).where(eq(contacts.id, contact!.id));
  const [winner] = await findContact(tx, channel, c.externalId);
  await refreshContact(tx, winner!, c);
  return winner!.id;
}

function findContact(tx: Tx, channel: ChannelRow, externalId: string) {
  return tx
    .select({ id: contacts.id, name: contacts.name, nameChosenAt: contacts.nameChosenAt, avatarUrl: contacts.avatarUrl, identityId: contactIdentities.id, handle: contactIdentities.handle })
    .from(contactIdentities)
    .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
    .where(and(eq(contactIdentities.channelId, channel.id), eq(contactIdentities.externalId, externalId)));
}

/** The platform's latest name, picture and handle (profileChanges: a chosen name stays, absent values keep); true when any changed. */
async function refreshContact(tx: Tx, found: Awaited<ReturnType<typeof findContact>>[number], c: ContactIn): Promise<boolean> {
  const changes = profileChanges(found, c);
  if (Object.keys(changes).length) await tx.update(contacts).set(changes).where(eq(contacts.id, found.id));
  const handleChanged = Boolean(c.handle && c.handle !== found.handle);
  if (handleChanged) await tx.update(contactIdentities).set({ handle: c.handle }).where(eq(contactIdentities.id, found.identityId));
  return handleChanged || Object.keys(changes).length > 0;
}

/** Finds the thread's conversation and locks it, or opens it. */
async function openThread(tx: Tx, channel: ChannelRow, e: MessageEvent, contactId: string, owner: "bot" | "human", now: Date) {
  const lock = () =>
    tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.channelId, channel.id), eq(conversations.threadKey, e.thread.key)))
      .for("update");
  let [existing] = await lock();
  if (!existing && e.message.parentExternalId) {
    // A reply to a message we hold (e.g. the customer answering the brand's reply) stays in its thread.
    const [parent] = await tx
      .select({ conversationId: messages.conversationId })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(messages.channelId, channel.id), eq(messages.externalId, e.message.parentExternalId), eq(conversations.contactId, contactId)));
    if (parent) [existing] = await tx.select().from(conversations).where(eq(conversations.id, parent.conversationId)).for("update");
  }
  if (existing) {
    if (e.thread.context && Object.keys(e.thread.context).length) {
      const context = { ...existing.context, ...e.thread.context };
      await tx.update(conversations).set({ context }).where(eq(conversations.id, existing.id));
      existing.context = context;
    }
    return { conv: existing, created: false };
  }
  const [conv] = await tx
    .insert(conversations)
    .values({
      workspaceId: channel.workspaceId,
      channelId: channel.id,
      contactId,
      kind: e.thread.kind,
      threadKey: e.thread.key,
      owner,
      status: "open",
      context: e.thread.context ?? {},
      activityAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!conv) return { conv: (await lock())[0]!, created: false };
  await appendLedger(tx, [
    { workspaceId: conv.workspaceId, conversationId: conv.id, type: "conversation.created", actor: "customer", data: { owner, kind: conv.kind }, at: now },
  ]);
  return { conv, created: true };
}

const visibilityOf = (e: MessageEvent) => e.message.visibility ?? (e.thread.kind === "dm" ? "private" : "public");

async function storedByExternalId(tx: Tx, channel: ChannelRow, externalId: string) {
  const [m] = await tx.select().from(messages).where(and(eq(messages.channelId, channel.id), eq(messages.externalId, externalId)));
  return m;
}

async function applyInbound(tx: Tx, events: DomainEvent[], channel: ChannelRow, e: MessageEvent, now: Date): Promise<Result> {
  const stored = await storedByExternalId(tx, channel, e.message.externalId);
  if (stored) {
    // Still refresh what the thread is about (a review's new title, a post's permalink).
    if (e.thread.context && Object.keys(e.thread.context).length) {
      const [conv] = await tx.select({ context: conversations.context }).from(conversations).where(eq(conversations.id, stored.conversationId)).for("update");
      await tx.update(conversations).set({ context: { ...conv!.context, ...e.thread.context } }).where(eq(conversations.id, stored.conversationId));
      events.push({ type: "conversation.updated", workspaceId: stored.workspaceId, conversationId: stored.conversationId });
    }
    // An updated review fetched again carries the reviewer's current picture: open consoles refetch it.
    if (e.contact.avatarUrl || e.contact.handle) {
      const [found] = await findContact(tx, channel, e.contact.externalId);
      if (found && (await refreshContact(tx, found, e.contact))) {
        events.push({ type: "conversation.updated", workspaceId: stored.workspaceId, conversationId: stored.conversationId });
      }
    }
    return `message ${e.message.externalId} already stored`;
  }
  const contactId = await findOrCreateContact(tx, channel, e.contact);
  let { conv } = await openThread(tx, channel, e, contactId, channel.botEnabled ? "bot" : "human", now);
  if (conv.status !== "open") {
    // A customer writing again wakes a snoozed or pending conversation and reopens a resolved one,
    // which goes back to the bot when the channel has one.
    const owner = conv.status === "resolved" && channel.botEnabled ? "bot" : conv.owner;
    conv = await changeConversation(tx, events, conv, { status: "open", owner }, { kind: "customer" }, now);
  }
  const files = prepareInbound(e.message.attachments ?? [], { workspaceId: conv.workspaceId, conversationId: conv.id, channelId: channel.id });
  const row = await addMessage(
    tx,
    events,
    conv,
    {
      direction: "in",
      author: "customer",
      visibility: visibilityOf(e),
      text: e.message.text,
      status: "received",
      externalId: e.message.externalId,
      rating: e.message.rating ?? null,
      parentExternalId: e.message.parentExternalId ?? null,
      attachments: files.display,
      meta: { ...e.message.meta, ...(e.message.occurredAt ? { occurredAt: e.message.occurredAt } : {}) },
    },
    now,
  );
  // The files themselves are fetched by the media job after the commit: ingest never waits for them.
  if (row) await recordInbound(tx, events, row, files);
  return null;
}

/**
 * The brand's own message coming back from the platform. If Parley sent it, it is the same message:
 * match it (by our id, the platform id, or the same text just sent) and never show it twice.
 * Otherwise a person answered from the platform's own app: store it as a human reply.
 */
async function applyEcho(tx: Tx, events: DomainEvent[], channel: ChannelRow, e: MessageEvent, now: Date): Promise<Result> {
  if (await storedByExternalId(tx, channel, e.message.externalId)) return `echo of ${e.message.externalId} already stored`;
  const ours = await findOurMessage(tx, channel, e);
  if (ours) {
    await tx
      .update(messages)
      // A reply sent in parts (text, then files) echoes once per part: the first part's id stays, and
      // only the send job, once every part went through, calls it sent. Both are decided on the row
      // as it is when updated, not as read above: the send job may have recorded its outcome in
      // between, and writing the status read earlier would turn a sent reply back into a queued one.
      .set({
        externalId: sql`coalesce(${messages.externalId}, ${e.message.externalId})`,
        ...(ours.attachments.length === 0 ? { status: sql`case when ${messages.status} = 'queued' then 'sent' else ${messages.status} end` } : {}),
        updatedAt: new Date(),
      })
      .where(eq(messages.id, ours.id));
    events.push({ type: "message.updated", workspaceId: ours.workspaceId, conversationId: ours.conversationId, messageId: ours.id });
    return `echo matched message ${ours.id}`;
  }
  const contactId = await findOrCreateContact(tx, channel, e.contact);
  let { conv } = await openThread(tx, channel, e, contactId, "human", now);
  if (conv.owner === "bot") conv = await changeConversation(tx, events, conv, { owner: "human", handoffReason: "agent_takeover" }, { kind: "system" }, now);
  const files = prepareInbound(e.message.attachments ?? [], { workspaceId: conv.workspaceId, conversationId: conv.id, channelId: channel.id });
  const row = await addMessage(
    tx,
    events,
    conv,
    {
      direction: "out",
      author: "agent",
      visibility: visibilityOf(e),
      text: e.message.text,
      status: "sent",
      externalId: e.message.externalId,
      parentExternalId: e.message.parentExternalId ?? null,
      attachments: files.display,
      meta: { ...e.message.meta, via: "native_app" },
    },
    now,
  );
  if (row) await recordInbound(tx, events, row, files);
  return "reply sent from the platform's own app";
}

async function findOurMessage(tx: Tx, channel: ChannelRow, e: MessageEvent) {
  if (e.message.ourMessageId && UUID.test(e.message.ourMessageId)) {
    const [byId] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.id, e.message.ourMessageId), eq(messages.channelId, channel.id), eq(messages.direction, "out")));
    if (byId) return byId;
  }
  // The echo can overtake the send's own answer: the same text, sent by Parley moments ago, not yet matched.
  const [thread] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.channelId, channel.id), eq(conversations.threadKey, e.thread.key)));
  if (!thread) return undefined;
  if (!e.message.text && e.message.attachments?.length) {
    // A file part of a reply Parley sent (Instagram echoes each part without our id): the latest such reply.
    const [withFiles] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, thread.id),
          eq(messages.direction, "out"),
          sql`jsonb_array_length(${messages.attachments}) > 0`,
          sql`${messages.meta}->>'via' is null`,
          inArray(messages.status, ["queued", "sent"]),
          gte(messages.createdAt, new Date(Date.now() - 15 * 60_000)),
        ),
      )
      .orderBy(desc(messages.seq))
      .limit(1);
    if (withFiles) return withFiles;
  }
  const [recent] = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, thread.id),
        eq(messages.direction, "out"),
        eq(messages.text, e.message.text),
        isNull(messages.externalId),
        inArray(messages.status, ["queued", "sent"]),
        gte(messages.createdAt, new Date(Date.now() - 15 * 60_000)),
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(1);
  return recent;
}

async function updateMessage(
  tx: Tx,
  events: DomainEvent[],
  channel: ChannelRow,
  externalId: string,
  patch: (m: typeof messages.$inferSelect) => Partial<typeof messages.$inferSelect>,
): Promise<Result> {
  const m = await storedByExternalId(tx, channel, externalId);
  if (!m) return `no stored message ${externalId}`;
  const changes = patch(m);
  if (Object.keys(changes).length === 0) return null;
  await tx.update(messages).set({ ...changes, updatedAt: new Date() }).where(eq(messages.id, m.id));
  if (changes.rating !== undefined && changes.rating !== m.rating) {
    const [conv] = await tx.select({ context: conversations.context }).from(conversations).where(eq(conversations.id, m.conversationId));
    await tx.update(conversations).set({ context: { ...conv!.context, rating: changes.rating } }).where(eq(conversations.id, m.conversationId));
    events.push({ type: "conversation.updated", workspaceId: m.workspaceId, conversationId: m.conversationId });
  }
  events.push({ type: "message.updated", workspaceId: m.workspaceId, conversationId: m.conversationId, messageId: m.id });
  return null;
}

const statusRank: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3 };

async function applyReceipt(tx: Tx, events: DomainEvent[], channel: ChannelRow, e: Extract<NormalizedEvent, { type: "receipt" }>): Promise<Result> {
  const where = e.messageId && UUID.test(e.messageId) ? eq(messages.id, e.messageId) : e.externalId ? eq(messages.externalId, e.externalId) : null;
  if (!where) return `receipt for unknown message ${e.messageId ?? e.externalId}`;
  const [msg] = await tx
    .select()
    .from(messages)
    .where(and(where, eq(messages.channelId, channel.id), eq(messages.direction, "out")))
    .for("update");
  if (!msg) return `receipt for unknown message ${e.messageId ?? e.externalId}`;
  if (e.status !== "failed") {
    const current = statusRank[msg.status];
    // Receipts can arrive out of order; a status never goes backwards.
    if (current === undefined || current >= statusRank[e.status]!) return null;
  }
  await tx
    .update(messages)
    .set({ status: e.status, failureReason: e.status === "failed" ? (e.reason ?? "The platform reported a failure") : msg.failureReason, updatedAt: new Date() })
    .where(eq(messages.id, msg.id));
  events.push({ type: "message.updated", workspaceId: msg.workspaceId, conversationId: msg.conversationId, messageId: msg.id });
  return null;
}

async function applyWatermark(tx: Tx, events: DomainEvent[], channel: ChannelRow, e: Extract<NormalizedEvent, { type: "receipt.watermark" }>): Promise<Result> {
  const [identity] = await tx
    .select({ contactId: contactIdentities.contactId })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.channelId, channel.id), eq(contactIdentities.externalId, e.contactExternalId)));
  if (!identity) return `watermark for unknown contact ${e.contactExternalId}`;
  const lower = e.status === "read" ? ["sent", "delivered"] : ["sent"];
  const updated = await tx
    .update(messages)
    .set({ status: e.status, updatedAt: new Date() })
    .where(
      and(
        eq(messages.channelId, channel.id),
        eq(messages.direction, "out"),
        inArray(messages.status, lower as Array<"sent" | "delivered">),
        lte(messages.createdAt, new Date(e.before)),
        inArray(
          messages.conversationId,
          tx.select({ id: conversations.id }).from(conversations).where(and(eq(conversations.channelId, channel.id), eq(conversations.contactId, identity.contactId))),
        ),
      ),
    )
    .returning({ id: messages.id, conversationId: messages.conversationId, workspaceId: messages.workspaceId });
  for (const m of updated) events.push({ type: "message.updated", workspaceId: m.workspaceId, conversationId: m.conversationId, messageId: m.id });
  return null;
}

async function applyBlocked(tx: Tx, events: DomainEvent[], channel: ChannelRow, e: Extract<NormalizedEvent, { type: "contact.blocked" }>): Promise<Result> {
  const [identity] = await tx
    .update(contactIdentities)
    .set(e.blocked ? { blockedAt: new Date(), blockedReason: e.reason } : { blockedAt: null, blockedReason: null })
    .where(and(eq(contactIdentities.channelId, channel.id), eq(contactIdentities.externalId, e.contactExternalId)))
    .returning();
  if (!identity) return `block status for unknown contact ${e.contactExternalId}`;
  const convs = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.channelId, channel.id), eq(conversations.contactId, identity.contactId), eq(conversations.kind, "dm")))
    .for("update");
  for (const conv of convs) {
    await addMessage(tx, events, conv, { direction: "out", author: "system", visibility: "note", text: e.reason, status: "sent" });
  }
  return null;
}
