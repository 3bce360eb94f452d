import type { ChannelRuntime, ConnectorEnv, OutboundMessage, SendResult } from "../types.js";
import { sendFailureOf } from "./whatsapp-errors.js";

export type WhatsappSettings = {
  phoneNumberId: string;
  verifyToken: string;
  templates?: Array<{ name: string; language: string; body: string }>;
  apiBaseUrl?: string;
};
export type WhatsappSecrets = { appSecret: string; accessToken: string };

/** With the "+", the Cloud API never prepends the business number's country code (CONTRACTS §5.4). */
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
  const url = `${env.baseUrl(channel)}/${encodeURIComponent(channel.settings.phoneNumberId)}/messages`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${channel.secrets.accessToken}` },
      body: JSON.stringify(messageRequest(msg)),
      signal: AbortSignal.timeout(env.config.OUTBOUND_TIMEOUT_MS),
    });
  } catch (err) {
    const timeout = (err as Error).name === "TimeoutError";
    return {
      ok: false,
      retryable: true,
      reason: `WhatsApp could not be reached: ${timeout ? `no answer within ${env.config.OUTBOUND_TIMEOUT_MS} ms` : (err as Error).message}. Parley will try again.`,
    };
  }
  const text = await res.text().catch(() => "");
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // an HTML error page from a proxy: mapped by status below
  }
  if (!res.ok) return sendFailureOf(res.status, body, res.headers);
  const id = (body as { messages?: Array<{ id?: unknown }> } | null)?.messages?.[0]?.id;
  // Accepted without an id cannot be matched to its status webhooks, but it was still accepted.
  return { ok: true, ...(typeof id === "string" ? { externalId: id } : {}) };
}
