import { eq } from "drizzle-orm";
import type { LlmSettings, LlmSettingsInput } from "../../shared/schemas/bots.js";
import type { Ctx } from "../../server/context.js";
import { llmSettings } from "../../server/db/schema.js";
import { recordAudit } from "../../server/domain/audit.js";
import type { Scope } from "../../server/domain/scope.js";

export const OPENAI_DEFAULT_URL = "https://api.openai.com/v1";

/** What the bot uses to call the model. Holds the API key in clear: never log it, return it or store it elsewhere. */
export type EffectiveLlm = {
  baseUrl: string;
  model: string | null;
  apiKey: string | null;
  apiKeySource: "workspace" | "environment" | "none";
  timeoutMs: number;
  temperature: number;
  maxBotTurns: number;
  replyLanguage: string;
  instructions: string;
  neverSay: string[];
  /** A model and a reachable endpoint are set: an explicit base URL (Ollama, vLLM… need no key) or a key. */
  configured: boolean;
};

type Row = typeof llmSettings.$inferSelect;
const defaults = { temperature: 0.2, maxBotTurns: 10, replyLanguage: "customer", instructions: "", neverSay: [] as string[] };

export function effectiveLlm(config: Ctx["config"], row: Row | undefined, decrypt: (box: string) => string, override: Partial<Pick<LlmSettingsInput, "baseUrl" | "model" | "apiKey">> = {}): EffectiveLlm {
  const pick = <T>(o: T | null | undefined, stored: T | null | undefined, env: T | undefined): T | null => (o !== undefined ? (o ?? env ?? null) : (stored ?? env ?? null));
  const explicitUrl = pick(override.baseUrl, row?.baseUrl, config.OPENAI_BASE_URL);
  const storedKey = row?.apiKeyEncrypted ? decrypt(row.apiKeyEncrypted) : null;
  const workspaceKey = override.apiKey !== undefined ? override.apiKey : storedKey;
  const apiKey = workspaceKey ?? config.OPENAI_API_KEY ?? null;
  const model = pick(override.model, row?.model, config.PARLEY_LLM_MODEL);
  return {
    baseUrl: (explicitUrl ?? OPENAI_DEFAULT_URL).replace(/\/+$/, ""),
    model,
    apiKey,
    apiKeySource: workspaceKey ? "workspace" : config.OPENAI_API_KEY ? "environment" : "none",
    timeoutMs: config.LLM_TIMEOUT_MS,
    temperature: row?.temperature ?? defaults.temperature,
    maxBotTurns: row?.maxBotTurns ?? defaults.maxBotTurns,
    replyLanguage: row?.replyLanguage ?? defaults.replyLanguage,
    instructions: row?.instructions ?? defaults.instructions,
    neverSay: row?.neverSay ?? defaults.neverSay,
    configured: Boolean(model && (explicitUrl || apiKey)),
  };
}

export async function loadLlmSettings(ctx: Pick<Ctx, "db" | "config" | "keyring">, workspaceId: string, override: Parameters<typeof effectiveLlm>[3] = {}): Promise<EffectiveLlm> {
  const [row] = await ctx.db.select().from(llmSettings).where(eq(llmSettings.workspaceId, workspaceId));
  return effectiveLlm(ctx.config, row, (box) => ctx.keyring.decrypt(box), override);
}

export async function getLlmSettings(ctx: Pick<Ctx, "db" | "config" | "keyring">, scope: Pick<Scope, "workspaceId">): Promise<LlmSettings> {
  const [row] = await ctx.db.select().from(llmSettings).where(eq(llmSettings.workspaceId, scope.workspaceId));
  const e = effectiveLlm(ctx.config, row, (box) => ctx.keyring.decrypt(box));
  return {
    baseUrl: row?.baseUrl ?? null,
    model: row?.model ?? null,
    apiKeySet: Boolean(row?.apiKeyEncrypted),
    temperature: e.temperature,
    maxBotTurns: e.maxBotTurns,
    replyLanguage: e.replyLanguage as LlmSettings["replyLanguage"],
    instructions: e.instructions,
    neverSay: e.neverSay,
    effective: { baseUrl: e.baseUrl, model: e.model, apiKey: e.apiKeySource, timeoutMs: e.timeoutMs, configured: e.configured },
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** Saves the fields given. A new API key is encrypted like channel secrets; null removes it. */
export async function putLlmSettings(ctx: Ctx, scope: Scope, input: LlmSettingsInput): Promise<LlmSettings> {
  await ctx.db.transaction(async (tx) => {
    const { apiKey, ...rest } = input;
    const patch: Partial<typeof llmSettings.$inferInsert> = { ...rest, updatedAt: new Date() };
    if (apiKey !== undefined) patch.apiKeyEncrypted = apiKey === null ? null : ctx.keyring.encrypt(apiKey);
    await tx
      .insert(llmSettings)
      .values({ workspaceId: scope.workspaceId, ...patch })
      .onConflictDoUpdate({ target: llmSettings.workspaceId, set: patch });
    // The audit names the fields changed, never the key.
    await recordAudit(tx, scope, "llm.updated", "workspace", scope.workspaceId, { fields: Object.keys(input) });
  });
  return getLlmSettings(ctx, scope);
}
