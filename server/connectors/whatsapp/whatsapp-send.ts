import { callPlatform, jsonRequest } from "../platform-http.js";
import type { ChannelRuntime, ConnectorEnv, OutboundMessage, SendResult } from "../types.js";
import { sendFailureOf } from "./whatsapp-errors.js";
import { sendWhatsappFiles } from "./whatsapp-media.js";

export type WhatsappSettings = {
  phoneNumberId: string;
  verifyToken: string;
  templates?: Array<{ name: string; language: string; body: string }>;
};
export type WhatsappSecrets = { appSecret: string; accessToken: string };

/** With the "+", the Cloud API never prepends the business number's country code (docs/platform-contracts.md §5.4). */
const recipientOf = (waId: string) => (waId.startsWith("+") ? waId : `+${waId}`);

/** The body of POST /{phone-number-id}/messages, in the shape of whatsapp-send-*-request.json. */
export function messageRequest(msg: OutboundMessage): Record<string, unknown> {
  const head = { messaging_product: "whatsapp", recipient_type: "individual", to: recipientOf(msg.contactExternalId) };
  if (msg.surface === "template" && msg.template) {
    const { name, language, params } = msg.template;
    return {
      ...head,
      type: "template",
      template: {
        name,
        language: { code: language },
        ...(params.length ? { components: [{ type: "body", parameters: params.map((text) => ({ type: "text", text })) }] } : {}),
      },
    };
  }
  // Quote the customer's message being answered, as the WhatsApp app does for a contextual reply.
  const quote = msg.replyToExternalId?.startsWith("wamid.") ? { context: { message_id: msg.replyToExternalId } } : {};
  return { ...head, type: "text", ...quote, text: { preview_url: false, body: msg.text } };
}

export async function sendWhatsapp(channel: ChannelRuntime<WhatsappSettings, WhatsappSecrets>, msg: OutboundMessage, env: ConnectorEnv): Promise<SendResult> {
  if (!msg.contactExternalId) return { ok: false, retryable: false, reason: "This conversation has no WhatsApp number to write to." };
  if (msg.surface === "template" && !msg.template) {
    return { ok: false, retryable: false, reason: "This template message lost its template details: send it again from the template list." };
  }
  if (msg.attachments.length && msg.surface !== "template") {
    const head = { messaging_product: "whatsapp", recipient_type: "individual", to: recipientOf(msg.contactExternalId) };
    return sendWhatsappFiles(channel, msg, env, (m) => sendWhatsapp(channel, m, env), head);
  }
  const url = `${env.baseUrl(channel)}/${encodeURIComponent(channel.settings.phoneNumberId)}/messages`;
  const reply = await callPlatform(url, jsonRequest("POST", channel.secrets.accessToken, messageRequest(msg)), env.config.OUTBOUND_TIMEOUT_MS, env.targets(channel));
  if (!reply.reached) return { ok: false, retryable: true, reason: `WhatsApp could not be reached: ${reply.reason}. Parley will try again.` };
  if (!reply.ok) return sendFailureOf(reply.status, reply.json, reply.headers);
  const id = (reply.json as { messages?: Array<{ id?: unknown }> } | null)?.messages?.[0]?.id;
  // Accepted without an id cannot be matched to its status webhooks, but it was still accepted.
  return { ok: true, ...(typeof id === "string" ? { externalId: id } : {}) };
}
