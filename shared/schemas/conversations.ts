import { z } from "zod";
import { ConversationKind, ConversationStatus, isoDate, Owner, Platform, uuid } from "./common.js";

export const messageStatuses = ["received", "queued", "sent", "delivered", "read", "failed", "cancelled"] as const;
export const MessageStatus = z.enum(messageStatuses);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const Author = z.enum(["customer", "bot", "agent", "system"]);
export const Visibility = z.enum(["public", "private", "note"]);

export const Message = z.object({
  id: uuid,
  conversationId: uuid,
  direction: z.enum(["in", "out"]),
  author: Author,
  authorUserId: uuid.nullable().describe("The agent who wrote it, for agent messages and notes"),
  authorName: z.string().nullable(),
  visibility: Visibility,
  text: z.string(),
  status: MessageStatus,
  failureReason: z.string().nullable(),
  externalId: z.string().nullable(),
  createdAt: isoDate,
});
export type Message = z.infer<typeof Message>;

export const ConversationSummary = z.object({
  id: uuid,
  channelId: uuid,
  platform: Platform,
  kind: ConversationKind,
  status: ConversationStatus,
  owner: Owner,
  assigneeId: uuid.nullable(),
  assigneeName: z.string().nullable(),
  channelName: z.string(),
  contact: z.object({ id: uuid, name: z.string() }),
  lastMessage: z
    .object({ text: z.string(), direction: z.enum(["in", "out"]), createdAt: isoDate })
    .nullable(),
  waitingSince: isoDate.nullable(),
  /** The inbox's sort key: the latest message or change. */
  activityAt: isoDate,
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const Conversation = ConversationSummary.extend({
  handoffReason: z.string().nullable(),
  resolvedAt: isoDate.nullable(),
});
export type Conversation = z.infer<typeof Conversation>;

export const ConversationListQuery = z.object({
  status: ConversationStatus.optional(),
  channelId: uuid.optional(),
  owner: Owner.optional(),
  assigneeId: z.union([uuid, z.literal("none"), z.literal("me")]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;

export const ConversationList = z.object({
  items: z.array(ConversationSummary),
  nextCursor: z.string().nullable(),
});

export const ConversationIdParams = z.object({ id: uuid });

export const UpdateConversationRequest = z
  .object({
    status: ConversationStatus,
    assigneeId: uuid.nullable(),
    owner: Owner,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "give at least one of status, assigneeId, owner");

export const ConversationResponse = z.object({ conversation: Conversation });

export const MessageList = z.object({ items: z.array(Message) });

export const CreateMessageRequest = z.object({
  text: z.string().trim().min(1, "must not be empty").max(4000),
  visibility: z.enum(["public", "note"]).default("public"),
});

export const MessageResponse = z.object({ message: Message });
