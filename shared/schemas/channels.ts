import { z } from "zod";
import { isoDate, Platform, uuid } from "./common.js";

export const ApiChannelConfigInput = z.object({
  secret: z.string().min(16, "must be at least 16 characters").max(256).optional(),
  callbackUrl: z.url({ protocol: /^https?$/ }).nullable().optional().describe("Where replies are POSTed; null clears it"),
});

export const CreateChannelRequest = z.object({
  platform: z.literal("api"),
  name: z.string().trim().min(1).max(200),
  botEnabled: z.boolean().optional(),
  config: ApiChannelConfigInput.default({}),
});

export const UpdateChannelRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    botEnabled: z.boolean(),
    config: ApiChannelConfigInput,
  })
  .partial();

export const Channel = z.object({
  id: uuid,
  platform: Platform,
  name: z.string(),
  botEnabled: z.boolean(),
  webhookUrl: z.string(),
  config: z
    .object({
      callbackUrl: z.string().nullable(),
      hasSecret: z.boolean(),
    })
    .describe("Non-secret settings; secrets are never returned after creation"),
  health: z.object({
    lastEventAt: isoDate.nullable(),
    lastErrorAt: isoDate.nullable(),
    lastError: z.string().nullable(),
  }),
  createdAt: isoDate,
});
export type Channel = z.infer<typeof Channel>;

export const CreatedChannel = Channel.extend({
  config: Channel.shape.config.extend({
    secret: z.string().describe("The webhook signing secret, shown only in this response"),
  }),
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
