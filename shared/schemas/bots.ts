import { z } from "zod";
import { ConversationKind, Cursor, HandoffReason, isoDate, Platform, Priority, uuid } from "./common.js";

/** The hand-off reasons in words, as agents read them (the codes are in common.ts). */
export const handoffReasonWords: Record<HandoffReason, string> = {
  customer_request: "The customer asked for a person",
  sensitive: "A sensitive topic: a person must answer",
  negative_review: "A negative review or public comment: never answered by the bot",
  no_answer: "The bot could not answer",
  bot_unavailable: "The AI model did not answer in time or failed",
  max_turns: "The bot reached its limit of replies in this conversation",
  agent_takeover: "An agent took over",
};

// ---------------------------------------------------------------------------------------------
// The pipeline: guardrails → rules → knowledge answers → LLM agent, per channel, with per-kind overrides.

export const GuardrailSettings = z.object({
  enabled: z.boolean().describe("Off: only the checks that are always on remain (negative reviews and personal data in public replies)"),
  handoffOnRequest: z.boolean().describe("Hand off when the customer asks for a person"),
  sensitiveTopics: z.boolean().describe("Hand off legal threats, payment disputes, personal-data requests, safety, harassment, angry cancellations"),
  negativeMaxStars: z.number().int().min(1).max(5).describe("Reviews with this many stars or fewer are never answered by the bot (always on)"),
  loopWindowSeconds: z.number().int().min(0).max(3600).describe("Loop cool-down: the window in which bot replies are counted"),
  loopMaxReplies: z.number().int().min(1).max(50).describe("More bot replies than this within the window means a loop with another bot: hand off"),
});
export type GuardrailSettings = z.infer<typeof GuardrailSettings>;

export const KnowledgeStageSettings = z.object({
  enabled: z.boolean().describe("Answer with a knowledge article when the match is confident"),
  minConfidence: z.number().min(0).max(1).describe("Answer only above this confidence (0–1); below it, the next stage or a hand-off"),
  tags: z.array(z.string().trim().min(1).max(50)).max(30).describe("Only articles with one of these tags; empty: all articles"),
});
export type KnowledgeStageSettings = z.infer<typeof KnowledgeStageSettings>;

export const BotStages = z.object({
  guardrails: GuardrailSettings,
  rules: z.object({ enabled: z.boolean() }),
  knowledge: KnowledgeStageSettings,
  llm: z.object({ enabled: z.boolean().describe("Ask the workspace's LLM when no earlier stage answered (needs LLM settings)") }),
});
export type BotStages = z.infer<typeof BotStages>;

/** Only the fields given change, stage by stage. */
export const BotStagesPatch = z
  .object({
    guardrails: GuardrailSettings.partial(),
    rules: z.object({ enabled: z.boolean() }).partial(),
    knowledge: KnowledgeStageSettings.partial(),
    llm: z.object({ enabled: z.boolean() }).partial(),
  })
  .partial();
export type BotStagesPatch = z.infer<typeof BotStagesPatch>;

export const botStageNames = ["guardrails", "rules", "knowledge", "llm"] as const;
export const BotStageName = z.enum(botStageNames);
export type BotStageName = z.infer<typeof BotStageName>;

export const BotPipeline = BotStages.extend({
  overrides: z
    .object({ dm: BotStagesPatch, comment: BotStagesPatch, mention: BotStagesPatch, review: BotStagesPatch })
    .partial()
    .describe("Per conversation kind: changes to the channel's stages for that kind only"),
});
export type BotPipeline = z.infer<typeof BotPipeline>;

export const BotPipelineInput = BotStagesPatch.extend({
  overrides: z
    .object({ dm: BotStagesPatch.nullable(), comment: BotStagesPatch.nullable(), mention: BotStagesPatch.nullable(), review: BotStagesPatch.nullable() })
    .partial()
    .describe("A kind given replaces that kind's override; null removes it")
    .optional(),
});
export type BotPipelineInput = z.infer<typeof BotPipelineInput>;

/** What a rule does besides (or instead of) replying. */
export const RuleActions = z.object({
  labels: z.array(z.string().trim().min(1).max(50)).max(20).default([]).describe("Labels added to the conversation"),
  priority: Priority.nullable().default(null).describe("Priority set on the conversation"),
  resolve: z.boolean().default(false).describe("Resolve the conversation (the bot answered everything)"),
});
export type RuleActions = z.infer<typeof RuleActions>;

/** Rule bot rules, stored per channel. */
export const BotRule = z.object({
  id: uuid,
  name: z.string(),
  pattern: z.string(),
  matchType: z.enum(["keyword", "regex"]),
  reply: z.string().describe("Empty when the rule only acts"),
  position: z.number().int(),
  enabled: z.boolean(),
  actions: RuleActions.optional(),
});
export type BotRule = z.infer<typeof BotRule>;

