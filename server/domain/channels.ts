import { and, asc, eq, gte, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Channel, CreateChannelRequest, UpdateChannelRequest } from "../../shared/schemas/channels.js";
import { ChannelConfigs } from "../../shared/schemas/channel-config.js";
import type { Platform } from "../../shared/schemas/common.js";
import { connectorFor } from "../connectors/registry.js";
import { xAppKey } from "../connectors/x/x-signature.js";
import type { Ctx } from "../context.js";
import type { Executor } from "../db/client.js";
import { channels, inboundEvents } from "../db/schema.js";
import { randomToken } from "./crypto.js";
import { type Scope, BadRequest, Conflict, NotFound } from "./scope.js";
import { recordAudit } from "./audit.js";

type ChannelRow = typeof channels.$inferSelect;

const webhookPath: Record<Platform, (row: ChannelRow) => string> = {
  api: (r) => `/webhooks/api/${r.id}`,
  facebook: () => "/webhooks/meta",
  instagram: () => "/webhooks/meta",
  whatsapp: () => "/webhooks/meta",
  // Each X app has its own URL (see x-webhook.route.ts); channels saved before appKey existed use the shared one.
  x: (r) => (typeof r.settings.appKey === "string" ? `/webhooks/x/app/${r.settings.appKey}` : "/webhooks/x"),
  telegram: (r) => `/webhooks/telegram/${r.id}`,
  google_reviews: (r) => `/webhooks/google/${r.id}/{webhookToken}`,
  trustpilot: (r) => `/webhooks/trustpilot/${r.id}/{webhookToken}`,
};

export function webhookUrlOf(ctx: Pick<Ctx, "config">, row: ChannelRow): string {
  return ctx.config.publicUrl + webhookPath[row.platform](row);
}

export function serializeChannel(ctx: Pick<Ctx, "config">, row: ChannelRow, deliveriesPerMinute = 0): Channel {
  const settings = row.settings as Record<string, unknown>;
  const connector = connectorFor(row.platform);
  const webhookUrl = webhookUrlOf(ctx, row);
  return {
    id: row.id,
    platform: row.platform,
    name: row.name,
    botEnabled: row.botEnabled,
    webhookUrl,
    accountId: row.accountId,
    status: row.status,
    statusReason: row.statusReason,
    config: row.platform === "api" ? { callbackUrl: settings.callbackUrl ?? null, ...settings } : settings,
    secrets: [...connector.secretFields],
    setup: {
      verifyToken: typeof settings.verifyToken === "string" ? settings.verifyToken : null,
      steps: connector.setupSteps({ webhookUrl, settings }),
    },
    health: {
      lastEventAt: row.lastEventAt?.toISOString() ?? null,
      lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
      lastError: row.lastError,
      deliveriesPerMinute,
    },
    createdAt: row.createdAt.toISOString(),
  };
}

/** Agents and supervisors see channels and their health, not how they are connected. */
export function withoutConnectionDetails(channel: Channel): Channel {
  return { ...channel, config: {}, setup: { verifyToken: null, steps: [] } };
}

export function channelSecrets(ctx: Pick<Ctx, "keyring">, row: ChannelRow): Record<string, string> {
  return JSON.parse(ctx.keyring.decrypt(row.secretsEncrypted)) as Record<string, string>;
}

/** Secrets Parley makes when the admin gives none: the API signing secret, Telegram's secret token, Trustpilot's and Google's URL tokens. */
const generatedFields: Partial<Record<Platform, string>> = { api: "secret", telegram: "secretToken", trustpilot: "webhookToken", google_reviews: "webhookToken" };

function splitConfig(platform: Platform, config: Record<string, unknown>) {
  const connector = connectorFor(platform);
  const secrets: Record<string, string> = {};
  const settings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    if (connector.secretFields.includes(k)) secrets[k] = String(v);
    else settings[k] = v;
  }
  if (platform === "x" && secrets.consumerSecret) settings.appKey = xAppKey(secrets.consumerSecret);
  return { secrets, settings, accountId: connector.accountIdOf(config) };
}

async function assertAccountFree(tx: Executor, platform: Platform, accountId: string | null, exceptId?: string) {
  if (!accountId) return;
  const [taken] = await tx
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.platform, platform), eq(channels.accountId, accountId)));
  if (taken && taken.id !== exceptId) throw new Conflict(`this ${platform} account (${accountId}) is already connected to a channel`, "account_taken");
}

