import type { Ctx } from "../context.js";
import type { channels } from "../db/schema.js";
import type { Platform } from "../../shared/schemas/common.js";
import type { ChannelRuntime, ConnectorEnv } from "./types.js";

type ChannelRow = typeof channels.$inferSelect;

/** A channel with its secrets decrypted, for a connector's use only. */
export function channelRuntime(ctx: Pick<Ctx, "keyring">, row: ChannelRow): ChannelRuntime<any, any> {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    platform: row.platform,
    accountId: row.accountId,
    settings: row.settings,
    secrets: JSON.parse(ctx.keyring.decrypt(row.secretsEncrypted)) as Record<string, string>,
  };
}

const baseUrlSetting: Record<Platform, (c: Ctx["config"]) => string | null> = {
  api: () => null,
  facebook: (c) => c.META_GRAPH_URL,
  instagram: (c) => c.META_GRAPH_URL,
  whatsapp: (c) => c.META_GRAPH_URL,
  x: (c) => c.X_API_URL,
  telegram: (c) => c.TELEGRAM_API_URL,
  google_reviews: (c) => c.GOOGLE_BUSINESS_URL,
  trustpilot: (c) => c.TRUSTPILOT_API_URL,
};

export function connectorEnv(ctx: Pick<Ctx, "config" | "log">): ConnectorEnv {
  return {
    config: ctx.config,
    log: ctx.log,
    baseUrl(channel) {
      const own = (channel.settings as { apiBaseUrl?: string }).apiBaseUrl;
      return (own ?? baseUrlSetting[channel.platform](ctx.config) ?? "").replace(/\/$/, "");
    },
  };
}
