import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { BotTurn } from "../shared/schemas/bots.js";
import type { HandoffReason } from "../shared/schemas/common.js";
import type { Executor } from "../server/db/client.js";
import { botTurns } from "../server/db/schema.js";
import { getConversation } from "../server/domain/conversation-queries.js";
import type { Scope } from "../server/domain/scope.js";
import type { BotDecision, BotInput, BotTrace } from "./pipeline/types.js";

export type TurnOutcome = (typeof botTurns.$inferInsert)["outcome"];

export function outcomeOf(decision: BotDecision): TurnOutcome {
  return decision.kind === "actions" ? "reply" : decision.kind;
}

/** The audit row of one bot turn: what was retrieved, asked and decided, how long it took. Never the API key. */
export async function recordTurn(
  db: Executor,
  input: BotInput,
  decision: BotDecision,
  trace: BotTrace,
  extra: { outcome?: TurnOutcome; replyMessageId?: string | null; detail?: string | null } = {},
) {
  const cited = decision.kind === "reply" ? decision.articles.map((a) => a.id) : [];
  await db.insert(botTurns).values({
    workspaceId: input.workspaceId,
    conversationId: input.conversation.id,
    channelId: input.channel.id,
    messageId: input.message.id,
    stage: "stage" in decision ? decision.stage : null,
    outcome: extra.outcome ?? outcomeOf(decision),
    reason: decision.kind === "handoff" ? decision.reason : null,
    replyMessageId: extra.replyMessageId ?? null,
    language: trace.language,
    retrievedArticleIds: trace.retrieved.map((r) => r.id),
    citedArticleIds: cited,
    confidence: trace.confidence,
    model: trace.model,
    modelCalls: trace.modelCalls,
    prompt: trace.prompt ?? null,
    toolCalls: trace.toolCalls.length ? trace.toolCalls : null,
    latencyMs: trace.latencyMs,
    detail: extra.detail ?? trace.error ?? (decision.kind === "handoff" || decision.kind === "silent" || decision.kind === "resolve" ? decision.detail : null),
  });
}

export async function listTurns(db: Executor, scope: Pick<Scope, "workspaceId">, q: { conversationId: string; limit: number }): Promise<Array<z.infer<typeof BotTurn>>> {
  await getConversation(db, scope, q.conversationId);
  const rows = await db
    .select()
    .from(botTurns)
    .where(and(eq(botTurns.workspaceId, scope.workspaceId), eq(botTurns.conversationId, q.conversationId)))
    .orderBy(desc(botTurns.createdAt))
    .limit(q.limit);
  return rows.map((r) => ({
    id: r.id,
    conversationId: r.conversationId,
    channelId: r.channelId,
    messageId: r.messageId,
    stage: r.stage,
    outcome: r.outcome,
    reason: (r.reason as HandoffReason | null) ?? null,
    replyMessageId: r.replyMessageId,
    language: r.language,
    retrievedArticleIds: r.retrievedArticleIds,
    citedArticleIds: r.citedArticleIds,
    confidence: r.confidence,
    model: r.model,
    modelCalls: r.modelCalls,
    prompt: r.prompt,
    toolCalls: r.toolCalls,
    latencyMs: r.latencyMs,
    detail: r.detail,
    createdAt: r.createdAt.toISOString(),
  }));
}
