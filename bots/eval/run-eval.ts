import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { HandoffReason, Platform } from "../../shared/schemas/common.js";
import { loadConfig, type Config } from "../../server/config.js";
import type { Ctx } from "../../server/context.js";
import { openDatabase } from "../../server/db/client.js";
import { botTurns, channels, contactIdentities, contacts, conversations, knowledgeArticles, messages, users, workspaces } from "../../server/db/schema.js";
import { createKeyring } from "../../server/domain/crypto.js";
import { addMessage } from "../../server/domain/conversation-commands.js";
import { systemClock } from "../../server/infra/clock.js";
import { createEventBus } from "../../server/infra/event-bus.js";
import type { QueueDriver } from "../../server/infra/queue.js";
import { silentRealtime } from "../../server/infra/realtime.js";
import { memoryRateLimiter } from "../../server/infra/rate-limiter.js";
import { createLogger } from "../../server/logger.js";
import { createLinkSigner } from "../../server/media/signed-links.js";
import { createStorage } from "../../server/storage/storage.js";
import { botReplyJob } from "../bot-reply.job.js";
import { importArticles } from "../knowledge/articles.js";
import { parseImport } from "../knowledge/import-formats.js";

/** One labelled case, as `npm run bots:eval` reads it (docs/bots.md, "Evaluation"). */
export const EvalCase = z.object({
  text: z.string(),
  platform: Platform,
  kind: z.enum(["dm", "comment", "mention", "review"]),
  stars: z.number().int().min(1).max(5).optional(),
  expect: z.discriminatedUnion("action", [
    z.object({ action: z.literal("answer"), articleId: z.string() }),
    z.object({ action: z.literal("handoff"), reason: HandoffReason }),
  ]),
});
export type EvalCase = z.infer<typeof EvalCase>;
export type EvalResult = { action: "answer" | "handoff"; articleIds: string[]; reason?: string; text?: string };

type ReasonTally = { expected: number; right: number; otherReason: number; missed: number };
export type EvalSummary = {
  cases: number;
  answerable: number;
  answeredCorrectly: number;
  answeredCorrectlyRate: number | null;
  answeredWrongly: number;
  answeredWronglyRate: number | null;
  answerableHandedOff: number;
  handoffs: Record<string, ReasonTally>;
  modelCalls: number;
  latencyMs: { p50: number | null; p90: number | null };
  llm: boolean;
  model: string | null;
};

const noQueue: QueueDriver = { enqueue: async () => {}, work: () => {}, close: async () => {}, counts: async () => ({}), pause: async () => {}, resume: () => {} };

/**
 * Runs labelled cases through the worker's own bot job on a throwaway embedded database (PGlite in
 * memory): one channel per platform, one new conversation per case. Nothing is sent: no subscriber
 * listens to the domain events and the queue drops jobs (so no hand-off notes are drafted either).
 */
