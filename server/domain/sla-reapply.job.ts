import { and, asc, eq, gt, ne } from "drizzle-orm";
import { z } from "zod";
import { defineJob } from "../context.js";
import { conversations } from "../db/schema.js";
import { lockConversation } from "./conversation-commands.js";
import { refreshSla, slaLedgers } from "./sla.js";
import { inTransaction } from "./transaction.js";

const PAGE = 200;

/**
 * After SLA policies or business hours change, re-measures the workspace's open, people-owned
 * conversations against the new rules, a page at a time, each in its own short transaction. Running
 * clocks move; outcomes already recorded stay as they are. Running it twice is harmless.
 */
export const slaReapplyJob = defineJob({
  name: "sla.reapply",
  queue: "timers",
  payload: z.object({ workspaceId: z.uuid(), since: z.string() }),
  retry: () => ({ attempts: 3, backoffMs: 2000 }),
  async handle({ workspaceId }, ctx) {
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const page = await ctx.db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.owner, "human"), ne(conversations.status, "resolved"), gt(conversations.id, after)))
        .orderBy(asc(conversations.id))
        .limit(PAGE);
      for (const { id } of page) {
        await inTransaction(ctx, async (tx, events) => {
          const conv = await lockConversation(tx, workspaceId, id);
          if (await refreshSla(tx, events, conv, (await slaLedgers(tx, [conv])).get(id)!, ctx.clock.now())) {
            events.push({ type: "conversation.updated", workspaceId, conversationId: id });
          }
        });
      }
      if (page.length < PAGE) return;
      after = page[page.length - 1]!.id;
    }
  },
});
