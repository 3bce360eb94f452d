import { describe, expect, it } from "vitest";
import type { BotRule, BotStages } from "../../shared/schemas/bots.js";
import type { KnowledgeHit } from "../knowledge/search.js";
import type { EffectiveLlm } from "../llm/settings.js";
import { defaultBotSettings, defaultStages } from "./config.js";
import { runPipeline } from "./run-pipeline.js";
import type { BotInput, PipelineDeps } from "./types.js";

const llmOff: EffectiveLlm = {
  baseUrl: "http://127.0.0.1:9/v1",
  model: null,
  apiKey: null,
  apiKeySource: "none",
  timeoutMs: 1000,
  temperature: 0,
  maxBotTurns: 10,
  replyLanguage: "customer",
  instructions: "",
  neverSay: [],
  configured: false,
};

const rule = (pattern: string, reply: string, extra: Partial<BotRule> = {}): BotRule => ({
  id: "00000000-0000-4000-8000-000000000000",
  name: pattern,
  pattern,
  matchType: "keyword",
  reply,
  position: 0,
  enabled: true,
  ...extra,
});

const article = (id: string, title: string, body: string, confidence: number): KnowledgeHit =>
  ({ article: { id, title, body, language: "en" }, coverage: confidence, confidence }) as unknown as KnowledgeHit;

type Over = Partial<Omit<BotInput, "stages">> & { text?: string; rating?: number | null; kind?: BotInput["conversation"]["kind"]; stages?: Partial<{ [K in keyof BotStages]: Partial<BotStages[K]> }> };

function input(over: Over = {}): BotInput {
  const { text, rating, kind, stages, ...rest } = over;
  const s = structuredClone(defaultStages);
  for (const [k, v] of Object.entries(stages ?? {})) Object.assign(s[k as keyof BotStages], v);
  const k = kind ?? "dm";
  return {
    now: new Date("2030-01-01T12:00:00Z"),
    workspaceId: "w",
    channel: { id: "c", platform: "api", name: "Shop" },
    conversation: { id: "v", kind: k, botMisses: 0 },
    message: { id: "m", seq: 10, text: text ?? "hello", rating: rating ?? null },
    history: [],
    recentBotReplies: [],
    botReplies: 0,
    settings: defaultBotSettings,
    stages: s,
    rules: [],
    llm: llmOff,
    maxLength: 1000,
    lengthUnit: "characters",
    publicReply: k !== "dm",
    replyBlocked: null,
    ...rest,
  };
}

const noHits: PipelineDeps = { search: async () => ({ language: "en", hits: [] }) };
const hits = (...h: KnowledgeHit[]): PipelineDeps => ({ search: async () => ({ language: "en", hits: h }) });
const decide = async (i: BotInput, deps = noHits) => (await runPipeline(i, deps)).decision;

