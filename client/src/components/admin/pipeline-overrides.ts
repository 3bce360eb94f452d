import type { BotPipeline, BotStageName, BotStagesPatch } from "../../../../shared/schemas/index.js";

// How the pipeline editor reads and writes per-kind overrides: a kind's switch is an override only
// where it differs from the channel's, so changing the channel later still reaches every other kind.

type ConversationKind = "dm" | "comment" | "mention" | "review";

export const kindWords: Record<ConversationKind, string> = { dm: "Direct messages", comment: "Comments", mention: "Mentions", review: "Reviews" };
export const kinds = Object.keys(kindWords) as ConversationKind[];
export type Scope = "channel" | ConversationKind;

/** Whether a stage runs for a kind: the kind's override, else the channel's own setting. */
export function stageOn(p: BotPipeline, scope: Scope, stage: BotStageName): boolean {
  const base = p[stage].enabled;
  if (scope === "channel") return base;
  return p.overrides[scope]?.[stage]?.enabled ?? base;
}

/** The kind's override with one stage switched; an override equal to the channel's setting is dropped. */
export function withStage(p: BotPipeline, scope: Scope, stage: BotStageName, enabled: boolean): BotPipeline {
  if (scope === "channel") return { ...p, [stage]: { ...p[stage], enabled } };
  const patch: BotStagesPatch = { ...p.overrides[scope] };
  const rest: Record<string, unknown> = { ...patch[stage] };
  if (enabled === p[stage].enabled) delete rest.enabled;
  else rest.enabled = enabled;
  const next = { ...patch, [stage]: rest } as BotStagesPatch;
  if (Object.keys(rest).length === 0) delete next[stage];
  return { ...p, overrides: { ...p.overrides, [scope]: next } };
}


/** The overrides to send: every kind, an empty override as null (removed on the server). */
export function overridesToSave(p: BotPipeline): Record<ConversationKind, BotStagesPatch | null> {
  const out = {} as Record<ConversationKind, BotStagesPatch | null>;
  for (const k of kinds) {
    const o = p.overrides[k];
    out[k] = o && Object.keys(o).length > 0 ? o : null;
  }
  return out;
}
