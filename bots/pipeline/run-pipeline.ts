import { handoffReasonWords } from "../../shared/schemas/bots.js";
import type { HandoffReason } from "../../shared/schemas/common.js";
import { inLoop, isAutoReply } from "../guards/auto-reply.js";
import { isClosing } from "../guards/closing.js";
import { detectHandoffRequest } from "../guards/handoff-request.js";
import { checkNegative } from "../guards/negative.js";
import { personalDataInReply } from "../guards/personal-data.js";
import { describeSensitive, detectSensitive } from "../guards/sensitive.js";
import { articleAnswer } from "../knowledge/answer.js";
import { asksSomething } from "../knowledge/concepts.js";
import type { KnowledgeHit } from "../knowledge/search.js";
import { runLlmAgent } from "../llm/agent.js";
import { matchRule } from "../rule-bot.js";
import type { BotDecision, BotInput, BotTrace, PipelineDeps } from "./types.js";

export type PipelineResult = { decision: BotDecision; trace: BotTrace };

/**
 * One bot turn: guardrails → rules → knowledge answers → LLM agent, each stage as the channel (and
 * the conversation kind) configures it, then the checks that are always on for what would be sent.
 * Reads and calls the model, writes nothing: the job records the decision (bots/bot-reply.job.ts), a
 * dry run and `npm run bots:eval` only look at it.
 */
export async function runPipeline(input: BotInput, deps: PipelineDeps): Promise<PipelineResult> {
  const started = Date.now();
  const trace: BotTrace = { language: null, retrieved: [], confidence: null, model: null, modelCalls: 0, prompt: null, toolCalls: [], latencyMs: 0, error: null };
  const finish = (decision: BotDecision): PipelineResult => {
    trace.latencyMs = Date.now() - started;
    return { decision: finalCheck(input, decision), trace };
  };
  const handoff = (stage: string, reason: HandoffReason, detail: string, summary: string | null = null) =>
    finish({ kind: "handoff", stage, reason, detail, summary });
  const { stages, message } = input;
  const text = message.text;
  const g = stages.guardrails;

  if (g.enabled) {
    if (isAutoReply(text)) return finish({ kind: "silent", detail: "an automated reply (out of office, do not reply): answering it could start a loop" });
    if (inLoop(input.recentBotReplies, input.now, g.loopWindowSeconds, g.loopMaxReplies)) {
      return handoff("guardrails", "max_turns", `${input.recentBotReplies.length} bot replies within ${g.loopWindowSeconds} s: a possible loop with another bot`);
    }
    if (input.botReplies >= input.llm.maxBotTurns) return handoff("guardrails", "max_turns", `the bot already replied ${input.botReplies} times`);
    if (g.handoffOnRequest) {
      const request = detectHandoffRequest(text, input.settings.handoffKeywords);
      if (request) return handoff("guardrails", "customer_request", `asked for a person ("${request.match}")`);
    }
    if (g.sensitiveTopics) {
      const topic = detectSensitive(text);
      if (topic) return handoff("guardrails", "sensitive", describeSensitive(topic.category));
    }
  }
  // Always on, whatever the guardrail switches: negative reviews and public complaints go to people.
  const negative = checkNegative(input.conversation.kind, message.rating, text, g.negativeMaxStars);
  if (negative.negative) return handoff("guardrails", "negative_review", negative.why!);
  if (input.replyBlocked) return handoff("guardrails", "bot_unavailable", `the bot cannot reply here now: ${input.replyBlocked}`);

  if (input.botReplies > 0 && isClosing(text)) return finish({ kind: "resolve", detail: "the customer said thanks or goodbye" });

  if (stages.rules.enabled) {
    const rule = matchRule(input.rules, text);
    if (rule) {
      const actions = rule.actions ?? { labels: [], priority: null, resolve: false };
      if (!rule.reply.trim()) return finish({ kind: "actions", stage: "rules", actions });
      return finish({ kind: "reply", stage: "rules", text: rule.reply, articles: [], actions });
    }
  }

  const llmOn = stages.llm.enabled && input.llm.configured;
  let hits: KnowledgeHit[] = [];
  if (stages.knowledge.enabled || llmOn) {
    const found = await deps.search(text, { limit: 5, tags: stages.knowledge.tags });
    hits = found.hits;
    trace.language = found.language;
    trace.retrieved = hits.map((h) => ({ id: h.article.id, confidence: round(h.confidence) }));
    trace.confidence = hits[0] ? round(hits[0].confidence) : null;
  }
  // A review that asks nothing ("Good jackets, fair prices.") is not answered with an article.
  const answerable = input.conversation.kind !== "review" || asksSomething(text);
  if (stages.knowledge.enabled && answerable) {
    const best = hits[0];
    if (best && best.confidence >= stages.knowledge.minConfidence) {
      const article = { id: best.article.id, title: best.article.title, body: best.article.body };
      return finish({ kind: "reply", stage: "knowledge", text: articleAnswer(article, input.maxLength, input.lengthUnit), articles: [article], actions: null });
    }
  }
  if (llmOn) {
    const { decision, trace: t } = await runLlmAgent(input, hits, deps);
    Object.assign(trace, t);
    return finish(decision);
  }

  if (input.conversation.botMisses + 1 >= input.settings.handoffAfterMisses) {
    return handoff("pipeline", "no_answer", hits.length ? `no article is a confident match (best ${round(hits[0]!.confidence)})` : "no rule or article matches");
  }
  return finish({ kind: "fallback", text: input.settings.fallbackReply });
}

/**
 * What is about to be sent, checked whatever the stages said: personal data never goes into a public
 * reply (unless the cited articles publish it), and nothing on the workspace's "never say" list.
 */
function finalCheck(input: BotInput, decision: BotDecision): BotDecision {
  if (decision.kind !== "reply" && decision.kind !== "fallback") return decision;
  const text = decision.text ?? "";
  const lower = text.toLowerCase();
  const banned = input.llm.neverSay.find((p) => p.trim() && lower.includes(p.trim().toLowerCase()));
  if (banned) return { kind: "handoff", stage: "guardrails", reason: "no_answer", detail: `the answer contained "${banned}", which the bot must never say`, summary: null };
  if (input.publicReply) {
    const published = decision.kind === "reply" ? decision.articles.map((a) => `${a.title}\n${a.body}`) : [];
    const personal = personalDataInReply(text, published);
    if (personal.length) {
      return { kind: "handoff", stage: "guardrails", reason: "sensitive", detail: `a public reply would have shown personal data (${[...new Set(personal.map((p) => p.kind))].join(", ")})`, summary: null };
    }
  }
  return decision;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The reason in words with the pipeline's detail, for the agent's note. */
export const handoffNote = (d: BotDecision & { kind: "handoff" }) => `${handoffReasonWords[d.reason]} (${d.detail}).`;
