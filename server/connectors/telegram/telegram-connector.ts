import type { Connector } from "../types.js";
import { normalizeUpdate, type TgUpdate } from "./telegram-normalize.js";
import { sendTelegramMessage, type TelegramSecrets, type TelegramSettings } from "./telegram-send.js";
import { fetchTelegramMedia } from "./telegram-media.js";
import { attachmentRules } from "../attachment-rules.js";

/** The bot's own id: the digits before ":" in the token @BotFather gives (`123456:ABC…`). */
export function botIdOf(token: unknown): string | null {
  const m = typeof token === "string" ? /^(\d+):/.exec(token.trim()) : null;
  return m ? m[1]! : null;
}

/**
 * Telegram Bot API: one channel per bot. Updates arrive on the channel's own webhook URL with the
 * secret token header; replies go out with sendMessage. Private chats and groups are conversations
 * (see telegram-normalize.ts); channel posts are ignored. There is no reply window and no moderation.
 */
export const telegramConnector: Connector<TelegramSettings, TelegramSecrets> = {
  platform: "telegram",
  label: "Telegram",
  capabilities: { surfaces: { dm: ["reply"] }, moderation: {}, replyWindowHours: null, maxLength: 4096, attachments: { dm: attachmentRules.telegram } },
  secretFields: ["botToken", "secretToken"],
  accountIdOf: (config) => botIdOf(config.botToken),
  // Bot FAQ: about 30 messages per second per bot in bulk. Telegram also asks for at most 1 message
  // per second per chat and 20 per minute per group; the framework limits per channel only, so those
  // are left to Telegram's 429 + retry_after, which send() honours exactly.
  rateLimits: [
    { limit: 30, windowSeconds: 1 },
    // Telegram asks for no more than about one message per second in one chat.
    { limit: 1, windowSeconds: 1, per: "contact" },
  ],
  setupSteps: ({ webhookUrl }) => [
    "Create the bot with @BotFather and paste its token here (it looks like 123456789:AAE…).",
    `Point the bot at Parley: POST https://api.telegram.org/bot<token>/setWebhook with url=${webhookUrl} and secret_token=<the secret token shown once when this channel was created> ` +
      `(e.g. curl -F "url=${webhookUrl}" -F "secret_token=<secret token>" -F 'allowed_updates=["message","edited_message","my_chat_member"]' https://api.telegram.org/bot<token>/setWebhook).`,
    "Telegram only calls HTTPS URLs on ports 443, 80, 88 or 8443. Check the result with getWebhookInfo (last_error_message shows refused deliveries).",
    "Customers write to the bot in a private chat; in a group the whole group is one conversation (turn the bot's privacy mode off in @BotFather to receive every group message).",
  ],

  async normalize(payload) {
    return normalizeUpdate(JSON.parse(payload) as TgUpdate);
  },

  send: sendTelegramMessage,
  fetchMedia: fetchTelegramMedia,
};
