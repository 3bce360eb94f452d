import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { NormalizedEvent } from "../../shared/schemas/normalized.js";
import { defineJob, type Ctx } from "../context.js";
import { channels, inboundEvents } from "../db/schema.js";
import { connectorFor } from "../connectors/registry.js";
import { channelRuntime, connectorEnv } from "../connectors/runtime.js";
import { inTransaction } from "../domain/transaction.js";
import { applyNormalized } from "./apply-normalized.js";
import { isPermanentDataError, sqlStateOf } from "../infra/db-errors.js";
import { metrics } from "../infra/metrics.js";
import { cleanDeep, cleanText, logSafeMessage } from "../security/hostile-input.js";

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

    // Count this try in the row before anything else (a try that kills the process counts too), and
    // hold the sweeper back until the next try is due: no delivery is retried without bound.
    const [counted] = await ctx.db
      .update(inboundEvents)
      .set({ attempts: sql`${inboundEvents.attempts} + 1`, nextAttemptAt: sql`now() + ${retryDelay}` })
      .where(and(eq(inboundEvents.id, event.id), eq(inboundEvents.status, "pending")))
      .returning({ attempts: inboundEvents.attempts });
    if (!counted) return;
    if (counted.attempts > ctx.config.INGEST_MAX_ATTEMPTS) {
      await finish(ctx, event.id, "failed", `gave up after ${counted.attempts - 1} attempts${event.reason ? `: ${event.reason}` : ""}`, channel.platform);
      return;
    }
    const lastTry = job.isLastAttempt || counted.attempts >= ctx.config.INGEST_MAX_ATTEMPTS;

    let normalized: NormalizedEvent[];
    try {
      const raw = await connectorFor(channel.platform).normalize(event.payload, channelRuntime(ctx, channel), connectorEnv(ctx));
      // Text PostgreSQL refuses (NUL, lone surrogates) is cleaned, not retried: it would fail forever.
      normalized = raw.map((e) => NormalizedEvent.parse(cleanDeep(e)));
    } catch (err) {
      const failure = err as { retryable?: boolean; needsReconnect?: boolean; message: string };
      if (failure.needsReconnect) {
        await ctx.db.update(channels).set({ status: "needs_reconnect", statusReason: failure.message, lastError: failure.message, lastErrorAt: new Date() }).where(eq(channels.id, channel.id));
        await ctx.bus.publish([{ type: "channel.updated", workspaceId: channel.workspaceId, channelId: channel.id }]);
      }
      // A platform call made while normalizing (e.g. fetching a review) may fail for a while: retry.
      if ((err as { retryable?: boolean }).retryable && !lastTry) {
        await ctx.db.update(inboundEvents).set({ reason: storable((err as Error).message) }).where(eq(inboundEvents.id, event.id));
        metrics.ingest.inc({ platform: channel.platform, outcome: "retry" });
        throw err;
      }
      await finish(ctx, event.id, "rejected", `could not read the delivery: ${(err as Error).message}`, channel.platform);
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
          .set({ status: "processed", processedAt: now, nextAttemptAt: null, reason: storable(notes.join("; ")) || null })
          .where(eq(inboundEvents.id, event.id));
      });
      metrics.ingest.inc({ platform: channel.platform, outcome: "processed" });
      // Channel health, outside the transaction and at most every few seconds: every ingest of a
      // channel writing its one row would make them wait on each other.
      const now = new Date();
      await ctx.db
        .update(channels)
        .set({ lastEventAt: now })
        .where(and(eq(channels.id, channel.id), or(isNull(channels.lastEventAt), lt(channels.lastEventAt, new Date(now.getTime() - 5000)))));
    } catch (err) {
      const reason = storable((err as Error).message);
      // Data PostgreSQL will never take fails the same way every time: stop at the first try.
      const permanent = isPermanentDataError(err);
      if (lastTry || permanent) {
        const why = permanent ? `the delivery cannot be stored (${sqlStateOf(err) ?? "data error"}): ${reason}` : `gave up after ${counted.attempts} attempts: ${reason}`;
        await finish(ctx, event.id, "failed", why, channel.platform);
        await ctx.db.update(channels).set({ lastError: storable(`Ingest failed: ${why}`), lastErrorAt: new Date() }).where(eq(channels.id, channel.id));
        return;
      }
      await ctx.db.update(inboundEvents).set({ reason }).where(eq(inboundEvents.id, event.id));
      metrics.ingest.inc({ platform: channel.platform, outcome: "retry" });
      throw err;
    }
  },
});

async function finish(ctx: Ctx, id: string, status: "rejected" | "failed", reason: string, platform: string) {
  metrics.ingest.inc({ platform, outcome: status });
  ctx.log.warn("inbound event not ingested", { event: id, status, reason: logSafeMessage(reason) });
  await ctx.db.update(inboundEvents).set({ status, reason: storable(reason), processedAt: new Date(), nextAttemptAt: null }).where(eq(inboundEvents.id, id));
}

/** A reason that is sure to be stored (error messages can quote the very text PostgreSQL refused). */
const storable = (reason: string) => cleanText(reason).slice(0, 2000);

/** Before the sweeper may take a pending delivery again: 10 s, doubling per try, at most an hour. */
const retryDelay = sql`least(interval '10 seconds' * power(2, ${inboundEvents.attempts}), interval '1 hour')`;
