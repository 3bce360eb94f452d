import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { defineJob } from "../server/context.js";
import { botRules, channels, conversations, messages } from "../server/db/schema.js";
import { addMessage, changeConversation, handoffReasons } from "../server/domain/conversation-commands.js";
import { botSettingsOf } from "../server/domain/channels.js";
import { inTransaction } from "../server/domain/transaction.js";
import { decide } from "./rule-bot.js";

/**
 * Runs the channel's rule bot on one customer message. It works under a lock on the conversation and
 * does nothing unless the bot still owns it, so a bot never speaks once a person has taken over.
 */
export const botReplyJob = defineJob({
  name: "bot.reply",
  queue: "bots",
  payload: z.object({ conversationId: z.uuid(), messageId: z.uuid() }),
  retry: () => ({ attempts: 5, backoffMs: 1000 }),
  async handle({ conversationId, messageId }, ctx) {
    await inTransaction(ctx, async (tx, events) => {
      const [conv] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for("update");
      if (!conv || conv.owner !== "bot" || conv.status === "resolved") return;
      const [msg] = await tx.select().from(messages).where(and(eq(messages.id, messageId), eq(messages.conversationId, conv.id)));
      if (!msg || msg.author !== "customer" || msg.seq <= conv.botHandledSeq) return;
      const [channel] = await tx.select().from(channels).where(eq(channels.id, conv.channelId));
      await tx.update(conversations).set({ botHandledSeq: msg.seq }).where(eq(conversations.id, conv.id));
      conv.botHandledSeq = msg.seq;

      const say = (text: string, author: "bot" | "system" = "bot") =>
        addMessage(tx, events, conv, { direction: "out", author, visibility: conv.kind === "dm" ? "private" : "public", text, status: "queued" });

      if (!channel?.botEnabled) {
        await changeConversation(tx, events, conv, { owner: "human", handoffReason: "no_match" }, { kind: "bot" });
        return;
      }
      const rules = await tx.select().from(botRules).where(eq(botRules.channelId, channel.id)).orderBy(asc(botRules.position));
      const decision = decide(msg.text, rules, botSettingsOf(channel), conv.botMisses);
      if (decision.kind === "reply") {
        await tx.update(conversations).set({ botMisses: 0 }).where(eq(conversations.id, conv.id));
        await say(decision.text);
      } else if (decision.kind === "fallback") {
        await tx.update(conversations).set({ botMisses: conv.botMisses + 1 }).where(eq(conversations.id, conv.id));
        conv.botMisses += 1;
        if (decision.text) await say(decision.text);
      } else {
        // The hand-off notice is an automated system message: it is still sent after the person owns
        // the conversation, which bot messages never are.
        if (decision.text) await say(decision.text, "system");
        const updated = await changeConversation(tx, events, conv, { owner: "human", handoffReason: decision.reason }, { kind: "bot" });
        await addMessage(tx, events, updated, {
          direction: "out",
          author: "system",
          visibility: "note",
          text: `Handed off to a person: ${handoffReasons[decision.reason]}.`,
          status: "sent",
        });
      }
    });
  },
});
