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
  surface: z.enum(["reply", "private_reply", "template"]).nullable(),
  rating: z.number().int().min(1).max(5).nullable(),
  attachments: z.array(z.object({ type: z.string(), url: z.string().nullable().optional() })),
  hidden: z.boolean(),
  editedAt: isoDate.nullable(),
  /** Earlier versions, oldest first, when the customer edited it. */
  editHistory: z.array(z.object({ text: z.string(), rating: z.number().nullable().optional(), until: isoDate })),
  deletedAt: isoDate.nullable(),
  deletedBy: z.enum(["customer", "agent"]).nullable(),
  templateName: z.string().nullable(),
  /** native_app: sent by a person from the platform's own app, not from Parley. */
  via: z.string().nullable(),
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
  context: z.record(z.string(), z.unknown()).describe("The post of a comment, a mention's text, a review's stars"),
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

export const ReplyOptions = z.object({
  /** Surfaces the agent may use now, given the platform and its windows. */
  surfaces: z.array(z.enum(["reply", "private_reply", "template"])),
  moderation: z.array(z.enum(["hide", "unhide", "delete"])),
  maxLength: z.number().int(),
  window: z
    .object({
      hours: z.number(),
      closesAt: isoDate.nullable().describe("When a normal reply stops being allowed; null when no customer message yet"),
      extendedUntil: isoDate.nullable().describe("A human agent may still reply until then (Meta's HUMAN_AGENT tag)"),
      open: z.boolean(),
    })
    .nullable(),
  /** Why reply is not available, in words for the agent. */
  blockedReason: z.string().nullable(),
  templates: z.array(z.object({ name: z.string(), language: z.string(), body: z.string() })),
});
export type ReplyOptions = z.infer<typeof ReplyOptions>;

export const Conversation = ConversationSummary.extend({
  handoffReason: z.string().nullable(),
  resolvedAt: isoDate.nullable(),
  channelStatus: z.enum(["active", "needs_reconnect"]),
  channelStatusReason: z.string().nullable(),
  replyOptions: ReplyOptions,
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

export const CreateMessageRequest = z
  .object({
    text: z.string().trim().max(4096).default(""),
    /** public = the thread's own reply (a DM, a public comment reply, a review reply); private = a private reply to a public comment; note = internal. */
    visibility: z.enum(["public", "private", "note"]).default("public"),
    /** A WhatsApp template, the only message allowed once its 24-hour window has closed. */
    template: z.object({ name: z.string().min(1), language: z.string().optional(), params: z.array(z.string().max(1024)).max(20).default([]) }).optional(),
  })
  .refine((m) => m.template || m.text.length > 0, { path: ["text"], message: "must not be empty" });

export const ModerationRequest = z.object({ action: z.enum(["hide", "unhide", "delete"]) });
export const MessageIdParams = z.object({ id: uuid, messageId: uuid });

export const MessageResponse = z.object({ message: Message });
