import { describe, expect, it } from "vitest";
import { applyPipelineInput, botSettingsOf, defaultStages, pipelineOf, stagesFor } from "./config.js";

describe("bot pipeline configuration", () => {
  it("fills what a channel never saved with the defaults", () => {
    const p = pipelineOf({ handoffAfterMisses: 2, pipeline: { llm: { enabled: false } } });
    expect(p.llm.enabled).toBe(false);
    expect(p.knowledge).toEqual(defaultStages.knowledge);
    expect(botSettingsOf({ handoffAfterMisses: 2, pipeline: {} })).toMatchObject({ handoffAfterMisses: 2, handoffKeywords: [] });
  });

  it("applies a kind's override on top of the channel's stages", () => {
    const p = applyPipelineInput(pipelineOf({}), { knowledge: { minConfidence: 0.6 }, overrides: { review: { knowledge: { enabled: false } }, comment: { llm: { enabled: false } } } });
    expect(stagesFor(p, "dm").knowledge).toMatchObject({ enabled: true, minConfidence: 0.6 });
    expect(stagesFor(p, "review").knowledge).toMatchObject({ enabled: false, minConfidence: 0.6 });
    expect(stagesFor(p, "comment").llm.enabled).toBe(false);
    const removed = applyPipelineInput(p, { overrides: { review: null } });
    expect(stagesFor(removed, "review").knowledge.enabled).toBe(true);
    expect(stagesFor(removed, "comment").llm.enabled).toBe(false);
  });
});
