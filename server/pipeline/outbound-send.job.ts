import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { defineJob, type Ctx } from "../context.js";
import { channels, contactIdentities, conversations, messages } from "../db/schema.js";
import { connectorFor } from "../connectors/registry.js";
import { channelSecrets } from "../domain/channels.js";
import { inTransaction } from "../domain/transaction.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { RetryLater } from "../infra/queue.js";

/**
 * Sends one stored reply through its channel's connector. The job id is the message id and the
 * message must still be `queued`, so a redelivered or retried job never sends twice.
 */
export const outboundSendJob = defineJob({
  name: "message.outbound.send",
  queue: "outbound",
  payload: z.object({ messageId: z.uuid() }),
  retry: (c) => ({ attempts: c.OUTBOUND_MAX_ATTEMPTS, backoffMs: c.OUTBOUND_RETRY_BASE_MS }),
  async handle({ messageId }, ctx, job) {
    const claim = await inTransaction(ctx, async (tx, events) => {
      const [row] = await tx
        .select({ message: messages, conversation: conversations, channel: channels })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .innerJoin(channels, eq(channels.id, messages.channelId))
        .where(eq(messages.id, messageId));
      if (!row || row.message.status !== "queued") return null;
      // Lock the conversation: a take-over either happened before this point (we cancel) or waits.
      const [conv] = await tx.select({ owner: conversations.owner }).from(conversations).where(eq(conversations.id, row.conversation.id)).for("update");
      if (row.message.author === "bot" && conv?.owner !== "bot") {
        await setStatus(tx, events, row.message, { status: "cancelled", failureReason: "Not sent: a person took over the conversation" });
        return null;
      }
      const [identity] = await tx
        .select({ externalId: contactIdentities.externalId })
        .from(contactIdentities)
        .where(and(eq(contactIdentities.contactId, row.conversation.contactId), eq(contactIdentities.channelId, row.channel.id)));
      return { ...row, contactExternalId: identity?.externalId ?? "" };
    });
    if (!claim) return;

    const { message, channel } = claim;
    const connector = connectorFor(channel.platform);
    const result = await connector.send(
      { settings: channel.settings, secrets: channelSecrets(ctx, channel), timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS },
      { conversationId: message.conversationId, messageId: message.id, contactExternalId: claim.contactExternalId, text: message.text },
    );

    if (result.ok) {
      await inTransaction(ctx, (tx, events) =>
        setStatus(tx, events, message, { status: "sent", failureReason: null, externalId: result.externalId ?? null }),
      );
      return;
    }
    const final = !result.retryable || job.isLastAttempt;
    ctx.log.warn("outbound send failed", { message: message.id, attempt: job.attempt, final, reason: result.reason });
    await inTransaction(ctx, (tx, events) =>
      setStatus(tx, events, message, final ? { status: "failed", failureReason: result.reason } : { failureReason: `Retrying: ${result.reason}` }),
    );
    if (final) {
      await ctx.db.update(channels).set({ lastError: result.reason, lastErrorAt: new Date() }).where(eq(channels.id, channel.id));
      return;
    }
    if (result.retryAfterMs) throw new RetryLater(result.retryAfterMs, result.reason);
    throw new Error(result.reason);
  },
});

type MessageRow = typeof messages.$inferSelect;

async function setStatus(
  tx: Parameters<Parameters<Ctx["db"]["transaction"]>[0]>[0],
  events: DomainEvent[],
  message: MessageRow,
  patch: Partial<Pick<MessageRow, "status" | "failureReason" | "externalId">>,
) {
  const [updated] = await tx
    .update(messages)
    .set({ ...patch, attempts: message.attempts + 1, updatedAt: new Date() })
    .where(and(eq(messages.id, message.id), eq(messages.status, "queued")))
    .returning({ id: messages.id });
  if (updated) events.push({ type: "message.updated", workspaceId: message.workspaceId, conversationId: message.conversationId, messageId: message.id });
}
