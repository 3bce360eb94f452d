import { asc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { BotConfigInput, BotRule, RuleActions } from "../shared/schemas/bots.js";
import type { Ctx } from "../server/context.js";
import type { Executor } from "../server/db/client.js";
import { botRules, channels } from "../server/db/schema.js";
import { recordAudit } from "../server/domain/audit.js";
import { getChannelRow } from "../server/domain/channels.js";
import type { Scope } from "../server/domain/scope.js";
import { loadLlmSettings } from "./llm/settings.js";
import { applyPipelineInput, botSettingsOf, effectiveStages, pipelineOf } from "./pipeline/config.js";

type RuleRow = typeof botRules.$inferSelect;

export function serializeRule(r: RuleRow): BotRule {
  const a = r.actions as Partial<RuleActions>;
  return {
    id: r.id,
    name: r.name,
    pattern: r.pattern,
    matchType: r.matchType,
    reply: r.reply,
    position: r.position,
    enabled: r.enabled,
    actions: { labels: a.labels ?? [], priority: a.priority ?? null, resolve: a.resolve ?? false },
  };
}

export async function channelRules(db: Executor, channelId: string): Promise<BotRule[]> {
  const rows = await db.select().from(botRules).where(eq(botRules.channelId, channelId)).orderBy(asc(botRules.position), asc(botRules.name));
  return rows.map(serializeRule);
}

/** A channel's bot: hand-off settings, rules, the pipeline and what applies to each conversation kind. */
export async function getBotConfig(ctx: Pick<Ctx, "db" | "config" | "keyring">, scope: Pick<Scope, "workspaceId">, channelId: string) {
  const channel = await getChannelRow(ctx.db, scope, channelId);
  const pipeline = pipelineOf(channel.botSettings);
  const llm = await loadLlmSettings(ctx, scope.workspaceId);
  return {
    settings: botSettingsOf(channel.botSettings),
    rules: await channelRules(ctx.db, channel.id),
    pipeline,
    effective: effectiveStages(pipeline),
    llmConfigured: llm.configured,
  };
}

/** Saves what is given: settings fields, the whole rule list, pipeline stage fields and overrides. */
export async function putBotConfig(ctx: Ctx, scope: Scope, channelId: string, input: z.infer<typeof BotConfigInput>) {
  await ctx.db.transaction(async (tx) => {
    const channel = await getChannelRow(tx, scope, channelId);
    if (input.settings || input.pipeline) {
      const stored: Record<string, unknown> = { ...channel.botSettings, ...input.settings };
      if (input.pipeline) stored.pipeline = applyPipelineInput(pipelineOf(channel.botSettings), input.pipeline);
      await tx.update(channels).set({ botSettings: stored }).where(eq(channels.id, channel.id));
    }
    if (input.rules) {
      await tx.delete(botRules).where(eq(botRules.channelId, channel.id));
      if (input.rules.length > 0) {
        await tx.insert(botRules).values(input.rules.map((r, i) => ({ ...r, actions: r.actions ?? {}, position: r.position || i, channelId: channel.id })));
      }
    }
    await recordAudit(tx, scope, "bot.updated", "channel", channel.id, { rules: input.rules?.length ?? null, settings: Object.keys(input.settings ?? {}), pipeline: Boolean(input.pipeline) });
  });
  return getBotConfig(ctx, scope, channelId);
}
