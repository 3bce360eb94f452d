import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { NormalizedEvent } from "../../shared/schemas/normalized.js";
import { defineJob, type Ctx } from "../context.js";
import { channels, inboundEvents } from "../db/schema.js";
import { connectorFor } from "../connectors/registry.js";
import { channelRuntime, connectorEnv } from "../connectors/runtime.js";
import { inTransaction } from "../domain/transaction.js";
import { applyNormalized } from "./apply-normalized.js";

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
      const raw = await connectorFor(channel.platform).normalize(event.payload, channelRuntime(ctx, channel), connectorEnv(ctx));
      normalized = raw.map((e) => NormalizedEvent.parse(e));
    } catch (err) {
      const failure = err as { retryable?: boolean; needsReconnect?: boolean; message: string };
      if (failure.needsReconnect) {
        await ctx.db.update(channels).set({ status: "needs_reconnect", statusReason: failure.message, lastError: failure.message, lastErrorAt: new Date() }).where(eq(channels.id, channel.id));
        await ctx.bus.publish([{ type: "channel.updated", workspaceId: channel.workspaceId, channelId: channel.id }]);
      }
      // A platform call made while normalizing (e.g. fetching a review) may fail for a while: retry.
      if ((err as { retryable?: boolean }).retryable && !job.isLastAttempt) {
        await ctx.db.update(inboundEvents).set({ attempts: job.attempt, reason: (err as Error).message }).where(eq(inboundEvents.id, event.id));
        throw err;
      }
      await finish(ctx, event.id, "rejected", `could not read the delivery: ${(err as Error).message}`);
      return;
    }

    try {
      await inTransaction(ctx, async (tx, events) => {
        const [locked] = await tx.select({ status: inboundEvents.status }).from(inboundEvents).where(eq(inboundEvents.id, event.id)).for("update");
        if (locked?.status !== "pending") return;
        const notes: string[] = [];
        for (const item of normalized) {
          const note = await applyNormalized(tx, events, channel, item, ctx.clock.now());
          if (note) notes.push(note);
        }
        const now = new Date();
        await tx
          .update(inboundEvents)
          .set({ status: "processed", processedAt: now, attempts: sql`${inboundEvents.attempts} + 1`, reason: notes.join("; ").slice(0, 2000) || null })
          .where(eq(inboundEvents.id, event.id));
      });
      // Channel health, outside the transaction and at most every few seconds: every ingest of a
      // channel writing its one row would make them wait on each other.
      const now = new Date();
      await ctx.db
        .update(channels)
        .set({ lastEventAt: now })
        .where(and(eq(channels.id, channel.id), or(isNull(channels.lastEventAt), lt(channels.lastEventAt, new Date(now.getTime() - 5000)))));
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