export async function createChannel(ctx: Ctx, scope: Scope, input: CreateChannelRequest): Promise<{ row: ChannelRow; generated: Record<string, string> }> {
  const config: Record<string, unknown> = { ...input.config };
  const generated: Record<string, string> = {};
  const field = generatedFields[input.platform];
  if (field && !config[field]) {
    config[field] = randomToken(32);
    generated[field] = config[field] as string;
  }
  const { secrets, settings, accountId } = splitConfig(input.platform, config);
  return ctx.db.transaction(async (tx) => {
    await assertAccountFree(tx, input.platform, accountId);
    const [row] = await tx
      .insert(channels)
      .values({
        workspaceId: scope.workspaceId,
        platform: input.platform,
        name: input.name,
        botEnabled: input.botEnabled ?? false,
        accountId,
        settings,
        secretsEncrypted: ctx.keyring.encrypt(JSON.stringify(secrets)),
      })
      .returning();
    await recordAudit(tx, scope, "channel.created", "channel", row!.id, { name: input.name, platform: input.platform });
    return { row: row!, generated };
  });
}

export async function updateChannel(ctx: Ctx, scope: Scope, id: string, input: z.infer<typeof UpdateChannelRequest>): Promise<ChannelRow> {
  const row = await ctx.db.transaction(async (tx) => {
    const current = await getChannelRow(tx, scope, id);
    const patch: Partial<ChannelRow> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.botEnabled !== undefined) patch.botEnabled = input.botEnabled;
    if (input.config) {
      const merged = { ...(current.settings as Record<string, unknown>), ...channelSecrets(ctx, current), ...input.config };
      const parsed = ChannelConfigs[current.platform].safeParse(merged);
      if (!parsed.success) throw new BadRequest(`invalid config: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`, "invalid_config");
      const { secrets, settings, accountId } = splitConfig(current.platform, parsed.data as Record<string, unknown>);
      // The demo seed's mark is no config field: keep it across edits.
      if ((current.settings as { demo?: unknown }).demo === true) settings.demo = true;
      await assertAccountFree(tx, current.platform, accountId, current.id);
      Object.assign(patch, { settings, accountId, secretsEncrypted: ctx.keyring.encrypt(JSON.stringify(secrets)) });
      // New credentials are the way out of "needs reconnect".
      if (Object.keys(input.config).some((k) => connectorFor(current.platform).secretFields.includes(k))) {
        Object.assign(patch, { status: "active", statusReason: null });
      }
    }
    if (Object.keys(patch).length === 0) return current;
    const [row] = await tx.update(channels).set(patch).where(eq(channels.id, id)).returning();
    await recordAudit(tx, scope, "channel.updated", "channel", id, {
      fields: [...Object.keys(patch).filter((k) => k !== "secretsEncrypted" && k !== "settings"), ...Object.keys(input.config ?? {})],
    });
    return row!;
  });
  // Open consoles learn at once that the channel works again (or changed).
  await ctx.bus.publish([{ type: "channel.updated", workspaceId: row.workspaceId, channelId: row.id }]);
  return row;
}

/** Deliveries per minute over the last 15 minutes, per channel of the workspace. */
export async function deliveryRates(db: Executor, scope: Pick<Scope, "workspaceId">): Promise<Map<string, number>> {
  const since = new Date(Date.now() - 15 * 60_000);
  const rows = await db
    .select({ channelId: inboundEvents.channelId, n: sql<number>`count(*)::int` })
    .from(inboundEvents)
    .where(and(eq(inboundEvents.workspaceId, scope.workspaceId), gte(inboundEvents.receivedAt, since)))
    .groupBy(inboundEvents.channelId);
  return new Map(rows.map((r) => [r.channelId!, Math.round((Number(r.n) / 15) * 100) / 100]));
}

export async function getChannelRow(db: Executor, scope: Pick<Scope, "workspaceId">, id: string): Promise<ChannelRow> {
  const [row] = await db.select().from(channels).where(and(eq(channels.workspaceId, scope.workspaceId), eq(channels.id, id)));
  if (!row) throw new NotFound("channel not found");
  return row;
}

export async function listChannelRows(db: Executor, scope: Pick<Scope, "workspaceId">): Promise<ChannelRow[]> {
  return db.select().from(channels).where(eq(channels.workspaceId, scope.workspaceId)).orderBy(asc(channels.createdAt));
}
