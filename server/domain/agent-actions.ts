import type { z } from "zod";
import type { CreateMessageRequest, UpdateConversationRequest } from "../../shared/schemas/conversations.js";
import type { Ctx } from "../context.js";
import { addMessage, changeConversation, lockConversation } from "./conversation-commands.js";
import { getConversation, getMessage } from "./conversation-queries.js";
import type { Scope } from "./scope.js";
import { inTransaction } from "./transaction.js";

export async function updateConversation(ctx: Ctx, scope: Scope, id: string, change: z.infer<typeof UpdateConversationRequest>) {
  await inTransaction(ctx, async (tx, events) => {
    const conv = await lockConversation(tx, scope.workspaceId, id);
    await changeConversation(tx, events, conv, change, { kind: "agent", userId: scope.userId });
  });
  return getConversation(ctx.db, scope, id);
}

/**
 * An agent's reply or note. A public reply in a bot-owned conversation takes it over first, so the
 * bot never speaks over the agent; a reply to a resolved conversation reopens it.
 */
export async function postAgentMessage(ctx: Ctx, scope: Scope, conversationId: string, input: z.infer<typeof CreateMessageRequest>) {
  const id = await inTransaction(ctx, async (tx, events) => {
    let conv = await lockConversation(tx, scope.workspaceId, conversationId);
    const actor = { kind: "agent" as const, userId: scope.userId };
    if (input.visibility === "public") {
      if (conv.owner === "bot") conv = await changeConversation(tx, events, conv, { owner: "human", handoffReason: "agent_takeover" }, actor);
      if (conv.status === "resolved") conv = await changeConversation(tx, events, conv, { status: "open" }, actor);
    }
    const row = await addMessage(tx, events, conv, {
      direction: "out",
      author: "agent",
      authorUserId: scope.userId,
      visibility: input.visibility,
      text: input.text,
      status: input.visibility === "note" ? "sent" : "queued",
    });
    return row!.id;
  });
  return getMessage(ctx.db, scope, id);
}
