import { and, eq, gt, isNull, lte } from "drizzle-orm";
import { z } from "zod";
import { SlaMetric } from "../../shared/schemas/sla.js";
import { defineJob, enqueue, type Ctx } from "../context.js";
import { slaTargets } from "../db/schema.js";
import { fireBreach, fireWarning } from "./sla.js";
import { inTransaction } from "./transaction.js";

/**
 * Fires one SLA timer: the warning at 80 % or the breach at the deadline. The guard is the target's
 * stored state against `ctx.clock`: a timer whose deadline moved, was met or already fired does nothing.
 */
export const slaTimerJob = defineJob({
  name: "sla.timer",
  queue: "timers",
  payload: z.object({ conversationId: z.uuid(), metric: SlaMetric, kind: z.enum(["warning", "breach"]) }),
  retry: () => ({ attempts: 5, backoffMs: 1000 }),
  async handle({ conversationId, metric, kind }, ctx) {
    await inTransaction(ctx, (tx, events) => (kind === "warning" ? fireWarning : fireBreach)(tx, events, conversationId, metric, ctx.clock.now()));
  },
});

/** Timers far ahead are left to the sweeper (a Node timer cannot wait longer than ~24.8 days). */
const MAX_DELAY_MS = 20 * 86400_000;

export async function scheduleSlaTimer(ctx: Ctx, t: { conversationId: string; metric: SlaMetric; kind: "warning" | "breach"; at: string }) {
  const at = new Date(t.at).getTime();
  const delayMs = Math.max(0, at - ctx.clock.now().getTime());
  if (delayMs > MAX_DELAY_MS) return;
  await enqueue(ctx, slaTimerJob, { conversationId: t.conversationId, metric: t.metric, kind: t.kind }, { jobId: `sla-${t.conversationId}-${t.metric}-${t.kind}-${at}`, delayMs });
}

/**
 * The durable path: fires every due breach and warning found in the database (embedded queues forget
 * delayed jobs on restart; Redis may have lost them). Breaches first, so a late sweep warns no one twice.
 */
export async function sweepSla(ctx: Ctx): Promise<{ breaches: number; warnings: number }> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .select({ conversationId: slaTargets.conversationId, metric: slaTargets.metric })
    .from(slaTargets)
    .where(and(eq(slaTargets.status, "running"), lte(slaTargets.dueAt, now)))
    .limit(500);
  let breaches = 0;
  for (const t of due) if (await inTransaction(ctx, (tx, events) => fireBreach(tx, events, t.conversationId, t.metric, now))) breaches++;
  const warn = await ctx.db
    .select({ conversationId: slaTargets.conversationId, metric: slaTargets.metric })
    .from(slaTargets)
    .where(and(eq(slaTargets.status, "running"), isNull(slaTargets.warnedAt), lte(slaTargets.warnAt, now), gt(slaTargets.dueAt, now)))
    .limit(500);
  let warnings = 0;
  for (const t of warn) if (await inTransaction(ctx, (tx, events) => fireWarning(tx, events, t.conversationId, t.metric, now))) warnings++;
  return { breaches, warnings };
}
