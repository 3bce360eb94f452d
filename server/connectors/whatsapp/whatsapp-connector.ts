import type { Connector } from "../types.js";
import { normalizeWhatsapp } from "./whatsapp-normalize.js";
import { fetchWhatsappMedia } from "./whatsapp-media.js";
import { sendWhatsapp, type WhatsappSecrets, type WhatsappSettings } from "./whatsapp-send.js";
import { attachmentRules } from "../attachment-rules.js";

/**
 * WhatsApp Cloud API: customers' messages and delivery statuses arrive on the shared Meta webhook
 * (routed by phone number id); replies and templates go to POST /{phone-number-id}/messages.
 */
export const whatsappConnector: Connector<WhatsappSettings, WhatsappSecrets> = {
  platform: "whatsapp",
  label: "WhatsApp",
  capabilities: {
    surfaces: { dm: ["reply", "template"] },
    moderation: {},
    // Free-form messages only within 24 h of the customer's last one; templates after. No human-agent tag.
    replyWindowHours: 24,
    maxLength: 4096,
    attachments: { dm: attachmentRules.whatsapp },
  },
  secretFields: ["appSecret", "accessToken"],
  accountIdOf: (config) => (typeof config.phoneNumberId === "string" ? config.phoneNumberId.trim() : null),
  // Cloud API throughput: 80 messages per second per number by default.
  rateLimits: [{ limit: 80, windowSeconds: 1 }],
  setupSteps: ({ webhookUrl, settings }) => [
    `In the Meta App Dashboard, open WhatsApp > Configuration and set the callback URL to ${webhookUrl} with the verify token "${settings.verifyToken}".`,
    'Subscribe the webhook to the "messages" field.',
    `Use the phone number id ${settings.phoneNumberId} and a system-user access token with the whatsapp_business_messaging permission.`,
    "Add the approved message templates (name, language, body with {{1}} placeholders) so agents can write after the 24-hour window.",
  ],

  async normalize(payload, channel) {
    return normalizeWhatsapp(payload, channel.settings.phoneNumberId ?? channel.accountId);
  },

  send: sendWhatsapp,
  fetchMedia: fetchWhatsappMedia,
};
