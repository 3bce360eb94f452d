import { z } from "zod";

/** Body of POST /webhooks/api/:channelId — a customer message, or a delivery receipt for one of our replies. */
export const ApiInboundMessage = z.object({
  eventId: z.string().min(1).max(200),
  contact: z.object({
    externalId: z.string().min(1).max(200),
    name: z.string().max(200).optional(),
  }),
  message: z.object({
    externalId: z.string().min(1).max(200),
    text: z.string().min(1).max(10000),
  }),
});

export const ApiInboundReceipt = z.object({
  eventId: z.string().min(1).max(200),
  receipt: z.object({
    messageId: z.string().min(1).max(200).describe("Parley's messageId from the callback"),
    status: z.enum(["delivered", "read", "failed"]),
    reason: z.string().max(1000).optional(),
  }),
});

export const ApiInboundEvent = z.union([ApiInboundMessage, ApiInboundReceipt]);
export type ApiInboundEvent = z.infer<typeof ApiInboundEvent>;

export const WebhookAck = z.object({
  status: z.enum(["accepted", "duplicate"]),
  eventId: z.string(),
});

/** What Parley POSTs to an API channel's callbackUrl. */
export const ApiOutboundCallback = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  contact: z.object({ externalId: z.string() }),
  text: z.string(),
  /** Files of the reply: fetch each from its signed link, which works without a session until it expires. */
  attachments: z
    .array(z.object({ id: z.string(), type: z.string(), name: z.string(), mimeType: z.string(), size: z.number().int(), url: z.string(), expiresAt: z.string() }))
    .optional(),
});
