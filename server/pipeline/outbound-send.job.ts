import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { defineJob, type Ctx } from "../context.js";
import type { Tx } from "../db/client.js";
import { channels, contactIdentities, conversations, messages } from "../db/schema.js";
import { connectorFor } from "../connectors/registry.js";
import { channelRuntime, connectorEnv } from "../connectors/runtime.js";
import type { OutboundMessage, SendFailure } from "../connectors/types.js";
import { inTransaction } from "../domain/transaction.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { RetryLater } from "../infra/queue.js";
import { metrics } from "../infra/metrics.js";
import { logSafeMessage, sanitizeReason } from "../security/hostile-input.js";
import { storedFilesOf, withAccess } from "../media/outbound-files.js";

const HOUR = 3600_000;

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
    const claim = await inTransaction(ctx, (tx, events) => claimMessage(ctx, tx, events, messageId));
    if (!claim) return;
    if ("waitMs" in claim) throw new RetryLater(claim.waitMs ?? 1000, "an earlier attempt at this send may still be running");
    const { message, channel } = claim;
    const connector = connectorFor(channel.platform);

    // Stay under the platform's documented rates for this channel.
    for (const [i, rule] of connector.rateLimits.entries()) {
      if (rule.kinds && !rule.kinds.includes(claim.outbound.kind)) continue;
      const key = rule.per === "contact" ? `send:${channel.id}:${i}:${claim.outbound.contactExternalId}` : `send:${channel.id}:${i}`;
      const wait = await ctx.limiter.consume(key, { limit: rule.limit, windowSeconds: rule.windowSeconds });
      if (wait > 0) throw new RetryLater(wait * 1000, `${channel.platform} rate limit for this channel`);
    }

    // Record the attempt before the platform sees it (compare-and-set on the marker, so only one
    // process sends): if this process dies before the outcome is stored, the next claim knows the
    // platform may already have the reply.
    const [started] = await ctx.db
      .update(messages)
      .set({
        sendStartedAt: new Date(),
        attempts: sql`${messages.attempts} + 1`,
        uncertainResends: sql`${messages.uncertainResends} + ${claim.uncertain ? 1 : 0}`,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(messages.id, message.id),
          eq(messages.status, "queued"),
          message.sendStartedAt ? eq(messages.sendStartedAt, message.sendStartedAt) : isNull(messages.sendStartedAt),
        ),
      )
      .returning({ attempts: messages.attempts });
    if (!started) return; // another process took it meanwhile
    if (claim.uncertain) {
      // At most once: the idempotency key is the message id, the same as on the lost attempt.
      ctx.log.warn("resending a reply whose earlier attempt's outcome was lost", { message: message.id, platform: channel.platform, idempotencyKey: message.id });
      metrics.uncertainResends.inc({ platform: channel.platform });
    }
    const lastTry = job.isLastAttempt || started.attempts >= ctx.config.OUTBOUND_MAX_ATTEMPTS;

    const outbound = { ...claim.outbound, attachments: claim.files.map((f) => withAccess(ctx, f)) };
    const result = await connector.send(channelRuntime(ctx, channel), outbound, connectorEnv(ctx));
    metrics.outboundSends.inc({ platform: channel.platform, outcome: result.ok ? "sent" : result.retryable ? "retry" : "failed" });
    if (result.ok) {
      await inTransaction(ctx, async (tx, events) => {
        // An echo that came back first may already have given this platform id to the message.
        const [holder] = result.externalId
          ? await tx.select({ id: messages.id }).from(messages).where(and(eq(messages.channelId, channel.id), eq(messages.externalId, result.externalId)))
          : [];
        await setStatus(tx, events, message, { status: "sent", failureReason: null, ...(result.externalId && !holder ? { externalId: result.externalId } : {}) });
      });
      return;
    }
    await handleFailure(ctx, claim, result, lastTry, started.attempts);
  },
});

type Claim = Exclude<NonNullable<Awaited<ReturnType<typeof claimMessage>>>, { waitMs: number }>;

/** After this long without an outcome, an attempt is taken to have died with its process. */
const abandonedAfterMs = (ctx: Ctx) => ctx.config.OUTBOUND_TIMEOUT_MS + 5000;

