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

/** Rule bot rules, stored per channel. */
export const BotRule = z.object({
  id: uuid,
  name: z.string(),
  pattern: z.string(),
  matchType: z.enum(["keyword", "regex"]),
  reply: z.string(),
  position: z.number().int(),
  enabled: z.boolean(),
});
export type BotRule = z.infer<typeof BotRule>;

export const BotRuleInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    matchType: z.enum(["keyword", "regex"]).default("keyword"),
    pattern: z.string().min(1).max(500),
    reply: z.string().trim().min(1).max(4000),
    position: z.number().int().min(0).default(0),
    enabled: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    if (rule.matchType !== "regex") return;
    try {
      new RegExp(rule.pattern, "iu");
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["pattern"], message: `not a valid regular expression: ${(err as Error).message}` });
    }
  });

export const BotSettings = z.object({
  handoffAfterMisses: z.number().int().min(1).max(20).describe("Hand off after this many customer messages in a row match no rule"),
  handoffKeywords: z.array(z.string().min(1)).describe("Phrases that mean the customer asks for a person"),
  handoffReply: z.string().max(4000).nullable().describe("Told to the customer when the bot hands off"),
  fallbackReply: z.string().max(4000).nullable().describe("Sent when no rule matches and no hand-off is due yet"),
});
export type BotSettings = z.infer<typeof BotSettings>;

export const BotConfig = z.object({ settings: BotSettings, rules: z.array(BotRule) });
export const BotConfigInput = z.object({
  settings: BotSettings.partial().optional(),
  rules: z.array(BotRuleInput).max(200).optional(),
});
