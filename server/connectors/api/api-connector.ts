import type { z } from "zod";
import { ApiInboundEvent, type ApiOutboundCallback } from "../../../shared/schemas/webhooks.js";
import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";
import { signBody } from "../../domain/crypto.js";
import { callPlatform } from "../platform-http.js";
import { sanitizeReason } from "../../security/hostile-input.js";
import type { Connector, SendResult } from "../types.js";
import { attachmentRules } from "../attachment-rules.js";

export type ApiSecrets = { secret: string };
export type ApiSettings = { callbackUrl?: string | null };

/**
 * The generic API channel: any system posts signed JSON events; replies go to its callback URL,
 * signed the same way.
 */
export const apiConnector: Connector<ApiSettings, ApiSecrets> = {
  platform: "api",
  label: "API",
  capabilities: { surfaces: { dm: ["reply"] }, moderation: {}, replyWindowHours: null, maxLength: 4000, attachments: { dm: attachmentRules.api } },
  secretFields: ["secret"],
  accountIdOf: () => null,
  rateLimits: [],
  setupSteps: ({ webhookUrl }) => [
    `POST each customer message to ${webhookUrl}, signed with the header X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the channel secret>.`,
    "Set a callback URL to receive replies; they are POSTed as JSON, signed the same way.",
  ],

  async normalize(payload) {
    const event = ApiInboundEvent.parse(JSON.parse(payload));
    const out: NormalizedEventInput[] = [];
    if ("message" in event) {
      out.push({
        type: "message",
        thread: { kind: "dm", key: `contact:${event.contact.externalId}` },
        contact: { externalId: event.contact.externalId, name: event.contact.name },
        message: { externalId: event.message.externalId, text: event.message.text },
      });
    } else {
      out.push({ type: "receipt", messageId: event.receipt.messageId, status: event.receipt.status, reason: event.receipt.reason });
    }
    return out;
  },

  async send(channel, msg, env): Promise<SendResult> {
    const { callbackUrl } = channel.settings;
    if (!callbackUrl) return { ok: false, retryable: false, reason: "This channel has no callback URL, so replies cannot be delivered" };
    const callback: z.infer<typeof ApiOutboundCallback> = {
      conversationId: msg.conversationId,
      messageId: msg.messageId,
      contact: { externalId: msg.contactExternalId },
      text: msg.text,
      ...(msg.attachments.length
        ? {
            attachments: msg.attachments.map((a) => ({
              id: a.id,
              type: a.type,
              name: a.name,
              mimeType: a.mimeType,
              size: a.size,
              url: a.url,
              expiresAt: new Date(Number(new URL(a.url).searchParams.get("expires")) * 1000).toISOString(),
            })),
          }
        : {}),
    };
    const body = JSON.stringify(callback);
    const reply = await callPlatform(
      callbackUrl,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-parley-signature": signBody(channel.secrets.secret, body),
          // Lets the receiver drop a resend after a crash between its answer and our bookkeeping.
          "idempotency-key": msg.messageId,
        },
        body,
      },
      env.config.OUTBOUND_TIMEOUT_MS,
      env.targets(channel),
    );
    if (!reply.reached) return { ok: false, retryable: !reply.refused, reason: `Callback unreachable: ${reply.reason}` };
    if (reply.status >= 300 && reply.status < 400) {
      return { ok: false, retryable: false, reason: `Callback answered ${reply.status} (a redirect); Parley does not follow redirects: set the final URL as the callback URL` };
    }
    if (!reply.ok) {
      // The body is not shown as is (it could be anything the target returns): only a JSON error message, sanitised.
      const said = errorMessageOf(reply.json);
      return { ok: false, retryable: true, reason: `Callback answered ${reply.status}${said ? `: ${said}` : ""}` };
    }
    // a 2xx without JSON is still a delivery
    const externalId = (reply.json as { externalId?: unknown } | null)?.externalId;
    return { ok: true, ...(typeof externalId === "string" ? { externalId } : {}) };
  },
};

/** `{"error": "…"}` or `{"message": "…"}` from a callback's answer, made safe to show; nothing else of the body. */
function errorMessageOf(json: unknown): string | null {
  if (!json || typeof json !== "object") return null;
  const { error, message } = json as { error?: unknown; message?: unknown };
  const text = typeof error === "string" ? error : typeof message === "string" ? message : null;
  return text ? sanitizeReason(text, 200) || null : null;
}
