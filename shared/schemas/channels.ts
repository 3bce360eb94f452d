import { z } from "zod";
import { ChannelConfigs } from "./channel-config.js";
import { isoDate, Platform, uuid } from "./common.js";

export const ApiChannelConfigInput = ChannelConfigs.api;

const channelName = z.string().trim().min(1).max(200);
const create = <P extends keyof typeof ChannelConfigs>(platform: P) =>
  z.object({ platform: z.literal(platform), name: channelName, botEnabled: z.boolean().optional(), config: ChannelConfigs[platform] });

export const CreateChannelRequest = z.discriminatedUnion("platform", [
  z.object({ platform: z.literal("api"), name: channelName, botEnabled: z.boolean().optional(), config: ChannelConfigs.api.default({}) }),
  create("facebook"),
  create("instagram"),
  create("whatsapp"),
  create("x"),
  create("telegram"),
  create("google_reviews"),
  create("trustpilot"),
]);
export type CreateChannelRequest = z.infer<typeof CreateChannelRequest>;

export const UpdateChannelRequest = z
  .object({
    name: channelName,
    botEnabled: z.boolean(),
    /** Only the fields given change; for secrets, a new value replaces the stored one. */
    config: z.record(z.string(), z.unknown()),
  })
  .partial();

export const Channel = z.object({
  id: uuid,
  platform: Platform,
  name: z.string(),
  botEnabled: z.boolean(),
  webhookUrl: z.string(),
  accountId: z.string().nullable(),
  status: z.enum(["active", "needs_reconnect"]),
  statusReason: z.string().nullable(),
  config: z
    .record(z.string(), z.unknown())
    .describe("Non-secret settings (e.g. callbackUrl, pageId, verifyToken, templates); secrets are never returned after creation"),
  secrets: z.array(z.string()).describe("Names of the secrets stored for this channel"),
  setup: z.object({
    verifyToken: z.string().nullable(),
    steps: z.array(z.string()),
  }),
  health: z.object({
    lastEventAt: isoDate.nullable(),
    lastErrorAt: isoDate.nullable(),
    lastError: z.string().nullable(),
    deliveriesPerMinute: z.number().describe("Average over the last 15 minutes"),
  }),
  createdAt: isoDate,
});
export type Channel = z.infer<typeof Channel>;

export const CreatedChannel = Channel.extend({
  generated: z
    .record(z.string(), z.string())
    .describe("Secrets Parley generated (API channel secret, Telegram secret token, Trustpilot webhook token), shown only in this response"),
});

export const ChannelIdParams = z.object({ id: uuid });
export const ChannelList = z.object({ items: z.array(Channel) });

// The bot's configuration lives in bots.ts; re-exported here, where the console has always found it.
export { BotConfig, BotConfigInput, BotRule, BotRuleInput, BotSettings } from "./bots.js";
