import { and, asc, eq, gt, gte, inArray, lt, ne } from "drizzle-orm";
import type { DryRunItem } from "../../shared/schemas/bots.js";
import type { Executor } from "../../server/db/client.js";
import { conversationEvents, messages } from "../../server/db/schema.js";

type MessageRow = typeof messages.$inferSelect;

/**
 * What actually happened after a customer message, until the customer's next message: a bot
 * hand-off, else the first reply (by the bot or a person), else a resolution, else nothing.
 */
export async function actualOutcome(db: Executor, msg: MessageRow): Promise<DryRunItem["actual"]> {
  const [next] = await db
    .select({ seq: messages.seq, at: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, msg.conversationId), eq(messages.author, "customer"), gt(messages.seq, msg.seq)))
    .orderBy(asc(messages.seq))
    .limit(1);
  const events = await db
    .select({ type: conversationEvents.type, actor: conversationEvents.actor, data: conversationEvents.data })
    .from(conversationEvents)
    .where(
      and(
        eq(conversationEvents.conversationId, msg.conversationId),
        inArray(conversationEvents.type, ["handed_off", "resolved"]),
        gte(conversationEvents.at, msg.createdAt),
        ...(next ? [lt(conversationEvents.at, next.at)] : []),
      ),
    )
    .orderBy(asc(conversationEvents.id));
  const handoff = events.find((e) => e.type === "handed_off");
  const [reply] = await db
    .select({ author: messages.author, text: messages.text })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, msg.conversationId),
        eq(messages.direction, "out"),
        ne(messages.visibility, "note"),
        inArray(messages.author, ["bot", "agent"]),
        gt(messages.seq, msg.seq),
        ...(next ? [lt(messages.seq, next.seq)] : []),
      ),
    )
    .orderBy(asc(messages.seq))
    .limit(1);
  if (handoff && handoff.actor !== "agent") return { action: "handoff", author: "bot", text: null, reason: String(handoff.data.reason ?? "") || null };
  if (reply) return { action: reply.author === "bot" ? "bot_reply" : "agent_reply", author: reply.author as "bot" | "agent", text: reply.text, reason: null };
  if (handoff) return { action: "handoff", author: "agent", text: null, reason: String(handoff.data.reason ?? "") || null };
  if (events.some((e) => e.type === "resolved")) return { action: "resolved", author: null, text: null, reason: null };
  return { action: "none", author: null, text: null, reason: null };
}
