import { z } from "zod";
import { ConversationKind } from "./common.js";

const when = z.string().max(64).describe("ISO 8601; when it happened on the platform");
/**
 * A platform id. Bounded: ids are unique keys in PostgreSQL indexes, which refuse oversized rows, so
 * a hostile id is rejected here (the delivery ends `rejected` with the reason) instead of failing the
 * insert over and over.
 */
const platformId = z.string().min(1).max(512);

/**
 * Profile details a platform sends with a message. They only decorate the contact, so a value that
 * does not fit is dropped instead of rejecting the delivery; a picture must be an http(s) address
 * (Parley fetches it through the address guard; data:, javascript: or relative URLs never are).
 */
const handle = z.string().trim().min(1).max(200).optional().catch(undefined);
const pictureUrl = z
  .string()
  .max(2048)
  .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s))
  .optional()
  .catch(undefined);

/** What a connector turns a platform's raw delivery into; the ingest job stores these. */
export const NormalizedMessage = z.object({
  type: z.literal("message"),
  thread: z.object({
    kind: ConversationKind,
    /** dm: `contact:<id>`; comment: `comment:<root comment id>`; mention: `post:<root post id>`; review: `review:<id>`. */
    key: z.string().min(1).max(600),
    /** Shown with the conversation: the post a comment belongs to, a mention's text, a review's stars. */
    context: z.record(z.string(), z.unknown()).optional(),
  }),
  contact: z.object({
    externalId: platformId,
    name: z.string().max(1000).optional(),
    /** The public handle in the platform's own form: `@name` (X, Telegram, Instagram), `+<number>` (WhatsApp). */
    handle,
    /** The profile picture's URL on the platform (served to the console through Parley, never linked). */
    avatarUrl: pictureUrl,
  }),
  message: z.object({
    externalId: platformId,
    text: z.string(),
    /**
     * in: from the customer. out: sent by the brand on the platform itself (an echo): matched to a
     * message Parley sent, or stored as a human reply made in the native app.
     */
    direction: z.enum(["in", "out"]).default("in"),
    /** Parley's own message id when the platform echoes it back (Messenger metadata). */
    ourMessageId: z.string().max(512).optional(),
    visibility: z.enum(["public", "private"]).optional(),
    rating: z.number().int().min(1).max(5).optional(),
    parentExternalId: platformId.optional(),
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
  externalId: platformId,
  text: z.string(),
  rating: z.number().int().min(1).max(5).optional(),
  occurredAt: when.optional(),
});

export const NormalizedDelete = z.object({ type: z.literal("message.deleted"), externalId: platformId, occurredAt: when.optional() });

/** Hidden or unhidden on the platform (by a moderator there, or confirming our own action). */
export const NormalizedModeration = z.object({ type: z.literal("message.moderated"), externalId: platformId, hidden: z.boolean() });

export const NormalizedReceipt = z.object({
  type: z.literal("receipt"),
  /** Parley's own message id, as the platform echoes it back … */
  messageId: z.string().max(512).optional(),
  /** … or the platform's id of our sent message. */
  externalId: platformId.optional(),
  status: z.enum(["sent", "delivered", "read", "failed"]),
  reason: z.string().optional(),
});

/** Everything sent to this contact before `before` was delivered / read (Messenger watermarks). */
export const NormalizedWatermark = z.object({
  type: z.literal("receipt.watermark"),
  contactExternalId: platformId,
  status: z.enum(["delivered", "read"]),
  before: when,
});

export const NormalizedContactBlocked = z.object({
  type: z.literal("contact.blocked"),
  contactExternalId: platformId,
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