export async function runEval(opts: { kb: string; kbJson: string; cases: EvalCase[]; llm: boolean; model?: string; env?: Record<string, string | undefined>; onCase?: (i: number, r: EvalResult) => void }) {
  const env = opts.env ?? process.env;
  const config: Config = loadConfig({
    DATA_DIR: "memory://",
    PARLEY_DEMO: "0",
    LOG_LEVEL: "silent",
    ...(opts.llm
      ? { OPENAI_BASE_URL: env.OPENAI_BASE_URL, OPENAI_API_KEY: env.OPENAI_API_KEY, PARLEY_LLM_MODEL: opts.model ?? env.PARLEY_LLM_MODEL, LLM_TIMEOUT_MS: env.LLM_TIMEOUT_MS }
      : {}),
  });
  if (opts.llm && !config.PARLEY_LLM_MODEL) throw new Error("--llm needs a model: --model NAME or PARLEY_LLM_MODEL");
  if (opts.llm && !config.OPENAI_BASE_URL && !config.OPENAI_API_KEY) throw new Error("--llm needs OPENAI_BASE_URL or OPENAI_API_KEY");
  const database = await openDatabase({ schema: "public", dataDir: "memory://" });
  const log = createLogger("silent");
  const ctx: Ctx = {
    config,
    db: database.db,
    queue: noQueue,
    bus: createEventBus(log),
    realtime: silentRealtime,
    keyring: createKeyring(randomBytes(32).toString("hex")),
    limiter: memoryRateLimiter(),
    log,
    clock: systemClock,
    // Evaluation cases carry no files: nothing is ever stored or linked.
    storage: createStorage(config),
    links: createLinkSigner(randomBytes(32).toString("hex")),
  };
  try {
    const [ws] = await ctx.db.insert(workspaces).values({ name: "Evaluation" }).returning();
    const [admin] = await ctx.db.insert(users).values({ workspaceId: ws!.id, email: "eval@parley.local", name: "Eval", role: "admin", passwordHash: "-" }).returning();
    const { drafts, problems } = parseImport("json", [{ name: opts.kb, content: opts.kbJson }], "en");
    if (problems.length) throw new Error(`knowledge base: ${problems.map((p) => p.message).join("; ")}`);
    await importArticles(ctx, { workspaceId: ws!.id, userId: admin!.id, role: "admin" }, drafts);
    const articleRows = await ctx.db.select({ id: knowledgeArticles.id, externalId: knowledgeArticles.externalId }).from(knowledgeArticles);
    const externalOf = new Map(articleRows.map((a) => [a.id, a.externalId ?? a.id]));

    const channelOf = new Map<string, string>();
    for (const platform of Platform.options) {
      const [ch] = await ctx.db
        .insert(channels)
        .values({ workspaceId: ws!.id, platform, name: `Fjord ${platform}`, botEnabled: true, secretsEncrypted: ctx.keyring.encrypt("{}") })
        .returning();
      channelOf.set(platform, ch!.id);
    }

    const results: EvalResult[] = [];
    const latencies: number[] = [];
    let modelCalls = 0;
    for (const [i, c] of opts.cases.entries()) {
      const channelId = channelOf.get(c.platform)!;
      const { conversationId, messageId } = await ctx.db.transaction(async (tx) => {
        const [contact] = await tx.insert(contacts).values({ workspaceId: ws!.id, name: `Customer ${i + 1}` }).returning();
        await tx.insert(contactIdentities).values({ contactId: contact!.id, channelId, externalId: `customer-${i + 1}` });
        const [conv] = await tx
          .insert(conversations)
          .values({ workspaceId: ws!.id, channelId, contactId: contact!.id, kind: c.kind, threadKey: `eval-${i + 1}`, owner: "bot", context: c.stars ? { rating: c.stars } : {} })
          .returning();
        const visibility = c.kind === "dm" ? ("private" as const) : ("public" as const);
        const msg = await addMessage(tx, [], conv!, { direction: "in", author: "customer", visibility, text: c.text, status: "received", externalId: `case-${i + 1}`, rating: c.stars ?? null });
        return { conversationId: conv!.id, messageId: msg!.id };
      });
      const started = performance.now();
      await botReplyJob.handle({ conversationId, messageId }, ctx, { attempt: 1, maxAttempts: 1, isLastAttempt: true, readyAt: Date.now(), log });
      latencies.push(performance.now() - started);
      const [turn] = await ctx.db.select().from(botTurns).where(eq(botTurns.messageId, messageId));
      modelCalls += turn?.modelCalls ?? 0;
      const [reply] = turn?.replyMessageId ? await ctx.db.select({ text: messages.text }).from(messages).where(eq(messages.id, turn.replyMessageId)) : [];
      const result: EvalResult =
        turn?.outcome === "handoff"
          ? { action: "handoff", articleIds: [], reason: turn.reason ?? undefined }
          : { action: "answer", articleIds: (turn?.citedArticleIds ?? []).map((id) => externalOf.get(id) ?? id), ...(reply ? { text: reply.text } : {}) };
      results.push(result);
      opts.onCase?.(i, result);
    }
    return { results, summary: summarize(opts.cases, results, latencies, modelCalls, opts.llm ? config.PARLEY_LLM_MODEL! : null) };
  } finally {
    await database.close();
  }
}

const percentile = (sorted: number[], p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!) : null);
const rate = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 1000 : null);

export function summarize(cases: EvalCase[], results: EvalResult[], latencies: number[], modelCalls: number, model: string | null): EvalSummary {
  const handoffs: Record<string, ReasonTally> = {};
  let answerable = 0;
  let right = 0;
  let wrong = 0;
  let answerableHandedOff = 0;
  cases.forEach((c, i) => {
    const r = results[i]!;
    const correct = c.expect.action === "answer" && r.action === "answer" && r.articleIds.includes(c.expect.articleId);
    if (c.expect.action === "answer") {
      answerable++;
      if (correct) right++;
      if (r.action === "handoff") answerableHandedOff++;
    } else {
      const t = (handoffs[c.expect.reason] ??= { expected: 0, right: 0, otherReason: 0, missed: 0 });
      t.expected++;
      if (r.action === "answer") t.missed++;
      else if (r.reason === c.expect.reason) t.right++;
      else t.otherReason++;
    }
    if (r.action === "answer" && !correct) wrong++;
  });
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    cases: cases.length,
    answerable,
    answeredCorrectly: right,
    answeredCorrectlyRate: rate(right, answerable),
    answeredWrongly: wrong,
    answeredWronglyRate: rate(wrong, cases.length),
    answerableHandedOff,
    handoffs,
    modelCalls,
    latencyMs: { p50: percentile(sorted, 50), p90: percentile(sorted, 90) },
    llm: model !== null,
    model,
  };
}
