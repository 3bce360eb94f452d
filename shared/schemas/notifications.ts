import { z } from "zod";
import { isoDate, uuid } from "./common.js";

export const notificationKinds = ["assigned", "mention", "sla_warning", "sla_breached"] as const;

export const Notification = z.object({
  id: uuid,
  kind: z.enum(notificationKinds),
  conversationId: uuid.nullable(),
  /** What happened, in words (no customer text). */
  text: z.string(),
  actorName: z.string().nullable(),
  createdAt: isoDate,
  readAt: isoDate.nullable(),
});
export type Notification = z.infer<typeof Notification>;

export const NotificationListQuery = z.object({
  unread: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(300).optional(),
});
export const NotificationList = z.object({ items: z.array(Notification), unread: z.number().int(), nextCursor: z.string().nullable() });
export const MarkReadRequest = z.union([z.object({ ids: z.array(uuid).min(1).max(500) }), z.object({ all: z.literal(true) })]);
export const MarkReadResult = z.object({ unread: z.number().int() });