export const BotRuleInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    matchType: z.enum(["keyword", "regex"]).default("keyword"),
    pattern: z.string().min(1).max(500),
    reply: z.string().trim().max(4000).default(""),
    position: z.number().int().min(0).default(0),
    enabled: z.boolean().default(true),
    actions: RuleActions.optional(),
  })
  .superRefine((rule, ctx) => {
    const acts = rule.actions;
    if (!rule.reply && !(acts && (acts.labels.length || acts.priority || acts.resolve))) {
      ctx.addIssue({ code: "custom", path: ["reply"], message: "give a reply, or an action (labels, priority, resolve)" });
    }
    if (rule.matchType !== "regex") return;
    try {
      new RegExp(rule.pattern, "iu");
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["pattern"], message: `not a valid regular expression: ${(err as Error).message}` });
    }
  });

export const BotSettings = z.object({
  handoffAfterMisses: z.number().int().min(1).max(20).describe("Hand off after this many customer messages in a row that no stage answers"),
  handoffKeywords: z
    .array(z.string().min(1))
    .describe("Extra phrases that always mean the customer asks for a person (requests in English, German, Spanish and French are understood without them)"),
  handoffReply: z.string().max(4000).nullable().describe("Told to the customer when the bot hands off"),
  fallbackReply: z.string().max(4000).nullable().describe("Sent when no stage answers and no hand-off is due yet"),
});
export type BotSettings = z.infer<typeof BotSettings>;

export const BotConfig = z.object({
  settings: BotSettings,
  rules: z.array(BotRule),
  pipeline: BotPipeline,
  effective: z.record(ConversationKind, BotStages).describe("The stages that apply to each conversation kind (overrides applied)"),
  llmConfigured: z.boolean().describe("The workspace's LLM settings are complete: the llm stage can run"),
});
export const BotConfigInput = z.object({
  settings: BotSettings.partial().optional(),
  rules: z.array(BotRuleInput).max(200).optional(),
  pipeline: BotPipelineInput.optional(),
});

// ---------------------------------------------------------------------------------------------
// Knowledge base

export const LanguageCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2}$/, "a two-letter language code such as en or de");

export const KnowledgeArticle = z.object({
  id: uuid,
  externalId: z.string().nullable().describe("Your id for the article (from an import); imports update the article with the same one"),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  language: z.string().describe("Two-letter code; decides how words are stemmed when searching"),
  enabled: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type KnowledgeArticle = z.infer<typeof KnowledgeArticle>;

const articleFields = {
  externalId: z.string().trim().min(1).max(200).nullable(),
  title: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(20_000),
  tags: z.array(z.string().trim().min(1).max(50)).max(30),
  language: LanguageCode,
  enabled: z.boolean(),
};

export const KnowledgeArticleInput = z.object({
  ...articleFields,
  externalId: articleFields.externalId.optional(),
  tags: articleFields.tags.default([]),
  language: articleFields.language.default("en"),
  enabled: articleFields.enabled.default(true),
});
export const KnowledgeArticleUpdate = z
  .object(articleFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, "give at least one field to change");

export const KnowledgeArticleParams = z.object({ id: uuid });
export const KnowledgeArticleResponse = z.object({ article: KnowledgeArticle });

export const KnowledgeArticleListQuery = z.object({
  q: z.string().trim().min(1).max(200).optional().describe("Words in the title, tags or body"),
  language: LanguageCode.optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  enabled: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});
export const KnowledgeArticleList = z.object({ items: z.array(KnowledgeArticle), nextCursor: z.string().nullable() });

export const knowledgeImportFormats = ["markdown", "csv", "json"] as const;
export const KnowledgeImportRequest = z.object({
  format: z.enum(knowledgeImportFormats).describe(
    "markdown: one article per file (front matter title/tags/language/id/enabled, or the first # heading as title), or one per ## heading when a file has several; csv: a header row with title and body (tags separated by | or ;); json: an array of {id?, title, body, tags?, language?, enabled?}",
  ),
  files: z
    .array(z.object({ name: z.string().trim().min(1).max(300), content: z.string().max(1_000_000) }))
    .min(1)
    .max(200),
  language: LanguageCode.default("en").describe("For articles that do not say their language"),
});
export const KnowledgeImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  articles: z.array(z.object({ id: uuid, externalId: z.string().nullable(), title: z.string() })),
});

