import { desc, eq } from "drizzle-orm";
import type { RuleActions } from "../../shared/schemas/bots.js";
import type { Tx } from "../../server/db/client.js";
import { botHandoffs, conversations } from "../../server/db/schema.js";
import { addMessage, changeConversation } from "../../server/domain/conversation-commands.js";
import type { DomainEvent } from "../../server/infra/event-bus.js";
import { plainSummary } from "../handoff-summary.js";
import { handoffNote } from "./run-pipeline.js";
import type { BotDecision, BotInput } from "./types.js";

type ConversationRow = typeof conversations.$inferSelect;

export type Recorded = { replyMessageId: string | null; handoffId: string | null };

/**
 * Writes a decision into a conversation the caller has locked and checked: the bot's reply (queued
 * for sending, citing its articles), rule actions, a resolution, or a hand-off with its notice, note
 * and summary. The bot's own messages say which stage wrote them (meta.bot, shown by the console).
 */
export async function recordDecision(tx: Tx, events: DomainEvent[], conv: ConversationRow, input: BotInput, decision: BotDecision): Promise<Recorded> {
  const out: Recorded = { replyMessageId: null, handoffId: null };
  const visibility = conv.kind === "dm" ? ("private" as const) : ("public" as const);
  const say = async (text: string, stage: "rules" | "knowledge" | "llm", articles: Array<{ id: string; title: string }>) => {
    const row = await addMessage(tx, events, conv, {
      direction: "out",
      author: "bot",
      visibility,
      text,
      status: "queued",
      surface: "reply",
      meta: { bot: { stage, articles: articles.map((a) => ({ id: a.id, title: a.title })), wrongAnswer: null } },
    });
    out.replyMessageId = row?.id ?? null;
  };

  switch (decision.kind) {
    case "reply":
      await setMisses(tx, conv, 0);
      await say(decision.text, decision.stage, decision.articles);
      if (decision.actions) await applyActions(tx, events, conv, decision.actions);
      return out;
    case "actions":
      await setMisses(tx, conv, 0);
      await applyActions(tx, events, conv, decision.actions);
      return out;
    case "fallback":
      await setMisses(tx, conv, conv.botMisses + 1);
      if (decision.text) await say(decision.text, "rules", []);
      return out;
    case "resolve":
      await changeConversation(tx, events, conv, { status: "resolved" }, { kind: "bot" });
      return out;
    case "silent":
      return out;
    case "handoff": {
      // The notice is an automated system message (still sent once a person owns the conversation);
      // never in public, where it would answer a negative review or comment for everyone to see.
      if (conv.kind === "dm" && input.settings.handoffReply) {
        await addMessage(tx, events, conv, { direction: "out", author: "system", visibility: "private", text: input.settings.handoffReply, status: "queued", surface: "reply" });
      }
      const updated = await changeConversation(
        tx,
        events,
        conv,
        { owner: "human", handoffReason: decision.reason, handoffSummary: decision.summary ?? plainSummary(input, decision), handoffMessageId: input.message.id },
        { kind: "bot" },
      );
      await addMessage(tx, events, updated, { direction: "out", author: "system", visibility: "note", text: `Handed off to a person: ${handoffNote(decision)}`, status: "sent" });
      const [handoff] = await tx.select({ id: botHandoffs.id }).from(botHandoffs).where(eq(botHandoffs.conversationId, conv.id)).orderBy(desc(botHandoffs.at)).limit(1);
      out.handoffId = handoff?.id ?? null;
      return out;
    }
  }
}

async function setMisses(tx: Tx, conv: ConversationRow, n: number) {
  if (conv.botMisses === n) return;
  await tx.update(conversations).set({ botMisses: n }).where(eq(conversations.id, conv.id));
  conv.botMisses = n;
}

/** A rule's actions: labels added, priority set, and resolving (the bot answered all there was). */
async function applyActions(tx: Tx, events: DomainEvent[], conv: ConversationRow, actions: RuleActions) {
  const labels = [...new Set([...conv.labels, ...actions.labels])];
  const patch: Partial<ConversationRow> = {};
  if (labels.length !== conv.labels.length) patch.labels = labels;
  if (actions.priority && actions.priority !== conv.priority) patch.priority = actions.priority;
  if (Object.keys(patch).length) {
    await tx.update(conversations).set({ ...patch, updatedAt: new Date() }).where(eq(conversations.id, conv.id));
    Object.assign(conv, patch);
    events.push({ type: "conversation.updated", workspaceId: conv.workspaceId, conversationId: conv.id });
  }
  if (actions.resolve) await changeConversation(tx, events, conv, { status: "resolved" }, { kind: "bot" });
}
