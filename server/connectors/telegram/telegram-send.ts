import { callPlatform, jsonRequest } from "../platform-http.js";
import type { TargetPolicy } from "../../security/address-policy.js";
import type { ChannelRuntime, ConnectorEnv, OutboundMessage, SendFailure, SendResult } from "../types.js";
import { messageKey } from "./telegram-normalize.js";
import { sendTelegramFiles } from "./telegram-media.js";

export type TelegramSecrets = { botToken: string; secretToken: string };
export type TelegramSettings = Record<string, unknown>;

/** Telegram's answer to every method: `{ok:true,result}` or `{ok:false,error_code,description,parameters?}`. */
export type TgAnswer = {
  ok?: boolean;
  result?: { message_id?: number; chat?: { id?: number } };
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
};

export const BLOCKED_SEND_REASON = "The customer blocked the bot; Telegram will not deliver messages until they restart it.";

/** Telegram chat ids are integers (up to 52 bits, safe in a JS number); `@channel` names stay strings. */
const chatIdOf = (id: string): number | string => (/^-?\d+$/.test(id) ? Number(id) : id);

/** `<chat id>:<message id>` (or a bare message id) → the message id Telegram knows. */
function replyTarget(externalId: string | null): number | undefined {
  if (!externalId) return undefined;
  const id = Number(externalId.slice(externalId.lastIndexOf(":") + 1));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** Telegram's error answer in words a support agent can act on. */
export function telegramFailure(status: number, answer: TgAnswer): SendFailure {
  const code = answer.error_code ?? status;
  const description = (answer.description ?? "").trim() || `HTTP ${status}`;
  const base = { code: String(code) };
  if (code === 429) {
    const seconds = answer.parameters?.retry_after;
    return {
      ...base,
      ok: false,
      retryable: true,
      reason: `Telegram is rate limiting this bot${seconds ? `: retrying in ${seconds} s` : ""}.`,
      ...(typeof seconds === "number" ? { retryAfterMs: seconds * 1000 } : {}),
    };
  }
  if (code === 403 && /blocked by the user/i.test(description)) {
    return { ...base, ok: false, retryable: false, contactBlocked: true, reason: BLOCKED_SEND_REASON };
  }
  if (code === 403) {
    // Kicked from a group, user deactivated, can't initiate a chat…: this chat cannot be messaged.
    return { ...base, ok: false, retryable: false, contactBlocked: true, reason: `Telegram refused to deliver to this chat: ${description}.` };
  }
  if (code === 401 || code === 404) {
    return {
      ...base,
      ok: false,
      retryable: false,
      needsReconnect: true,
      reason: `Telegram does not accept the bot token (${description}): it was revoked or mistyped. An admin must paste the current token from @BotFather.`,
    };
  }
  if (code === 400 && answer.parameters?.migrate_to_chat_id) {
    return { ...base, ok: false, retryable: false, reason: `This group became a supergroup (new id ${answer.parameters.migrate_to_chat_id}); answer in the new conversation once the customer writes there.` };
  }
  if (code >= 500 || status >= 500) return { ...base, ok: false, retryable: true, reason: `Telegram is having trouble (${description}); retrying.` };
  return { ...base, ok: false, retryable: false, reason: `Telegram refused the message: ${description}.` };
}

async function callSendMessage(url: string, body: Record<string, unknown>, env: ConnectorEnv, policy: TargetPolicy): Promise<{ status: number; answer: TgAnswer } | SendFailure> {
  // The URL holds the token: callPlatform's reasons never include it.
  const reply = await callPlatform(url, jsonRequest("POST", null, body), env.config.OUTBOUND_TIMEOUT_MS, policy);
  if (!reply.reached) return { ok: false, retryable: true, reason: `Telegram could not be reached (${reply.reason}); retrying.` };
  // a proxy's HTML error page has no JSON: the status says enough
  return { status: reply.status, answer: (reply.json ?? {}) as TgAnswer };
}

/** POST {base}/bot<token>/sendMessage, answering the customer's message when there is one. */
export async function sendTelegramMessage(channel: ChannelRuntime<TelegramSettings, TelegramSecrets>, msg: OutboundMessage, env: ConnectorEnv): Promise<SendResult> {
  const token = channel.secrets.botToken;
  if (!token) return { ok: false, retryable: false, needsReconnect: true, reason: "This channel has no bot token. An admin must paste it from @BotFather." };
  if (!msg.contactExternalId) return { ok: false, retryable: false, reason: "This conversation has no Telegram chat to answer." };
  const url = `${env.baseUrl(channel)}/bot${token}/sendMessage`;
  const chatId = chatIdOf(msg.contactExternalId);
  const replyTo = replyTarget(msg.replyToExternalId);
  if (msg.attachments.length) return sendTelegramFiles(channel, msg, env, chatId, replyTo, (m) => sendTelegramMessage(channel, m, env));
  const body: Record<string, unknown> = { chat_id: chatId, text: msg.text, ...(replyTo ? { reply_parameters: { message_id: replyTo } } : {}) };

  let sent = await callSendMessage(url, body, env, env.targets(channel));
  // The customer deleted the message being answered: send the reply on its own rather than fail it.
  if ("status" in sent && replyTo && sent.answer.error_code === 400 && /replied not found|reply message not found/i.test(sent.answer.description ?? "")) {
    delete body.reply_parameters;
    sent = await callSendMessage(url, body, env, env.targets(channel));
  }
  if (!("status" in sent)) return sent;
  const { status, answer } = sent;
  if (status >= 200 && status < 300 && answer.ok) {
    const messageId = answer.result?.message_id;
    return { ok: true, ...(messageId ? { externalId: messageKey(answer.result?.chat?.id ?? chatId, messageId) } : {}) };
  }
  return telegramFailure(status, answer);
}
