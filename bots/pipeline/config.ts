import type { BotPipeline, BotPipelineInput, BotSettings, BotStages, BotStagesPatch } from "../../shared/schemas/bots.js";
import { conversationKinds } from "../../shared/schemas/common.js";
import { DEFAULT_MIN_CONFIDENCE } from "../knowledge/confidence.js";

type Kind = (typeof conversationKinds)[number];

export const defaultBotSettings: BotSettings = {
  // Prefer a person to a guess: hand off at the first message no stage can answer.
  handoffAfterMisses: 1,
  handoffKeywords: [],
  handoffReply: "I am passing you to a person on our team; they will reply here soon.",
  fallbackReply: "Sorry, I did not understand that. Could you rephrase it?",
};

export const defaultStages: BotStages = {
  guardrails: { enabled: true, handoffOnRequest: true, sensitiveTopics: true, negativeMaxStars: 2, loopWindowSeconds: 60, loopMaxReplies: 5 },
  rules: { enabled: true },
  knowledge: { enabled: true, minConfidence: DEFAULT_MIN_CONFIDENCE, tags: [] },
  llm: { enabled: true },
};

/** Stored channel bot settings: the hand-off settings at the top level, the pipeline under `pipeline`. */
type Stored = Partial<BotSettings> & { pipeline?: Partial<BotPipeline> };

export function botSettingsOf(stored: Record<string, unknown>): BotSettings {
  const { pipeline: _pipeline, ...settings } = stored as Stored;
  return { ...defaultBotSettings, ...settings };
}

function patchStages(base: BotStages, patch: BotStagesPatch | undefined | null): BotStages {
  if (!patch) return base;
  return {
    guardrails: { ...base.guardrails, ...patch.guardrails },
    rules: { ...base.rules, ...patch.rules },
    knowledge: { ...base.knowledge, ...patch.knowledge },
    llm: { ...base.llm, ...patch.llm },
  };
}

export function pipelineOf(stored: Record<string, unknown>): BotPipeline {
  const saved = (stored as Stored).pipeline ?? {};
  const { overrides, ...stages } = saved;
  return { ...patchStages(defaultStages, stages as BotStagesPatch), overrides: overrides ?? {} };
}

/** The stages for one kind of conversation: the channel's, changed by that kind's override. */
export function stagesFor(pipeline: BotPipeline, kind: Kind): BotStages {
  const { overrides, ...base } = pipeline;
  return patchStages(base, overrides[kind]);
}

export function effectiveStages(pipeline: BotPipeline): Record<Kind, BotStages> {
  return Object.fromEntries(conversationKinds.map((k) => [k, stagesFor(pipeline, k)])) as Record<Kind, BotStages>;
}

/** Applies an update: stage fields given change; an override given replaces that kind's, null removes it. */
export function applyPipelineInput(current: BotPipeline, input: BotPipelineInput): BotPipeline {
  const { overrides, ...stages } = input;
  const next = { ...patchStages(current, stages), overrides: { ...current.overrides } };
  for (const kind of conversationKinds) {
    const o = overrides?.[kind];
    if (o === null) delete next.overrides[kind];
    else if (o) next.overrides[kind] = o;
  }
  return next;
}
