import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { defineJob, enqueue } from "../server/context.js";
import { channels, conversations, messages } from "../server/db/schema.js";
import { inTransaction } from "../server/domain/transaction.js";
import { searchKnowledge } from "./knowledge/search.js";
import { handoffNotesJob } from "./llm/handoff-notes.job.js";
import { loadLlmSettings } from "./llm/settings.js";
import { loadBotInput, newerCustomerMessage } from "./pipeline/load-input.js";
import { recordDecision } from "./pipeline/record-decision.js";
import { runPipeline, type PipelineResult } from "./pipeline/run-pipeline.js";
import { outcomeOf, recordTurn } from "./turns.js";

/**
 * Runs the channel's bot pipeline on one customer message. No row lock is held while the pipeline
 * (and the model) works: it reads, decides, and then, in one transaction, locks the conversation and
 * records the decision only if the bot still owns it and no newer customer message or hand-off came
 * in meanwhile (bot_handled_seq). So a bot never speaks once a person has taken over, even with a
 * model call in flight.
 */
export const botReplyJob = defineJob({
  name: "bot.reply",
  queue: "bots",
  payload: z.object({ conversationId: z.uuid(), messageId: z.uuid() }),
  retry: () => ({ attempts: 5, backoffMs: 1000 }),
  async handle({ conversationId, messageId }, ctx, job) {
    const [row] = await ctx.db
      .select({ conv: conversations, msg: messages, channel: channels })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .innerJoin(channels, eq(channels.id, conversations.channelId))
      .where(and(eq(messages.id, messageId), eq(messages.conversationId, conversationId)));
    if (!row || !stillOurs(row.conv, row.msg)) return;
    const llm = await loadLlmSettings(ctx, row.conv.workspaceId);
    const input = await loadBotInput(ctx.db, row.conv, row.msg, row.channel, llm);

    const result: PipelineResult = row.channel.botEnabled
      ? await runPipeline(input, { search: (text, opts) => searchKnowledge(ctx.db, row.conv.workspaceId, text, opts) })
      : {
          decision: { kind: "handoff", stage: "pipeline", reason: "no_answer", detail: "the channel's bot is switched off", summary: null },
          trace: { language: null, retrieved: [], confidence: null, model: null, modelCalls: 0, prompt: null, toolCalls: [], latencyMs: 0, error: null },
        };

    const recorded = await inTransaction(ctx, async (tx, events) => {
      const [conv] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for("update");
      if (!conv || !stillOurs(conv, row.msg)) return null;
      // A newer customer message has its own job, which sees this one too: one answer for both.
      if (await newerCustomerMessage(tx, conv.id, row.msg.seq)) return null;
      await tx.update(conversations).set({ botHandledSeq: row.msg.seq }).where(eq(conversations.id, conv.id));
      conv.botHandledSeq = row.msg.seq;
      const done = await recordDecision(tx, events, conv, input, result.decision);
      await recordTurn(tx, input, result.decision, result.trace, { replyMessageId: done.replyMessageId });
      return done;
    });

    const { decision, trace } = result;
    const fields = { conversation: conversationId, message: messageId, outcome: outcomeOf(decision), stage: "stage" in decision ? decision.stage : null, reason: decision.kind === "handoff" ? decision.reason : null, modelCalls: trace.modelCalls, latencyMs: trace.latencyMs };
    if (!recorded) {
      // Superseded: a person took over, the conversation was resolved, or the customer wrote again.
      // Kept for audit (a model call may have been paid for), never sent.
      await recordTurn(ctx.db, input, decision, trace, { outcome: "superseded", detail: "not recorded: a person took over, the bot already handled a newer message, or the customer wrote again" });
      job.log.info("bot turn superseded", fields);
      return;
    }
    job.log.info("bot turn", fields);
    // With a model, the agent also gets a written summary and a suggested reply, shortly after (not
    // when the model has just failed: the plain summary stays).
    const modelFailed = decision.kind === "handoff" && decision.reason === "bot_unavailable";
    if (recorded.handoffId && llm.configured && !modelFailed) await enqueue(ctx, handoffNotesJob, { handoffId: recorded.handoffId }, { jobId: `handoff-notes-${recorded.handoffId}` });
  },
});

function stillOurs(conv: typeof conversations.$inferSelect, msg: typeof messages.$inferSelect): boolean {
  return conv.owner === "bot" && conv.status !== "resolved" && msg.author === "customer" && msg.seq > conv.botHandledSeq;
}

