import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { DryRunItem } from "../../shared/schemas/bots.js";
import { defineJob, type Ctx } from "../../server/context.js";
import { botDryRunItems, botDryRuns, channels, conversations, messages } from "../../server/db/schema.js";
import { searchKnowledge } from "../knowledge/search.js";
import { loadLlmSettings } from "../llm/settings.js";
import { stagesFor } from "../pipeline/config.js";
import { loadBotInput } from "../pipeline/load-input.js";
import { runPipeline } from "../pipeline/run-pipeline.js";
import { actualOutcome } from "./actual.js";
import { emptySummary, type DryRunSummary, type Proposal, pushProgress } from "./dry-run.js";

/** Progress is saved and pushed at most this often (and at the end). */
const PUSH_EVERY_MS = 500;

/**
 * Runs the bot pipeline (current or proposed) over a channel's last N customer messages, as each
 * conversation was at that message, and stores what the bot would do beside what actually happened.
 * It only reads: no message, hand-off, audit row or send comes out of it. A redelivery resumes after
 * the last stored item; the sweeper re-enqueues a run whose job was lost.
 */
export const dryRunJob = defineJob({
  name: "bot.dry-run",
  queue: "bulk",
  payload: z.object({ runId: z.uuid() }),
  retry: () => ({ attempts: 3, backoffMs: 5000 }),
  async handle({ runId }, ctx, job) {
    const [run] = await ctx.db.select().from(botDryRuns).where(eq(botDryRuns.id, runId));
    if (!run || run.status === "done" || run.status === "failed") return;
    const [channel] = await ctx.db.select().from(channels).where(eq(channels.id, run.channelId));
    if (!channel) return;
    try {
      await execute(ctx, run, channel);
    } catch (err) {
      job.log.warn("dry run failed", { run: runId, error: err });
      if (!job.isLastAttempt) throw err;
      const [failed] = await ctx.db
        .update(botDryRuns)
        .set({ status: "failed", error: "The dry run stopped on an error; see the worker's log.", finishedAt: new Date(), updatedAt: new Date() })
        .where(eq(botDryRuns.id, runId))
        .returning();
      if (failed) pushProgress(ctx, failed);
    }
  },
});

async function execute(ctx: Ctx, run: typeof botDryRuns.$inferSelect, channel: typeof channels.$inferSelect) {
  const proposal = run.proposal as Proposal | null;
  const stored = await loadLlmSettings(ctx, run.workspaceId);
  const llm = run.useLlm ? stored : { ...stored, configured: false };
  const targets = await ctx.db
    .select({ msg: messages, conv: conversations })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.channelId, channel.id), eq(messages.author, "customer")))
    .orderBy(desc(messages.seq))
    .limit(run.limit);

  let summary: DryRunSummary = { ...emptySummary(), ...(run.summary as Partial<DryRunSummary>) };
  let processed = run.processed;
  let [current] = await ctx.db
    .update(botDryRuns)
    .set({ status: "running", total: targets.length, updatedAt: new Date() })
    .where(eq(botDryRuns.id, run.id))
    .returning();
  pushProgress(ctx, current!);
  let lastPush = Date.now();

  for (let position = processed; position < targets.length; position++) {
    const { msg, conv } = targets[position]!;
    const input = await loadBotInput(ctx.db, conv, msg, channel, llm, {
      asOfMessage: true,
      ...(proposal ? { stages: stagesFor(proposal.pipeline, conv.kind), settings: proposal.settings, rules: proposal.rules } : {}),
    });
    const { decision, trace } = await runPipeline(input, { search: (text, opts) => searchKnowledge(ctx.db, run.workspaceId, text, opts) });
    const bot: DryRunItem["bot"] = {
      action: decision.kind === "reply" || decision.kind === "actions" ? "answer" : decision.kind,
      stage: "stage" in decision ? decision.stage : null,
      text: decision.kind === "reply" ? decision.text : decision.kind === "fallback" ? decision.text : null,
      reason: decision.kind === "handoff" ? decision.reason : null,
      articleIds: decision.kind === "reply" ? decision.articles.map((a) => a.id) : [],
      confidence: trace.confidence,
    };
    const actual = await actualOutcome(ctx.db, msg);
    const item: DryRunItem = { messageId: msg.id, conversationId: conv.id, kind: conv.kind, platform: channel.platform, customerText: msg.text, at: msg.createdAt.toISOString(), bot, actual };
    await ctx.db.insert(botDryRunItems).values({ runId: run.id, position, item }).onConflictDoNothing();
    summary = count(summary, item);
    processed = position + 1;
    if (Date.now() - lastPush >= PUSH_EVERY_MS) {
      [current] = await ctx.db.update(botDryRuns).set({ processed, summary, updatedAt: new Date() }).where(eq(botDryRuns.id, run.id)).returning();
      pushProgress(ctx, current!);
      lastPush = Date.now();
    }
  }
  [current] = await ctx.db
    .update(botDryRuns)
    .set({ processed, summary, status: "done", finishedAt: new Date(), updatedAt: new Date() })
    .where(eq(botDryRuns.id, run.id))
    .returning();
  pushProgress(ctx, current!);
}

function count(s: DryRunSummary, item: DryRunItem): DryRunSummary {
  const next = { ...s, byReason: { ...s.byReason } };
  if (item.bot.action === "answer") next.answered++;
  else if (item.bot.action === "handoff") {
    next.handedOff++;
    next.byReason[item.bot.reason!] = (next.byReason[item.bot.reason!] ?? 0) + 1;
  } else next.other++;
  const same =
    (item.bot.action === "answer" && item.actual.action === "bot_reply") ||
    (item.bot.action === "handoff" && (item.actual.action === "handoff" || item.actual.action === "agent_reply"));
  if (same) next.sameAsActual++;
  return next;
}
