import { z } from "zod";
import { isoDate, uuid } from "./common.js";

/**
 * A file on a message. Inbound media is fetched from the platform (where its API allows) and stored
 * behind Parley's storage driver; `url` is then Parley's own authenticated address.
 */
export const Attachment = z.object({
  /** Parley's id once stored; absent while only the platform has it. */
  id: uuid.optional(),
  /** image, video, audio, file, sticker, location, contacts, … as the platform calls it. */
  type: z.string(),
  url: z.string().nullable().optional().describe("Where the console loads it: /api/attachments/:id once stored"),
  thumbnailUrl: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  mimeType: z.string().nullable().optional(),
  size: z.number().int().nullable().optional(),
  /** pending: being fetched; stored: ready; unavailable: the platform does not let Parley fetch it (reason says why). */
  status: z.enum(["pending", "stored", "unavailable"]).optional(),
  reason: z.string().nullable().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

/** A file an agent uploaded for a reply, before it is sent. */
export const Upload = z.object({
  id: uuid,
  name: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  createdAt: isoDate,
});
export const UploadResponse = z.object({ upload: Upload });
export const UploadQuery = z.object({
  name: z.string().trim().min(1).max(200).describe("The file name; the body is the file's bytes with its Content-Type"),
  conversationId: uuid.optional().describe("The conversation it is for: checked at once against its replyOptions.attachments"),
});
export const AttachmentIdParams = z.object({ id: uuid });
/** A signed link's parameters (given to platforms and API callbacks); the console uses its session instead. */
export const AttachmentQuery = z.object({ expires: z.string().max(20).optional(), signature: z.string().max(100).optional() });
