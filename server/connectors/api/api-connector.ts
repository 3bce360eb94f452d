import { ApiInboundEvent, ApiInboundMessage, ApiInboundReceipt } from "../../../shared/schemas/webhooks.js";
import type { NormalizedEvent } from "../../../shared/schemas/normalized.js";
import { signBody, verifySignature } from "../../domain/crypto.js";
import type { Connector, SendResult } from "../types.js";

export type ApiSecrets = { secret: string };
export type ApiSettings = { callbackUrl?: string | null };

export const SIGNATURE_HEADER = "x-parley-signature";

/**
 * The generic API channel: any system posts signed JSON events; replies go to its callback URL,
 * signed the same way.
 */
export const apiConnector: Connector<ApiSecrets, ApiSettings> = {
  platform: "api",
  capabilities: {
    publicReply: true,
    privateReply: false,
    hide: false,
    delete: false,
    reviewReply: false,
    replyWindowHours: null,
    maxLength: 4000,
  },

  verify(secrets, rawBody, headers) {
    const header = headers[SIGNATURE_HEADER];
    if (!header) return { ok: false, reason: "missing X-Parley-Signature header" };
    if (Array.isArray(header)) return { ok: false, reason: "more than one X-Parley-Signature header" };
    if (!verifySignature(secrets.secret, rawBody, header)) return { ok: false, reason: "X-Parley-Signature does not match the body" };
    return { ok: true };
  },

  parseDelivery(rawBody) {
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return { ok: false, reason: "body is not valid JSON" };
    }
    // Report the errors of the variant the sender meant, not of the union.
    const variant = json && typeof json === "object" && "receipt" in json ? ApiInboundReceipt : ApiInboundMessage;
    const parsed = variant.safeParse(json);
    if (!parsed.success) {
      return {
        ok: false,
        reason: "body does not match the API channel event schema",
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      };
    }
    return { ok: true, eventId: parsed.data.eventId };
  },

  normalize(rawBody) {
    const event = ApiInboundEvent.parse(JSON.parse(rawBody));
    const out: NormalizedEvent[] = [];
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

  async send({ settings, secrets, timeoutMs }, msg): Promise<SendResult> {
    if (!settings.callbackUrl) return { ok: false, retryable: false, reason: "This channel has no callback URL, so replies cannot be delivered" };
    const body = JSON.stringify({
      conversationId: msg.conversationId,
      messageId: msg.messageId,
      contact: { externalId: msg.contactExternalId },
      text: msg.text,
    });
    let res: Response;
    try {
      res = await fetch(settings.callbackUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-parley-signature": signBody(secrets.secret, body),
          // Lets the receiver drop a resend after a crash between its answer and our bookkeeping.
          "idempotency-key": msg.messageId,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const reason = (err as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (err as Error).message;
      return { ok: false, retryable: true, reason: `Callback unreachable: ${reason}` };
    }
    const text = await res.text().catch(() => "");
    if (!res.ok) {
      const snippet = text.slice(0, 200).trim();
      return { ok: false, retryable: true, reason: `Callback answered ${res.status}${snippet ? `: ${snippet}` : ""}` };
    }
    let externalId: string | undefined;
    try {
      const j = JSON.parse(text) as { externalId?: unknown };
      if (typeof j.externalId === "string") externalId = j.externalId;
    } catch {
      // a 2xx without JSON is still a delivery
    }
    return { ok: true, externalId };
  },
};
