import type { BotRule, BotSettings, BotStages, RuleActions } from "../../shared/schemas/bots.js";
import type { HandoffReason, Platform } from "../../shared/schemas/common.js";
import type { KnowledgeSearch } from "../knowledge/search.js";
import type { EffectiveLlm } from "../llm/settings.js";
import type { LengthUnit } from "../../shared/text-length.js";

export type Kind = "dm" | "comment" | "mention" | "review";

/** Everything the pipeline needs to decide one turn, read before any model call and outside any lock. */
export type BotInput = {
  now: Date;
  workspaceId: string;
  channel: { id: string; platform: Platform; name: string };
  conversation: { id: string; kind: Kind; botMisses: number };
  message: { id: string; seq: number; text: string; rating: number | null };
  /** Earlier messages of the conversation (not notes), oldest first, at most a dozen. */
  history: Array<{ author: "customer" | "bot" | "agent" | "system"; text: string }>;
  /** When the bot replied recently, for the loop cool-down. */
  recentBotReplies: Date[];
  /** Bot replies since the conversation was last handed back (or opened), for max turns. */
  botReplies: number;
  settings: BotSettings;
  stages: BotStages;
  rules: BotRule[];
  llm: EffectiveLlm;
  /** The platform's length limit for this conversation's replies, in lengthUnit. */
  maxLength: number;
  lengthUnit: LengthUnit;
  /** Replies here are public (a comment, mention or review). */
  publicReply: boolean;
  /** Why the bot cannot reply here now (channel needs reconnecting, contact blocked…), or null. */
  replyBlocked: string | null;
};

export type CitedArticle = { id: string; title: string; body: string };

export type BotDecision =
  | { kind: "reply"; stage: "rules" | "knowledge" | "llm"; text: string; articles: CitedArticle[]; actions: RuleActions | null }
  | { kind: "actions"; stage: "rules"; actions: RuleActions }
  | { kind: "handoff"; stage: string; reason: HandoffReason; detail: string; summary: string | null }
  | { kind: "fallback"; text: string | null }
  | { kind: "resolve"; detail: string }
  | { kind: "silent"; detail: string };

/** What the turn did, for the audit row (bot_turns). Never holds the API key. */
export type BotTrace = {
  language: string | null;
  retrieved: Array<{ id: string; confidence: number }>;
  confidence: number | null;
  model: string | null;
  modelCalls: number;
  prompt: unknown;
  toolCalls: unknown[];
  latencyMs: number;
  error: string | null;
};

export type PipelineDeps = {
  search(text: string, opts: { limit: number; tags: string[] }): Promise<KnowledgeSearch>;
};