async function claimMessage(ctx: Ctx, tx: Tx, events: DomainEvent[], messageId: string) {
  const [row] = await tx
    .select({ message: messages, conversation: conversations, channel: channels })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .where(eq(messages.id, messageId));
  if (!row || row.message.status !== "queued") return null;
  // Lock the conversation: a take-over either happened before this point (we cancel) or waits.
  const [conv] = await tx.select().from(conversations).where(eq(conversations.id, row.conversation.id)).for("update");
  if (row.message.author === "bot" && conv?.owner !== "bot") {
    await setStatus(tx, events, row.message, { status: "cancelled", failureReason: "Not sent: a person took over the conversation" });
    return null;
  }
  // An attempt that started but never stored its outcome: the platform may have the reply.
  let uncertain = false;
  if (row.message.sendStartedAt) {
    const age = Date.now() - row.message.sendStartedAt.getTime();
    if (age < abandonedAfterMs(ctx)) return { waitMs: abandonedAfterMs(ctx) - age }; // it may still be running elsewhere
    if (row.message.uncertainResends >= 1) {
      ctx.log.warn("not resending a reply a second time after a lost outcome", { message: row.message.id, platform: row.channel.platform });
      await setStatus(tx, events, row.message, {
        status: "failed",
        failureReason: "Not sent again: Parley stopped twice while sending this reply, so the platform may or may not have it. Check there before sending it again.",
      });
      return null;
    }
    uncertain = true;
  } else if (row.message.attempts >= ctx.config.OUTBOUND_MAX_ATTEMPTS) {
    // Its job was lost after the last try (the sweeper brought it back): no new series of tries.
    await setStatus(tx, events, row.message, { status: "failed", failureReason: `Gave up after ${row.message.attempts} attempts${row.message.failureReason ? `: ${row.message.failureReason.replace(/^Retrying: /, "")}` : ""}` });
    return null;
  }
  const [identity] = await tx
    .select()
    .from(contactIdentities)
    .where(and(eq(contactIdentities.contactId, row.conversation.contactId), eq(contactIdentities.channelId, row.channel.id)));
  const [lastCustomer] = await tx
    .select({ externalId: messages.externalId })
    .from(messages)
    .where(and(eq(messages.conversationId, row.conversation.id), eq(messages.author, "customer")))
    .orderBy(desc(messages.seq))
    .limit(1);
  const caps = connectorFor(row.channel.platform).capabilities;
  const last = conv!.lastCustomerMessageAt?.getTime() ?? 0;
  const outsideWindow = caps.replyWindowHours !== null && Date.now() > last + caps.replyWindowHours * HOUR;
  const template = row.message.meta.template as OutboundMessage["template"] | undefined;
  const outbound: OutboundMessage = {
    messageId: row.message.id,
    conversationId: row.conversation.id,
    kind: row.conversation.kind,
    threadKey: row.conversation.threadKey,
    contactExternalId: identity?.externalId ?? "",
    surface: row.message.surface ?? "reply",
    text: row.message.text,
    author: row.message.author === "customer" ? "agent" : row.message.author,
    replyToExternalId: row.message.parentExternalId ?? lastCustomer?.externalId ?? null,
    rootExternalId: row.conversation.threadKey.includes(":") ? row.conversation.threadKey.slice(row.conversation.threadKey.indexOf(":") + 1) : null,
    humanAgentTag:
      row.message.author === "agent" &&
      row.conversation.kind === "dm" &&
      outsideWindow &&
      Boolean(caps.humanAgentWindowHours) &&
      (row.channel.settings as { humanAgentTag?: boolean }).humanAgentTag !== false,
    ...(template ? { template } : {}),
    attachments: [], // given their bytes and links in the sending process (withAccess)
    partsSent: typeof row.message.meta.partsSent === "number" ? row.message.meta.partsSent : 0,
  };
  return { ...row, identity, outbound, uncertain, files: await storedFilesOf(tx, row.message.id) };
}

async function handleFailure(ctx: Ctx, claim: Claim, failure: SendFailure, isLastAttempt: boolean, attempt: number) {
  const { message, channel } = claim;
  // Agents see the platform's words, made safe: no markup, control characters or endless text.
  const result = { ...failure, reason: sanitizeReason(failure.reason, 500) };
  // A rate-limit wait (retryAfterMs) does not use up an attempt, so it is never the last one.
  const final = !result.retryable || (isLastAttempt && !result.retryAfterMs);
  ctx.log.warn("outbound send failed", { message: message.id, platform: channel.platform, attempt, final, code: result.code, reason: logSafeMessage(result.reason) });
  await inTransaction(ctx, async (tx, events) => {
    // Parts the platform already accepted are not sent again on the retry.
    const meta = result.partsSent ? { meta: { ...message.meta, partsSent: result.partsSent } } : {};
    await setStatus(
      tx,
      events,
      message,
      final ? { status: "failed", failureReason: result.reason, ...meta } : { failureReason: `Retrying: ${result.reason}`, ...meta },
      { refundAttempt: Boolean(result.retryAfterMs) && !final },
    );
    if (result.needsReconnect) {
      await tx.update(channels).set({ status: "needs_reconnect", statusReason: result.reason }).where(eq(channels.id, channel.id));
      events.push(
        { type: "conversation.updated", workspaceId: message.workspaceId, conversationId: message.conversationId },
        { type: "channel.updated", workspaceId: message.workspaceId, channelId: channel.id },
      );
    }
    if (result.contactBlocked && claim.identity) {
      await tx
        .update(contactIdentities)
        .set({ blockedAt: new Date(), blockedReason: result.reason })
        .where(eq(contactIdentities.id, claim.identity.id));
      events.push({ type: "conversation.updated", workspaceId: message.workspaceId, conversationId: message.conversationId });
    }
  });
  if (final) {
    await ctx.db.update(channels).set({ lastError: result.reason, lastErrorAt: new Date() }).where(eq(channels.id, channel.id));
    return;
  }
  if (result.retryAfterMs) throw new RetryLater(result.retryAfterMs, result.reason);
  throw new Error(result.reason);
}

type MessageRow = typeof messages.$inferSelect;

/** Stores an outcome: the attempt marker is cleared, so the send is no longer in doubt. */
async function setStatus(
  tx: Tx,
  events: DomainEvent[],
  message: MessageRow,
  patch: Partial<Pick<MessageRow, "status" | "failureReason" | "externalId" | "meta">>,
  opts: { refundAttempt?: boolean } = {},
) {
  const [updated] = await tx
    .update(messages)
    .set({ ...patch, sendStartedAt: null, updatedAt: new Date(), ...(opts.refundAttempt ? { attempts: sql`greatest(${messages.attempts} - 1, 0)` } : {}) })
    .where(and(eq(messages.id, message.id), eq(messages.status, "queued")))
    .returning({ id: messages.id });
  if (updated) events.push({ type: "message.updated", workspaceId: message.workspaceId, conversationId: message.conversationId, messageId: message.id });
}
