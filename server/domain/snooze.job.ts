import { and, eq, lte } from "drizzle-orm";
import { z } from "zod";
import { defineJob, enqueue, type Ctx } from "../context.js";
import { conversations } from "../db/schema.js";
import { changeConversation, lockConversation } from "./conversation-commands.js";
import { inTransaction } from "./transaction.js";

/**
 * Wakes a snoozed conversation whose time has come: it opens again, at the top of the inbox. The guard
 * is the stored state against `ctx.clock`, so a timer for a snooze that was changed, ended by the
 * customer writing, or already woken does nothing.
 */
async function wake(ctx: Ctx, workspaceId: string, conversationId: string): Promise<boolean> {
  return inTransaction(ctx, async (tx, events) => {
    const conv = await lockConversation(tx, workspaceId, conversationId);
    const now = ctx.clock.now();
    if (conv.status !== "snoozed" || !conv.snoozedUntil || conv.snoozedUntil.getTime() > now.getTime()) return false;
    await changeConversation(tx, events, conv, { status: "open" }, { kind: "system" }, now);
    return true;
  });
}

export const snoozeWakeJob = defineJob({
  name: "snooze.wake",
  queue: "timers",
  payload: z.object({ workspaceId: z.uuid(), conversationId: z.uuid() }),
  retry: () => ({ attempts: 5, backoffMs: 1000 }),
  async handle({ workspaceId, conversationId }, ctx) {
    await wake(ctx, workspaceId, conversationId);
  },
});

/** Timers far ahead are left to the sweeper (a Node timer cannot wait longer than ~24.8 days). */
const MAX_DELAY_MS = 20 * 86400_000;

export async function scheduleSnoozeWake(ctx: Ctx, t: { workspaceId: string; conversationId: string; at: string }) {
  const at = new Date(t.at).getTime();
  const delayMs = Math.max(0, at - ctx.clock.now().getTime());
  if (delayMs > MAX_DELAY_MS) return;
  await enqueue(ctx, snoozeWakeJob, { workspaceId: t.workspaceId, conversationId: t.conversationId }, { jobId: `snooze-${t.conversationId}-${at}`, delayMs });
}

/** The durable path: wakes every snoozed conversation due by `ctx.clock` (a lost or forgotten timer). */
export async function sweepSnoozed(ctx: Ctx): Promise<number> {
  const due = await ctx.db
    .select({ workspaceId: conversations.workspaceId, id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.status, "snoozed"), lte(conversations.snoozedUntil, ctx.clock.now())))
    .limit(500);
  let woken = 0;
  for (const c of due) if (await wake(ctx, c.workspaceId, c.id)) woken++;
  return woken;
}
