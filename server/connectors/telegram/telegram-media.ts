import { downloadMedia } from "../../media/download.js";
import { callPlatform } from "../platform-http.js";
import { sendParts } from "../send-parts.js";
import type { ChannelRuntime, ConnectorEnv, MediaFetch, MediaSource, OutboundAttachment, OutboundMessage, SendResult } from "../types.js";
import { telegramFailure, type TelegramSecrets, type TelegramSettings } from "./telegram-send.js";
import { messageKey } from "./telegram-normalize.js";

type Channel = ChannelRuntime<TelegramSettings, TelegramSecrets>;
const CAPTION_MAX = 1024;

/**
 * Inbound files: getFile resolves the file_id to a path, downloaded from /file/bot<token>/<path>.
 * Both URLs hold the bot token, so neither is stored or logged. Bots may download at most 20 MB.
 */
export async function fetchTelegramMedia(channel: Channel, source: MediaSource, env: ConnectorEnv, opts: { maxBytes: number }): Promise<MediaFetch> {
  const token = channel.secrets.botToken;
  if (!source.ref || !token) return { ok: false, retryable: false, reason: "Telegram gave no file id for this file." };
  const base = env.baseUrl(channel);
  const reply = await callPlatform(`${base}/bot${token}/getFile?file_id=${encodeURIComponent(source.ref)}`, { method: "GET" }, env.config.OUTBOUND_TIMEOUT_MS, env.targets(channel));
  if (!reply.reached) return { ok: false, retryable: true, reason: `Telegram could not be reached to fetch the file (${reply.reason}).` };
  const answer = (reply.json ?? {}) as { ok?: boolean; result?: { file_path?: string }; description?: string; error_code?: number };
  if (!answer.ok || !answer.result?.file_path) {
    if (/too big/i.test(answer.description ?? "")) return { ok: false, retryable: false, reason: "Telegram does not let bots download files larger than 20 MB: open it in Telegram." };
    const retryable = reply.status >= 500 || reply.status === 429;
    return { ok: false, retryable, reason: `Telegram did not hand over the file${answer.description ? `: ${answer.description}` : ""}.` };
  }
  const path = answer.result.file_path.split("/").map(encodeURIComponent).join("/");
  return downloadMedia(`${base}/file/bot${token}/${path}`, {}, { platform: "Telegram", maxBytes: opts.maxBytes, policy: env.targets(channel) });
}

/** The Bot API method and field for a file: photos, videos and audio play in the chat; the rest are documents. */
function methodFor(a: OutboundAttachment): { method: string; field: string } {
  if (["image/jpeg", "image/png", "image/webp"].includes(a.mimeType)) return { method: "sendPhoto", field: "photo" };
  if (a.mimeType === "video/mp4") return { method: "sendVideo", field: "video" };
  if (a.mimeType === "audio/mpeg" || a.mimeType === "audio/mp4") return { method: "sendAudio", field: "audio" };
  if (a.mimeType === "audio/ogg") return { method: "sendVoice", field: "voice" };
  return { method: "sendDocument", field: "document" };
}

/**
 * A reply with files: one upload call per file (multipart), the text as the first file's caption
 * when it fits, otherwise sent first with sendMessage. The first part answers the customer's message.
 */
export function sendTelegramFiles(channel: Channel, msg: OutboundMessage, env: ConnectorEnv, chatId: number | string, replyTo: number | undefined, sendText: (m: OutboundMessage) => Promise<SendResult>) {
  const captioned = Boolean(msg.text) && msg.text.length <= CAPTION_MAX;
  const parts: Array<() => Promise<SendResult>> = [];
  if (msg.text && !captioned) parts.push(() => sendText({ ...msg, attachments: [] }));
  for (const [i, a] of msg.attachments.entries()) {
    parts.push(async () => {
      const { method, field } = methodFor(a);
      const form = new FormData();
      form.set("chat_id", String(chatId));
      if (i === 0 && captioned) form.set("caption", msg.text);
      if (i === 0 && replyTo && captioned) form.set("reply_parameters", JSON.stringify({ message_id: replyTo }));
      form.set(field, new Blob([new Uint8Array(await a.read())], { type: a.mimeType }), a.name);
      const reply = await callPlatform(`${env.baseUrl(channel)}/bot${channel.secrets.botToken}/${method}`, { method: "POST", body: form }, Math.max(env.config.OUTBOUND_TIMEOUT_MS, 60_000), env.targets(channel));
      if (!reply.reached) return { ok: false, retryable: true, reason: `Telegram could not be reached (${reply.reason}); retrying.` };
      const answer = (reply.json ?? {}) as { ok?: boolean; result?: { message_id?: number; chat?: { id?: number } } };
      if (!reply.ok || !answer.ok) return telegramFailure(reply.status, answer);
      const id = answer.result?.message_id;
      return { ok: true as const, ...(id ? { externalId: messageKey(answer.result?.chat?.id ?? chatId, id) } : {}) };
    });
  }
  return sendParts(parts, msg.partsSent);
}
