import type { Ctx } from "../context.js";
import type { channels } from "../db/schema.js";
import type { Platform } from "../../shared/schemas/common.js";
import type { TargetPolicy } from "../security/address-policy.js";
import { demoPorts } from "../demo-social.js";
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
    secrets: { ...secretsOf(ctx.keyring, row.secretsEncrypted) },
  };
}

/**
 * Decrypted secrets by their stored box, per keyring: every webhook and every delivery needs its
 * channel's secrets, and decrypting them each time was a visible share of the ingest CPU. A changed
 * secret is a new box, so nothing stale is ever served; the map is bounded like the channel cache.
 */
const decrypted = new WeakMap<Ctx["keyring"], Map<string, Record<string, string>>>();
function secretsOf(keyring: Ctx["keyring"], box: string): Record<string, string> {
  let byBox = decrypted.get(keyring);
  if (!byBox) decrypted.set(keyring, (byBox = new Map()));
  let secrets = byBox.get(box);
  if (!secrets) {
    secrets = JSON.parse(keyring.decrypt(box)) as Record<string, string>;
    if (byBox.size >= 10_000) byBox.clear();
    byBox.set(box, secrets);
  }
  return secrets;
}

/**
 * Platform API addresses come from the environment only: nothing stored on a channel can point a
 * connector (and the channel's access token) at another host.
 */
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

/** PARLEY_DEMO's channels talk to `npm run simulate`'s fakes on 127.0.0.1, at ports derived from SIMULATE_PORT_BASE. */
function demoBaseUrl(config: Ctx["config"], platform: Platform): string | null {
  const ports = demoPorts(config.SIMULATE_PORT_BASE);
  const local = (port: number, path = "") => `http://127.0.0.1:${port}${path}`;
  const byPlatform: Record<Platform, string | null> = {
    api: null,
    facebook: local(ports.meta, "/v25.0"),
    instagram: local(ports.meta, "/v25.0"),
    whatsapp: local(ports.whatsapp),
    x: local(ports.x),
    telegram: local(ports.telegram),
    google_reviews: local(ports.google),
    trustpilot: local(ports.trustpilot),
  };
  return byPlatform[platform];
}

/** A channel the demo seed made (settings.demo, which no API request can set), while PARLEY_DEMO is on. */
export const isDemoChannel = (config: Ctx["config"], channel: Pick<ChannelRuntime<any, any>, "settings">) =>
  config.PARLEY_DEMO && (channel.settings as { demo?: unknown } | null)?.demo === true;

/**
 * Where a channel's outbound calls may go. Demo channels may also reach exactly the simulator's
 * local ports and Parley's own address (the demo callback), nothing else private.
 */
export function targetPolicyFor(config: Ctx["config"], channel?: Pick<ChannelRuntime<any, any>, "settings">): TargetPolicy {
  if (config.ALLOW_PRIVATE_TARGETS || !channel || !isDemoChannel(config, channel)) return { allowPrivate: config.ALLOW_PRIVATE_TARGETS };
  const ports = Object.values(demoPorts(config.SIMULATE_PORT_BASE));
  return { allowPrivate: false, trustedOrigins: new Set([...ports.map((p) => `http://127.0.0.1:${p}`), new URL(config.publicUrl).origin]) };
}

export function connectorEnv(ctx: Pick<Ctx, "config" | "log">): ConnectorEnv {
  return {
    config: ctx.config,
    log: ctx.log,
    baseUrl(channel) {
      const url = (isDemoChannel(ctx.config, channel) ? demoBaseUrl(ctx.config, channel.platform) : null) ?? baseUrlSetting[channel.platform](ctx.config) ?? "";
      return url.replace(/\/$/, "");
    },
    targets: (channel) => targetPolicyFor(ctx.config, channel),
  };
}
