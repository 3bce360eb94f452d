import type { Platform } from "../../shared/schemas/common.js";
import type { NormalizedEvent } from "../../shared/schemas/normalized.js";

export type Capabilities = {
  publicReply: boolean;
  privateReply: boolean;
  hide: boolean;
  delete: boolean;
  reviewReply: boolean;
  /** Hours after the customer's last message during which a reply is allowed; null = no window. */
  replyWindowHours: number | null;
  maxLength: number;
};

export type Check = { ok: true } | { ok: false; reason: string };

export type Delivery =
  | { ok: true; eventId: string }
  | { ok: false; reason: string; issues?: Array<{ path: string; message: string }> };

export type OutboundMessage = {
  conversationId: string;
  messageId: string;
  contactExternalId: string;
  text: string;
};

export type SendResult =
  | { ok: true; externalId?: string }
  | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

/** One per platform: the subscription handshake, signature check, normalize and send. */
export type Connector<Secrets, Settings> = {
  platform: Platform;
  capabilities: Capabilities;
  /** Checks the signature on the exact bytes received. */
  verify(secrets: Secrets, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Check;
  /** Validates the delivery's shape and finds its de-duplication id. */
  parseDelivery(rawBody: Buffer): Delivery;
  normalize(rawBody: string): NormalizedEvent[];
  send(target: { settings: Settings; secrets: Secrets; timeoutMs: number }, msg: OutboundMessage): Promise<SendResult>;
};