describe("the bot pipeline", () => {
  it("guardrails come before rules: a request for a person hands off even when a rule would match", async () => {
    const d = await decide(input({ text: "I want to talk to a human about opening hours", rules: [rule("opening hours", "9 to 5")] }));
    expect(d).toMatchObject({ kind: "handoff", stage: "guardrails", reason: "customer_request" });
  });

  it("with guardrails off the rules answer, but negative reviews still go to people", async () => {
    const off = { guardrails: { enabled: false } };
    expect(await decide(input({ text: "I want to talk to a human about opening hours", rules: [rule("opening hours", "9 to 5")], stages: off }))).toMatchObject({ kind: "reply", stage: "rules", text: "9 to 5" });
    expect(await decide(input({ kind: "review", rating: 1, text: "opening hours?", rules: [rule("opening hours", "9 to 5")], stages: off }))).toMatchObject({ reason: "negative_review" });
    expect(await decide(input({ kind: "review", rating: 3, text: "opening hours?", rules: [rule("opening hours", "9 to 5")], stages: { guardrails: { negativeMaxStars: 3 } } }))).toMatchObject({ reason: "negative_review" });
  });

  it("sensitive topics, automated replies, loops and max turns", async () => {
    expect(await decide(input({ text: "I will take legal action" }))).toMatchObject({ kind: "handoff", reason: "sensitive", detail: "a legal threat" });
    expect(await decide(input({ text: "Out of office: back on Monday" }))).toMatchObject({ kind: "silent" });
    const now = new Date("2030-01-01T12:00:00Z");
    const recent = [1, 2, 3, 4, 5].map((s) => new Date(now.getTime() - s * 1000));
    expect(await decide(input({ text: "ok?", recentBotReplies: recent, botReplies: 5 }))).toMatchObject({ reason: "max_turns", detail: expect.stringMatching(/loop with another bot/) });
    expect(await decide(input({ text: "ok?", botReplies: 10 }))).toMatchObject({ reason: "max_turns", detail: "the bot already replied 10 times" });
    expect(await decide(input({ text: "I will take legal action", stages: { guardrails: { sensitiveTopics: false } } }))).toMatchObject({ reason: "no_answer" });
  });

  it("a thank-you after a bot answer resolves the conversation; before any answer it does not", async () => {
    expect(await decide(input({ text: "Thanks, that helped!", botReplies: 1 }))).toMatchObject({ kind: "resolve" });
    expect(await decide(input({ text: "Thanks, that helped!", botReplies: 0 }))).toMatchObject({ kind: "handoff", reason: "no_answer" });
  });

  it("answers from the knowledge base above the threshold, cites the article, and hands off below it", async () => {
    const good = article("a1", "How long does delivery take?", "2 to 4 working days.", 0.8);
    expect(await decide(input({ text: "delivery time?" }), hits(good))).toEqual({
      kind: "reply",
      stage: "knowledge",
      text: "How long does delivery take?\n\n2 to 4 working days.",
      articles: [{ id: "a1", title: "How long does delivery take?", body: "2 to 4 working days." }],
      actions: null,
    });
    const weak = article("a1", "How long does delivery take?", "2 to 4 working days.", 0.2);
    expect(await decide(input({ text: "delivery time?" }), hits(weak))).toMatchObject({ kind: "handoff", stage: "pipeline", reason: "no_answer" });
    expect(await decide(input({ text: "delivery time?", stages: { knowledge: { minConfidence: 0.15 } } }), hits(weak))).toMatchObject({ kind: "reply" });
    expect(await decide(input({ text: "delivery time?", stages: { knowledge: { enabled: false } } }), hits(good))).toMatchObject({ reason: "no_answer" });
  });

  it("does not answer a review that asks nothing with an article, however well it matches; a review with a question is answered", async () => {
    const prices = article("a2", "What does shipping cost?", "Free over 50 EUR.", 0.9);
    expect(await decide(input({ kind: "review", rating: 4, text: "Good jackets, fair prices." }), hits(prices))).toMatchObject({ kind: "handoff", reason: "no_answer" });
    expect(await decide(input({ kind: "review", rating: 4, text: "Good jackets. What does shipping to Italy cost?" }), hits(prices))).toMatchObject({ kind: "reply", stage: "knowledge" });
  });

  it("a miss is a fallback reply until handoffAfterMisses is reached", async () => {
    const settings = { ...defaultBotSettings, handoffAfterMisses: 2 };
    expect(await decide(input({ text: "blue elephants", settings }))).toEqual({ kind: "fallback", text: defaultBotSettings.fallbackReply });
    expect(await decide(input({ text: "blue elephants", settings, conversation: { id: "v", kind: "dm", botMisses: 1 } }))).toMatchObject({ reason: "no_answer" });
  });

  it("never puts personal data in a public reply, unless the cited article publishes it", async () => {
    const rules = [rule("contact", "Write to ana@example.com")];
    expect(await decide(input({ kind: "comment", text: "contact?", rules }))).toMatchObject({ kind: "handoff", reason: "sensitive", detail: expect.stringMatching(/personal data \(email\)/) });
    expect(await decide(input({ kind: "dm", text: "contact?", rules }))).toMatchObject({ kind: "reply" });
    const phone = article("p", "Lost phone", "Call +49 30 1234 5678 at any hour.", 0.9);
    expect(await decide(input({ kind: "comment", text: "lost phone" }), hits(phone))).toMatchObject({ kind: "reply", stage: "knowledge" });
  });

  it("never sends a phrase on the never-say list, and hands off when the platform allows no reply", async () => {
    const neverSay = { ...llmOff, neverSay: ["guarantee"] };
    expect(await decide(input({ text: "warranty?", llm: neverSay, rules: [rule("warranty", "We guarantee a refund")] }))).toMatchObject({ kind: "handoff", reason: "no_answer", detail: expect.stringMatching(/must never say/) });
    expect(await decide(input({ text: "hi", replyBlocked: "the channel needs reconnecting" }))).toMatchObject({ reason: "bot_unavailable" });
  });

  it("a rule may only act (labels, priority, resolve) without a reply", async () => {
    const d = await decide(input({ text: "invoice copy", rules: [rule("invoice", "", { actions: { labels: ["billing"], priority: "high", resolve: false } })] }));
    expect(d).toEqual({ kind: "actions", stage: "rules", actions: { labels: ["billing"], priority: "high", resolve: false } });
  });

  it("records what it retrieved for the audit", async () => {
    const { trace } = await runPipeline(input({ text: "delivery?" }), hits(article("a1", "Delivery", "Fast.", 0.55), article("a2", "Returns", "Easy.", 0.1)));
    expect(trace).toMatchObject({ language: "en", confidence: 0.55, retrieved: [{ id: "a1", confidence: 0.55 }, { id: "a2", confidence: 0.1 }], modelCalls: 0 });
  });
});
