import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { MessageBotInfo, WrongAnswer } from "../shared/schemas/bots.js";
import type { Ctx } from "../server/context.js";
import type { Executor } from "../server/db/client.js";
import { botFeedback, messages, users } from "../server/db/schema.js";
import { recordAudit } from "../server/domain/audit.js";
import { getConversation, getMessage } from "../server/domain/conversation-queries.js";
import { Conflict, NotFound, type Scope } from "../server/domain/scope.js";
import { inTransaction } from "../server/domain/transaction.js";

async function botMessage(ctx: Ctx, scope: Scope, conversationId: string, messageId: string) {
  await getConversation(ctx.db, scope, conversationId);
  const [msg] = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, scope.workspaceId), eq(messages.conversationId, conversationId), eq(messages.id, messageId)));
  if (!msg) throw new NotFound("message not found");
  if (msg.author !== "bot") throw new Conflict("only a bot's answer can be marked wrong", "not_a_bot_message");
  return msg;
}

const infoOf = (meta: Record<string, unknown>): MessageBotInfo => ({ stage: "rules", articles: [], wrongAnswer: null, ...(meta.bot as Partial<MessageBotInfo>) });

/**
 * Thumbs-down: an agent says a bot answer was wrong. Recorded for the supervisor's list and numbers,
 * and shown on the message (meta.bot.wrongAnswer) live in every console. Marking again updates the note.
 */
export async function markWrong(ctx: Ctx, scope: Scope, conversationId: string, messageId: string, note: string | undefined) {
  const msg = await botMessage(ctx, scope, conversationId, messageId);
  const [me] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, scope.userId));
  await inTransaction(ctx, async (tx, events) => {
    const at = new Date();
    await tx
      .insert(botFeedback)
      .values({ workspaceId: scope.workspaceId, conversationId, channelId: msg.channelId, messageId, userId: scope.userId, note: note || null, at })
      .onConflictDoUpdate({ target: botFeedback.messageId, set: { userId: scope.userId, note: note || null, at } });
    const bot = { ...infoOf(msg.meta), wrongAnswer: { userId: scope.userId, userName: me?.name ?? null, note: note || null, at: at.toISOString() } };
    await tx.update(messages).set({ meta: { ...msg.meta, bot } }).where(eq(messages.id, messageId));
    await recordAudit(tx, scope, "bot.answer_marked_wrong", "message", messageId, { conversationId });
    events.push({ type: "message.updated", workspaceId: scope.workspaceId, conversationId, messageId });
  });
  return getMessage(ctx.db, scope, messageId);
}

export async function unmarkWrong(ctx: Ctx, scope: Scope, conversationId: string, messageId: string) {
  const msg = await botMessage(ctx, scope, conversationId, messageId);
  await inTransaction(ctx, async (tx, events) => {
    await tx.delete(botFeedback).where(and(eq(botFeedback.workspaceId, scope.workspaceId), eq(botFeedback.messageId, messageId)));
    await tx.update(messages).set({ meta: { ...msg.meta, bot: { ...infoOf(msg.meta), wrongAnswer: null } } }).where(eq(messages.id, messageId));
    events.push({ type: "message.updated", workspaceId: scope.workspaceId, conversationId, messageId });
  });
  return getMessage(ctx.db, scope, messageId);
}

/** Bot answers marked wrong in a period, newest first, for supervisors. */
export async function listWrongAnswers(db: Executor, scope: Pick<Scope, "workspaceId">, q: { from: Date; to: Date; channelId?: string }): Promise<WrongAnswer[]> {
  const rows = await db
    .select({ f: botFeedback, text: messages.text, meta: messages.meta, userName: users.name })
    .from(botFeedback)
    .innerJoin(messages, eq(messages.id, botFeedback.messageId))
    .leftJoin(users, eq(users.id, botFeedback.userId))
    .where(and(eq(botFeedback.workspaceId, scope.workspaceId), gte(botFeedback.at, q.from), lt(botFeedback.at, q.to), q.channelId ? eq(botFeedback.channelId, q.channelId) : sql`true`))
    .orderBy(desc(botFeedback.at))
    .limit(500);
  return rows.map((r) => {
    const info = infoOf(r.meta);
    return {
      messageId: r.f.messageId,
      conversationId: r.f.conversationId,
      channelId: r.f.channelId,
      text: r.text,
      stage: info.stage,
      articles: info.articles,
      userId: r.f.userId,
      userName: r.userName,
      note: r.f.note,
      at: r.f.at.toISOString(),
    };
  });
}
