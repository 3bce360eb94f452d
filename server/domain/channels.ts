import { and, asc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { BotConfigInput, BotRule, BotSettings, Channel, CreateChannelRequest, UpdateChannelRequest } from "../../shared/schemas/channels.js";
import type { Ctx } from "../context.js";
import type { Executor } from "../db/client.js";
import { botRules, channels } from "../db/schema.js";
import { randomToken } from "./crypto.js";
import { type Scope, NotFound } from "./scope.js";
import { recordAudit } from "./audit.js";

type ChannelRow = typeof channels.$inferSelect;
export type ChannelSecrets = { secret: string };
export type ChannelSettings = { callbackUrl?: string | null };

export const defaultBotSettings: BotSettings = {
  handoffAfterMisses: 3,
  handoffKeywords: ["agent", "human", "person", "representative", "operator", "real person", "talk to someone", "speak to someone"],
  handoffReply: "I am passing you to a person on our team; they will reply here soon.",
  fallbackReply: "Sorry, I did not understand that. Could you rephrase it? You can also type \"agent\" to talk to a person.",
};

export function botSettingsOf(row: ChannelRow): BotSettings {
  return { ...defaultBotSettings, ...(row.botSettings as Partial<BotSettings>) };
}

export function serializeChannel(ctx: Pick<Ctx, "config">, row: ChannelRow): Channel {
  const settings = row.settings as ChannelSettings;
  return {
    id: row.id,
    platform: row.platform,
    name: row.name,
    botEnabled: row.botEnabled,
    webhookUrl: `${ctx.config.publicUrl}/webhooks/${row.platform}/${row.id}`,
    config: { callbackUrl: settings.callbackUrl ?? null, hasSecret: true },
    health: {
      lastEventAt: row.lastEventAt?.toISOString() ?? null,
      lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
      lastError: row.lastError,
    },
    createdAt: row.createdAt.toISOString(),
  };
}

export function channelSecrets(ctx: Pick<Ctx, "keyring">, row: ChannelRow): ChannelSecrets {
  return JSON.parse(ctx.keyring.decrypt(row.secretsEncrypted)) as ChannelSecrets;
}

export async function createChannel(
  ctx: Ctx,
  scope: Scope,
  input: z.infer<typeof CreateChannelRequest>,
): Promise<{ row: ChannelRow; secret: string }> {
  const secret = input.config.secret ?? randomToken(32);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(channels)
      .values({
        workspaceId: scope.workspaceId,
        platform: input.platform,
        name: input.name,
        botEnabled: input.botEnabled ?? false,
        settings: { callbackUrl: input.config.callbackUrl ?? null },
        secretsEncrypted: ctx.keyring.encrypt(JSON.stringify({ secret } satisfies ChannelSecrets)),
      })
      .returning();
    await recordAudit(tx, scope, "channel.created", "channel", row!.id, { name: input.name, platform: input.platform });
    return { row: row!, secret };
  });
}

export async function updateChannel(
  ctx: Ctx,
  scope: Scope,
  id: string,
  input: z.infer<typeof UpdateChannelRequest>,
): Promise<ChannelRow> {
  return ctx.db.transaction(async (tx) => {
    const current = await getChannelRow(tx, scope, id);
    const patch: Partial<ChannelRow> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.botEnabled !== undefined) patch.botEnabled = input.botEnabled;
    if (input.config?.callbackUrl !== undefined) patch.settings = { ...current.settings, callbackUrl: input.config.callbackUrl };
    if (input.config?.secret !== undefined) patch.secretsEncrypted = ctx.keyring.encrypt(JSON.stringify({ secret: input.config.secret }));
    if (Object.keys(patch).length === 0) return current;
    const [row] = await tx.update(channels).set(patch).where(eq(channels.id, id)).returning();
    await recordAudit(tx, scope, "channel.updated", "channel", id, {
      fields: Object.keys(patch).map((k) => (k === "secretsEncrypted" ? "secret" : k)),
    });
    return row!;
  });
}

export async function getChannelRow(db: Executor, scope: Pick<Scope, "workspaceId">, id: string): Promise<ChannelRow> {
  const [row] = await db.select().from(channels).where(and(eq(channels.workspaceId, scope.workspaceId), eq(channels.id, id)));
  if (!row) throw new NotFound("channel not found");
  return row;
}

export async function listChannelRows(db: Executor, scope: Pick<Scope, "workspaceId">): Promise<ChannelRow[]> {
  return db.select().from(channels).where(eq(channels.workspaceId, scope.workspaceId)).orderBy(asc(channels.createdAt));
}

export async function getBotConfig(db: Executor, scope: Pick<Scope, "workspaceId">, channelId: string) {
  const channel = await getChannelRow(db, scope, channelId);
  const rules = await db.select().from(botRules).where(eq(botRules.channelId, channel.id)).orderBy(asc(botRules.position), asc(botRules.name));
  return { settings: botSettingsOf(channel), rules: rules.map(serializeRule) };
}

export async function putBotConfig(ctx: Ctx, scope: Scope, channelId: string, input: z.infer<typeof BotConfigInput>) {
  await ctx.db.transaction(async (tx) => {
    const channel = await getChannelRow(tx, scope, channelId);
    if (input.settings) {
      await tx
        .update(channels)
        .set({ botSettings: { ...botSettingsOf(channel), ...input.settings } })
        .where(eq(channels.id, channel.id));
    }
    if (input.rules) {
      await tx.delete(botRules).where(eq(botRules.channelId, channel.id));
      if (input.rules.length > 0) {
        await tx.insert(botRules).values(input.rules.map((r, i) => ({ ...r, position: r.position || i, channelId: channel.id })));
      }
    }
    await recordAudit(tx, scope, "bot.updated", "channel", channel.id, { rules: input.rules?.length ?? null });
  });
  return getBotConfig(ctx.db, scope, channelId);
}

function serializeRule(r: typeof botRules.$inferSelect): BotRule {
  return { id: r.id, name: r.name, pattern: r.pattern, matchType: r.matchType, reply: r.reply, position: r.position, enabled: r.enabled };
}
