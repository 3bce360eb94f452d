import { z } from "zod";
import { ConversationKind } from "./common.js";

const when = z.string().describe("ISO 8601; when it happened on the platform");

/** What a connector turns a platform's raw delivery into; the ingest job stores these. */
export const NormalizedMessage = z.object({
  type: z.literal("message"),
  thread: z.object({
    kind: ConversationKind,
    /** dm: `contact:<id>`; comment: `comment:<root comment id>`; mention: `post:<root post id>`; review: `review:<id>`. */
    key: z.string().min(1),
    /** Shown with the conversation: the post a comment belongs to, a mention's text, a review's stars. */
    context: z.record(z.string(), z.unknown()).optional(),
  }),
  contact: z.object({ externalId: z.string().min(1), name: z.string().optional() }),
  message: z.object({
    externalId: z.string().min(1),
    text: z.string(),
    /**
     * in: from the customer. out: sent by the brand on the platform itself (an echo): matched to a
     * message Parley sent, or stored as a human reply made in the native app.
     */
    direction: z.enum(["in", "out"]).default("in"),
    /** Parley's own message id when the platform echoes it back (Messenger metadata). */
    ourMessageId: z.string().optional(),
    visibility: z.enum(["public", "private"]).optional(),
    rating: z.number().int().min(1).max(5).optional(),
    parentExternalId: z.string().optional(),
    /**
     * Files on the message: `url` (a platform URL Parley may fetch) or `ref` (a platform id to resolve:
     * WhatsApp media id, Telegram file_id). Neither, for things that are no file (location, contact card).
     * `unavailable` says why Parley cannot fetch it (a shared post, a file type the platform withholds).
     */
    attachments: z
      .array(
        z.object({
          type: z.string(),
          url: z.string().nullable().optional(),
          ref: z.string().optional(),
          name: z.string().optional(),
          mimeType: z.string().optional(),
          size: z.number().int().optional(),
          unavailable: z.string().optional(),
        }),
      )
      .optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
    occurredAt: when.optional(),
  }),
});

/** The customer edited a message or review: the stored text changes, the console shows it was edited. */
export const NormalizedEdit = z.object({
  type: z.literal("message.edited"),
  externalId: z.string().min(1),
  text: z.string(),
  rating: z.number().int().min(1).max(5).optional(),
  occurredAt: when.optional(),
});

export const NormalizedDelete = z.object({ type: z.literal("message.deleted"), externalId: z.string().min(1), occurredAt: when.optional() });

/** Hidden or unhidden on the platform (by a moderator there, or confirming our own action). */
export const NormalizedModeration = z.object({ type: z.literal("message.moderated"), externalId: z.string().min(1), hidden: z.boolean() });

export const NormalizedReceipt = z.object({
  type: z.literal("receipt"),
  /** Parley's own message id, as the platform echoes it back … */
  messageId: z.string().optional(),
  /** … or the platform's id of our sent message. */
  externalId: z.string().optional(),
  status: z.enum(["sent", "delivered", "read", "failed"]),
  reason: z.string().optional(),
});

/** Everything sent to this contact before `before` was delivered / read (Messenger watermarks). */
export const NormalizedWatermark = z.object({
  type: z.literal("receipt.watermark"),
  contactExternalId: z.string().min(1),
  status: z.enum(["delivered", "read"]),
  before: when,
});

export const NormalizedContactBlocked = z.object({
  type: z.literal("contact.blocked"),
  contactExternalId: z.string().min(1),
  blocked: z.boolean(),
  reason: z.string(),
});

/** A delivery Parley does not act on (reactions, likes, the brand's own posts…): recorded, not an error. */
export const NormalizedIgnored = z.object({ type: z.literal("ignored"), reason: z.string() });

export const NormalizedEvent = z.discriminatedUnion("type", [
  NormalizedMessage,
  NormalizedEdit,
  NormalizedDelete,
  NormalizedModeration,
  NormalizedReceipt,
  NormalizedWatermark,
  NormalizedContactBlocked,
  NormalizedIgnored,
]);
export type NormalizedEvent = z.infer<typeof NormalizedEvent>;
export type NormalizedEventInput = z.input<typeof NormalizedEvent>;
