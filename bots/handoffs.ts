import { desc, eq } from "drizzle-orm";
import { handoffReasonWords } from "../shared/schemas/bots.js";
import { HandoffReason } from "../shared/schemas/common.js";
import type { Handoff } from "../shared/schemas/conversations.js";
import type { Executor } from "../server/db/client.js";
import { botHandoffs, type conversations } from "../server/db/schema.js";

/** The hand-off card of a conversation people own now: the latest hand-off, with its summary and suggested reply. */
export async function currentHandoff(db: Executor, conv: Pick<typeof conversations.$inferSelect, "id" | "owner" | "handoffReason">): Promise<Handoff | null> {
  if (conv.owner !== "human" || !conv.handoffReason) return null;
  const [h] = await db.select().from(botHandoffs).where(eq(botHandoffs.conversationId, conv.id)).orderBy(desc(botHandoffs.at)).limit(1);
  if (!h) return null;
  const reason = HandoffReason.safeParse(h.reason);
  if (!reason.success) return null;
  return { reason: reason.data, reasonText: handoffReasonWords[reason.data], summary: h.summary, suggestedReply: h.suggestedReply, at: h.at.toISOString() };
}