export const KnowledgeSearchQuery = z.object({
  q: z.string().trim().min(1).max(1000),
  limit: z.coerce.number().int().min(1).max(20).default(5),
  channelId: uuid.optional().describe("Use this channel's knowledge settings (tags, threshold)"),
});
export const KnowledgeSearchResult = z.object({
  language: z.string().nullable().describe("The language detected in the query"),
  minConfidence: z.number(),
  items: z.array(
    z.object({
      article: KnowledgeArticle,
      confidence: z.number().describe("0–1: how much of the question this article covers, less when another article covers it as well"),
      answers: z.boolean().describe("The knowledge stage would answer with this article"),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// LLM settings (per workspace)

export const ReplyLanguage = z
  .union([z.literal("customer"), LanguageCode])
  .describe("customer: answer in the customer's language; a code: always in that language");

export const LlmSettings = z.object({
  baseUrl: z.string().nullable().describe("This workspace's OpenAI-compatible endpoint; null: OPENAI_BASE_URL"),
  model: z.string().nullable().describe("null: PARLEY_LLM_MODEL"),
  apiKeySet: z.boolean().describe("An API key is stored for this workspace (it is never returned)"),
  temperature: z.number(),
  maxBotTurns: z.number().int().describe("Bot replies per conversation before it hands off (max_turns); counted from the last hand-back"),
  replyLanguage: ReplyLanguage,
  instructions: z.string().describe("Tone and instructions added to the model's prompt"),
  neverSay: z.array(z.string()).describe("Phrases the bot must never send; a reply containing one is not sent"),
  effective: z.object({
    baseUrl: z.string(),
    model: z.string().nullable(),
    apiKey: z.enum(["workspace", "environment", "none"]).describe("Where the key in use comes from"),
    timeoutMs: z.number().int(),
    configured: z.boolean().describe("A model and an endpoint are set: the LLM stage can run"),
  }),
  updatedAt: isoDate.nullable(),
});
export type LlmSettings = z.infer<typeof LlmSettings>;

export const LlmSettingsInput = z
  .object({
    baseUrl: z.url().max(500).nullable(),
    model: z.string().trim().min(1).max(200).nullable(),
    apiKey: z.string().trim().min(1).max(1000).nullable().describe("A new key replaces the stored one; null removes it; leave it out to keep it"),
    temperature: z.number().min(0).max(2),
    maxBotTurns: z.number().int().min(1).max(100),
    replyLanguage: ReplyLanguage,
    instructions: z.string().max(4000),
    neverSay: z.array(z.string().trim().min(1).max(200)).max(100),
  })
  .partial();
export type LlmSettingsInput = z.infer<typeof LlmSettingsInput>;

export const LlmTestRequest = LlmSettingsInput.pick({ baseUrl: true, model: true, apiKey: true }).describe(
  "Values to try instead of the saved ones (nothing is saved); leave out to test the saved settings",
);
export const llmTestSteps = ["configuration", "reach", "authenticate", "model", "tools"] as const;
export const LlmTestResult = z.object({
  ok: z.boolean(),
  message: z.string().describe("What worked, or what failed and what to do, in words"),
  steps: z.array(z.object({ step: z.enum(llmTestSteps), ok: z.boolean(), detail: z.string() })),
  model: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
});

// ---------------------------------------------------------------------------------------------
// What a bot message carries, and thumbs-down

export const WrongAnswerMark = z.object({
  userId: uuid.nullable(),
  userName: z.string().nullable(),
  note: z.string().nullable(),
  at: isoDate,
});

export const MessageBotInfo = z.object({
  stage: z.enum(["rules", "knowledge", "llm"]).describe("Which stage wrote the answer"),
  articles: z.array(z.object({ id: uuid, title: z.string() })).describe("The knowledge articles the answer cites"),
  wrongAnswer: WrongAnswerMark.nullable().describe("An agent marked this answer wrong (thumbs-down)"),
});
export type MessageBotInfo = z.infer<typeof MessageBotInfo>;

export const WrongAnswerRequest = z.object({ note: z.string().trim().max(1000).optional() });

export const WrongAnswer = z.object({
  messageId: uuid,
  conversationId: uuid,
  channelId: uuid,
  text: z.string(),
  stage: z.string().nullable(),
  articles: z.array(z.object({ id: uuid, title: z.string() })),
  userId: uuid.nullable(),
  userName: z.string().nullable(),
  note: z.string().nullable(),
  at: isoDate,
});
export type WrongAnswer = z.infer<typeof WrongAnswer>;
export const BotReportQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    channelId: uuid.optional(),
  })
  .describe("from is inclusive, to exclusive; a bare date means midnight UTC; default: the last 7 days");
export const WrongAnswerList = z.object({ items: z.array(WrongAnswer) });

// ---------------------------------------------------------------------------------------------
// Supervisor numbers

const Counted = z.object({
  count: z.number().int(),
  conversationIds: z.array(uuid).describe("The conversations counted (at most idsLimit, newest first)"),
});

export const BotReport = z.object({
  from: isoDate,
  to: isoDate,
  idsLimit: z.number().int(),
  botConversations: Counted.describe("Conversations a bot started in during the period"),
  contained: Counted.extend({
    rate: z.number().nullable().describe("contained / botConversations; null when there were none"),
  }).describe("Of those, resolved by the bot with no human message and no hand-off"),
  handoffs: z.object({
    total: z.number().int(),
    byReason: z.record(HandoffReason, Counted),
  }),
  wrongAnswers: Counted.extend({ messageIds: z.array(uuid) }).describe("Bot answers agents marked wrong in the period"),
});
export type BotReport = z.infer<typeof BotReport>;

// ---------------------------------------------------------------------------------------------
// Audit of bot turns

export const botOutcomes = ["reply", "handoff", "fallback", "resolve", "silent", "superseded"] as const;
export const BotTurn = z.object({
  id: uuid,
  conversationId: uuid,
  channelId: uuid,
  messageId: uuid.describe("The customer message the turn answered"),
  stage: z.string().nullable(),
  outcome: z.enum(botOutcomes),
  reason: HandoffReason.nullable(),
  replyMessageId: uuid.nullable(),
  language: z.string().nullable(),
  retrievedArticleIds: z.array(z.string()),
  citedArticleIds: z.array(z.string()),
  confidence: z.number().nullable(),
  model: z.string().nullable(),
  modelCalls: z.number().int(),
  prompt: z.unknown().describe("The messages sent to the model (null when no model was called)"),
  toolCalls: z.unknown(),
  latencyMs: z.number().int(),
  detail: z.string().nullable().describe("Why the turn ended as it did: the hand-off's detail, or the model's error"),
  createdAt: isoDate,
});
export const BotTurnQuery = z.object({ conversationId: uuid, limit: z.coerce.number().int().min(1).max(200).default(50) });
export const BotTurnList = z.object({ items: z.array(BotTurn) });

// ---------------------------------------------------------------------------------------------
// Dry runs

export const DryRunRequest = z.object({
  limit: z.number().int().min(1).max(1000).default(50).describe("The channel's last N customer messages"),
  pipeline: BotPipelineInput.optional().describe("A proposed pipeline (not saved); left out: the current one"),
  rules: z.array(BotRuleInput).max(200).optional().describe("Proposed rules (not saved); left out: the current ones"),
  settings: BotSettings.partial().optional().describe("Proposed hand-off settings (not saved)"),
  useLlm: z.boolean().default(true).describe("Call the LLM where the pipeline would (costs tokens)"),
});

export const dryRunStatuses = ["queued", "running", "done", "failed"] as const;
export const DryRun = z.object({
  id: uuid,
  channelId: uuid,
  status: z.enum(dryRunStatuses),
  limit: z.number().int(),
  total: z.number().int().describe("Customer messages found (known once running)"),
  processed: z.number().int(),
  proposed: z.boolean().describe("Run with a proposed, unsaved pipeline"),
  useLlm: z.boolean(),
  summary: z.object({
    answered: z.number().int(),
    handedOff: z.number().int(),
    other: z.number().int().describe("Fallback replies, silences, resolutions"),
    sameAsActual: z.number().int().describe("Items where the bot would do what actually happened (answer or hand-off)"),
    byReason: z.record(z.string(), z.number().int()),
  }),
  error: z.string().nullable(),
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
});
export type DryRun = z.infer<typeof DryRun>;

export const dryRunActions = ["answer", "handoff", "fallback", "resolve", "silent"] as const;
export const DryRunItem = z.object({
  messageId: uuid,
  conversationId: uuid,
  kind: ConversationKind,
  platform: Platform,
  customerText: z.string(),
  at: isoDate,
  bot: z.object({
    action: z.enum(dryRunActions),
    stage: z.string().nullable(),
    text: z.string().nullable(),
    reason: HandoffReason.nullable(),
    articleIds: z.array(z.string()),
    confidence: z.number().nullable(),
  }),
  actual: z.object({
    action: z.enum(["bot_reply", "agent_reply", "handoff", "resolved", "none"]),
    author: z.enum(["bot", "agent", "system"]).nullable(),
    text: z.string().nullable(),
    reason: z.string().nullable(),
  }),
});
export type DryRunItem = z.infer<typeof DryRunItem>;

export const DryRunParams = z.object({ id: uuid });
export const DryRunResponse = z.object({ dryRun: DryRun, items: z.array(DryRunItem) });
export const DryRunCreated = z.object({ dryRun: DryRun });
export const DryRunList = z.object({ items: z.array(DryRun) });
