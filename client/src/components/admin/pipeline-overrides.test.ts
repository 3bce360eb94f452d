import { describe, expect, it } from "vitest";
import type { BotPipeline } from "../../../../shared/schemas/index.js";
import { overridesToSave, stageOn, withStage } from "./pipeline-overrides";

const base: BotPipeline = {
  guardrails: { enabled: true, handoffOnRequest: true, sensitiveTopics: true, negativeMaxStars: 2, loopWindowSeconds: 60, loopMaxReplies: 5 },
  rules: { enabled: true },
  knowledge: { enabled: true, minConfidence: 0.5, tags: [] },
  llm: { enabled: false },
  overrides: { comment: { knowledge: { minConfidence: 0.8 } } },
};

describe("pipeline overrides per kind", () => {
  it("switches a stage for one kind only, keeping that kind's other settings", () => {
    const p = withStage(base, "comment", "knowledge", false);
    expect(stageOn(p, "comment", "knowledge")).toBe(false);
    expect(stageOn(p, "dm", "knowledge")).toBe(true);
    expect(stageOn(p, "channel", "knowledge")).toBe(true);
    expect(p.overrides.comment).toEqual({ knowledge: { minConfidence: 0.8, enabled: false } });
  });

  it("drops an override set back to the channel's value, and sends an empty one as null", () => {
    const on = withStage(base, "review", "llm", true);
    expect(overridesToSave(on).review).toEqual({ llm: { enabled: true } });
    const back = withStage(on, "review", "llm", false);
    expect(stageOn(back, "review", "llm")).toBe(false);
    expect(overridesToSave(back)).toEqual({ dm: null, comment: { knowledge: { minConfidence: 0.8 } }, mention: null, review: null });
  });

  it("changes the channel's own stage for every kind without an override", () => {
    const p = withStage(base, "channel", "rules", false);
    expect(stageOn(p, "mention", "rules")).toBe(false);
    expect(p.overrides).toEqual(base.overrides);
  });
});
