import { sql } from "drizzle-orm";
import { bigserial, boolean, customType, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { channels, conversations, messages, users, workspaces } from "./schema.js";

const id = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const createdAt = () => at("created_at").notNull().defaultNow();

/** PostgreSQL's full-text document type; written with to_tsvector (bots/knowledge/articles.ts). */
const tsvector = customType<{ data: string }>({
  dataType: () => "tsvector",
});

/** The knowledge base: articles the bot answers from and agents search. */
export const knowledgeArticles = pgTable(
  "knowledge_articles",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    /** The customer's own id for the article (imports match on it). */
    externalId: text("external_id"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    language: text("language").notNull().default("en"),
    /** The text-search configuration the language maps to (english, german, …, simple). */
    tsConfig: text("ts_config").notNull().default("english"),
    enabled: boolean("enabled").notNull().default(true),
    /** Title (weight A), tags (B) and body (C), stemmed with ts_config. */
    search: tsvector("search").notNull(),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("knowledge_articles_external_key").on(t.workspaceId, t.externalId),
    index("knowledge_articles_workspace_idx").on(t.workspaceId, t.updatedAt.desc(), t.id.desc()),
    index("knowledge_articles_search_idx").using("gin", t.search),
  ],
);

/** Per workspace: the LLM endpoint and the bot's manners. The API key is encrypted like channel secrets. */
export const llmSettings = pgTable("llm_settings", {
  workspaceId: uuid("workspace_id").primaryKey().references(() => workspaces.id),
  baseUrl: text("base_url"),
  model: text("model"),
  apiKeyEncrypted: text("api_key_encrypted"),
  temperature: doublePrecision("temperature").notNull().default(0.2),
  maxBotTurns: integer("max_bot_turns").notNull().default(10),
  replyLanguage: text("reply_language").notNull().default("customer"),
  instructions: text("instructions").notNull().default(""),
  neverSay: text("never_say").array().notNull().default(sql`'{}'::text[]`),
  updatedAt: at("updated_at").notNull().defaultNow(),
});

/** One row per bot turn, for audit: what the bot saw, retrieved, asked the model and decided. Never the API key. */
export const botTurns = pgTable(
  "bot_turns",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    channelId: uuid("channel_id").notNull().references(() => channels.id),
    /** The customer message the turn answered. */
    messageId: uuid("message_id").notNull().references(() => messages.id),
    stage: text("stage"),
    outcome: text("outcome", { enum: ["reply", "handoff", "fallback", "resolve", "silent", "superseded"] }).notNull(),
    reason: text("reason"),
    replyMessageId: uuid("reply_message_id"),
    language: text("language"),
    retrievedArticleIds: text("retrieved_article_ids").array().notNull().default(sql`'{}'::text[]`),
    citedArticleIds: text("cited_article_ids").array().notNull().default(sql`'{}'::text[]`),
    confidence: doublePrecision("confidence"),
    model: text("model"),
    modelCalls: integer("model_calls").notNull().default(0),
    prompt: jsonb("prompt"),
    toolCalls: jsonb("tool_calls"),
    latencyMs: integer("latency_ms").notNull().default(0),
    /** Why the turn ended as it did (the hand-off's detail, the model's error), without the key. */
    detail: text("detail"),
    createdAt: createdAt(),
  },
  (t) => [
    index("bot_turns_conversation_idx").on(t.conversationId, t.createdAt),
    index("bot_turns_workspace_idx").on(t.workspaceId, t.createdAt),
  ],
);

/** Every hand-off from the bot (and take-over by an agent): why, a summary, and a suggested reply. */
export const botHandoffs = pgTable(
  "bot_handoffs",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    reason: text("reason").notNull(),
    summary: text("summary"),
    suggestedReply: text("suggested_reply"),
    /** The customer message the bot was answering when it handed off. */
    messageId: uuid("message_id"),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [index("bot_handoffs_conversation_idx").on(t.conversationId, t.at.desc())],
);

/** Thumbs-down: an agent says a bot answer was wrong. One per message. */
export const botFeedback = pgTable(
  "bot_feedback",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    channelId: uuid("channel_id").notNull().references(() => channels.id),
    messageId: uuid("message_id").notNull().references(() => messages.id),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("bot_feedback_message_key").on(t.messageId), index("bot_feedback_workspace_idx").on(t.workspaceId, t.at)],
);

/** A dry run of a channel's pipeline over its past customer messages; nothing is sent. */
export const botDryRuns = pgTable(
  "bot_dry_runs",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    status: text("status", { enum: ["queued", "running", "done", "failed"] }).notNull().default("queued"),
    limit: integer("limit").notNull(),
    total: integer("total").notNull().default(0),
    processed: integer("processed").notNull().default(0),
    /** The proposed pipeline, rules and settings (null: the channel's current ones at run time). */
    proposal: jsonb("proposal").$type<Record<string, unknown> | null>(),
    useLlm: boolean("use_llm").notNull().default(true),
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull().default({}),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    finishedAt: at("finished_at"),
  },
  (t) => [index("bot_dry_runs_channel_idx").on(t.channelId, t.createdAt.desc()), index("bot_dry_runs_open_idx").on(t.status, t.updatedAt)],
);

export const botDryRunItems = pgTable(
  "bot_dry_run_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    runId: uuid("run_id").notNull().references(() => botDryRuns.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    item: jsonb("item").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex("bot_dry_run_items_position_key").on(t.runId, t.position)],
);
