import { z } from "zod";

/**
 * What an admin gives when connecting each platform. Fields named here as secrets are encrypted at
 * rest and never returned; the rest are settings shown on the channel.
 */
const secret = (what: string) => z.string().trim().min(1, `${what} is required`).max(4096);
const id = (what: string) => z.string().trim().regex(/^[0-9A-Za-z_.:-]{1,100}$/, `${what}: letters, digits, _ . : - only`);
const verifyToken = z.string().trim().min(8, "must be at least 8 characters").max(200);

export const WhatsappTemplate = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15).default("en_US"),
  /** The approved body text with {{1}}, {{2}} … placeholders, shown to the agent. */
  body: z.string().min(1).max(1024),
});
export type WhatsappTemplate = z.infer<typeof WhatsappTemplate>;

export const ChannelConfigs = {
  api: z.object({
    secret: z.string().min(16, "must be at least 16 characters").max(256).optional(),
    callbackUrl: z.url({ protocol: /^https?$/ }).nullable().optional().describe("Where replies are POSTed; null clears it"),
  }),
  facebook: z.object({
    pageId: id("pageId"),
    appSecret: secret("appSecret"),
    verifyToken,
    accessToken: secret("accessToken"),
    humanAgentTag: z.boolean().default(true).describe("Agents may reply up to 7 days after the customer's last message (Meta's HUMAN_AGENT tag)"),
  }),
  instagram: z.object({
    igUserId: id("igUserId"),
    appSecret: secret("appSecret"),
    verifyToken,
    accessToken: secret("accessToken"),
    humanAgentTag: z.boolean().default(true),
  }),
  whatsapp: z.object({
    phoneNumberId: id("phoneNumberId"),
    appSecret: secret("appSecret"),
    verifyToken,
    accessToken: secret("accessToken"),
    templates: z.array(WhatsappTemplate).max(100).default([]),
  }),
  x: z.object({
    userId: id("userId"),
    consumerSecret: secret("consumerSecret"),
    accessToken: secret("accessToken"),
    /** Self-serve X plans may only reply to posts that mention the account. */
    selfServe: z.boolean().default(true),
  }),
  telegram: z.object({
    botToken: z.string().trim().regex(/^\d+:[A-Za-z0-9_-]{10,}$/, "botToken: expected the form 123456:ABC… from @BotFather"),
    secretToken: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "secretToken: 1-256 characters A-Z a-z 0-9 _ -")
      .optional()
      .describe("Generated when absent; give it to setWebhook"),
  }),
  google_reviews: z.object({
    accountId: id("accountId"),
    locationId: id("locationId"),
    accessToken: secret("accessToken"),
    /** When set, pushes must carry a Google-signed OIDC token for this audience. */
    pushAudience: z.string().max(500).optional(),
    pushServiceAccount: z.email().optional(),
    webhookToken: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,200}$/, "webhookToken: 16-200 characters A-Z a-z 0-9 _ -")
      .optional()
      .describe("The secret path segment of the push endpoint URL; generated when absent"),
  }),
  trustpilot: z.object({
    businessUnitId: id("businessUnitId"),
    accessToken: secret("accessToken"),
    businessUserId: z.string().max(100).optional().describe("Author of replies (authorBusinessUserId)"),
    webhookToken: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,200}$/, "webhookToken: 16-200 characters A-Z a-z 0-9 _ -")
      .optional()
      .describe("The secret path segment of the webhook URL; generated when absent"),
  }),
} as const;

export type ChannelPlatform = keyof typeof ChannelConfigs;
export type ChannelConfigInput<P extends ChannelPlatform> = z.infer<(typeof ChannelConfigs)[P]>;
