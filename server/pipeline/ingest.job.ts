import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { NormalizedEvent } from "../../shared/schemas/normalized.js";
import { defineJob, type Ctx } from "../context.js";
import type { Tx } from "../db/client.js";
import { channels, contactIdentities, contacts, conversations, inboundEvents, messages } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { connectorFor } from "../connectors/registry.js";
import { appendLedger } from "../domain/ledger.js";
import { addMessage, changeConversation } from "../domain/conversation-commands.js";
import { inTransaction } from "../domain/transaction.js";

type ChannelRow = typeof channels.$inferSelect;

/** Turns a stored delivery into contacts, conversations and messages, in one transaction. */
export const ingestJob = defineJob({
  name: "webhook.ingest",
  queue: "ingest",
  payload: z.object({ inboundEventId: z.uuid() }),
  retry: (c) => ({ attempts: c.INGEST_MAX_ATTEMPTS, backoffMs: 500 }),
  async handle({ inboundEventId }, ctx, job) {
    const [found] = await ctx.db
      .select({ event: inboundEvents, channel: channels })
      .from(inboundEvents)
      .innerJoin(channels, eq(channels.id, inboundEvents.channelId))
      .where(eq(inboundEvents.id, inboundEventId));
    if (!found || found.event.status !== "pending") return;
    const { event, channel } = found;

    let normalized: NormalizedEvent[];
    try {
      normalized = connectorFor(channel.platform).normalize(event.payload);
    } catch (err) {
      await finish(ctx, event.id, "rejected", `could not read the delivery: ${(err as Error).message}`);
      return;
    }

    try {
      await inTransaction(ctx, async (tx, events) => {
        const [locked] = await tx.select({ status: inboundEvents.status }).from(inboundEvents).where(eq(inboundEvents.id, event.id)).for("update");
        if (locked?.status !== "pending") return;
        const notes: string[] = [];
        for (const item of normalized) {
          const note = item.type === "message" ? await ingestMessage(tx, events, channel, item) : await ingestReceipt(tx, events, channel, item);
          if (note) notes.push(note);
        }
        const now = new Date();
        await tx
          .update(inboundEvents)
          .set({ status: "processed", processedAt: now, attempts: sql`${inboundEvents.attempts} + 1`, reason: notes.join("; ") || null })
          .where(eq(inboundEvents.id, event.id));
        await tx.update(channels).set({ lastEventAt: now }).where(eq(channels.id, channel.id));
      });
    } catch (err) {
      const reason = (err as Error).message;
      if (job.isLastAttempt) {
        await finish(ctx, event.id, "failed", `gave up after ${job.attempt} attempts: ${reason}`);
        await ctx.db.update(channels).set({ lastError: `Ingest failed: ${reason}`, lastErrorAt: new Date() }).where(eq(channels.id, channel.id));
        return;
      }
      await ctx.db.update(inboundEvents).set({ attempts: job.attempt, reason }).where(eq(inboundEvents.id, event.id));
      throw err;
    }
  },
});

async function finish(ctx: Ctx, id: string, status: "rejected" | "failed", reason: string) {
  ctx.log.warn("inbound event not ingested", { event: id, status, reason });
  await ctx.db.update(inboundEvents).set({ status, reason, processedAt: new Date() }).where(eq(inboundEvents.id, id));
}

async function findOrCreateContact(tx: Tx, channel: ChannelRow, c: { externalId: string; name?: string }) {
  const find = () =>
    tx
      .select({ id: contacts.id, name: contacts.name })
      .from(contactIdentities)
      .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
      .where(and(eq(contactIdentities.channelId, channel.id), eq(contactIdentities.externalId, c.externalId)));
  const [existing] = await find();
  if (existing) {
    if (c.name && c.name !== existing.name) await tx.update(contacts).set({ name: c.name }).where(eq(contacts.id, existing.id));
    return existing.id;
  }
  const [contact] = await tx.insert(contacts).values({ workspaceId: channel.workspaceId, name: c.name ?? c.externalId }).returning({ id: contacts.id });
  const [identity] = await tx
    .insert(contactIdentities)
    .values({ contactId: contact!.id, channelId: channel.id, externalId: c.externalId })
    .onConflictDoNothing()
    .returning();
  if (identity) return contact!.id;
  // Another ingest created the same identity first; use theirs.
  await tx.delete(contacts).where(eq(contacts.id, contact!.id));
  const [winner] = await find();
  return winner!.id;
}

async function ingestMessage(tx: Tx, events: DomainEvent[], channel: ChannelRow, item: Extract<NormalizedEvent, { type: "message" }>) {
  const [dup] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.channelId, channel.id), eq(messages.externalId, item.message.externalId)));
  if (dup) return `message ${item.message.externalId} already stored`;

  const contactId = await findOrCreateContact(tx, channel, item.contact);
  const now = new Date();
  const lockThread = () =>
    tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.channelId, channel.id), eq(conversations.threadKey, item.thread.key)))
      .for("update");
  let [conv] = await lockThread();
  if (!conv) {
    const owner = channel.botEnabled ? "bot" : "human";
    [conv] = await tx
      .insert(conversations)
      .values({
        workspaceId: channel.workspaceId,
        channelId: channel.id,
        contactId,
        kind: item.thread.kind,
        threadKey: item.thread.key,
        owner,
        status: "open",
        activityAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (conv) {
      await appendLedger(tx, [
        { workspaceId: conv.workspaceId, conversationId: conv.id, type: "conversation.created", actor: "customer", data: { owner, kind: conv.kind }, at: now },
      ]);
    } else {
      [conv] = await lockThread();
    }
  } else if (conv.status !== "open") {
    // A customer writing again wakes a snoozed or pending conversation and reopens a resolved one,
    // which goes back to the bot when the channel has one.
    const owner = conv.status === "resolved" && channel.botEnabled ? "bot" : conv.owner;
    conv = await changeConversation(tx, events, conv, { status: "open", owner }, { kind: "customer" }, now);
  }
  await addMessage(
    tx,
    events,
    conv!,
    {
      direction: "in",
      author: "customer",
      visibility: item.thread.kind === "dm" ? "private" : "public",
      text: item.message.text,
      status: "received",
      externalId: item.message.externalId,
    },
    now,
  );
  return null;
}

const statusRank = { queued: 0, sent: 1, delivered: 2, read: 3 } as const;

async function ingestReceipt(tx: Tx, events: DomainEvent[], channel: ChannelRow, item: Extract<NormalizedEvent, { type: "receipt" }>) {
  if (!/^[0-9a-f-]{36}$/i.test(item.messageId)) return `receipt for unknown message ${item.messageId}`;
  const [msg] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.id, item.messageId), eq(messages.channelId, channel.id), eq(messages.direction, "out")))
    .for("update");
  if (!msg) return `receipt for unknown message ${item.messageId}`;
  if (item.status !== "failed") {
    const current = statusRank[msg.status as keyof typeof statusRank];
    // Receipts can arrive out of order; a status never goes backwards.
    if (current === undefined || current >= statusRank[item.status]) return null;
  }
  await tx
    .update(messages)
    .set({ status: item.status, failureReason: item.status === "failed" ? (item.reason ?? "The platform reported a failure") : msg.failureReason, updatedAt: new Date() })
    .where(eq(messages.id, msg.id));
  events.push({ type: "message.updated", workspaceId: msg.workspaceId, conversationId: msg.conversationId, messageId: msg.id });
  return null;
}
