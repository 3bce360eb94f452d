import { z } from "zod";
import { ConversationKind, ConversationStatus, Cursor, HandoffReason, isoDate, Owner, Platform, Priority, uuid } from "./common.js";
import { Attachment } from "./attachments.js";
import { MessageBotInfo } from "./bots.js";

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
  attachments: z.array(Attachment),
  hidden: z.boolean(),
  editedAt: isoDate.nullable(),
  /** Earlier versions, oldest first, when the customer edited it. */
  editHistory: z.array(z.object({ text: z.string(), rating: z.number().nullable().optional(), until: isoDate })),
  deletedAt: isoDate.nullable(),
  deletedBy: z.enum(["customer", "agent"]).nullable(),
  templateName: z.string().nullable(),
  /** native_app: sent by a person from the platform's own app, not from Parley. */
  via: z.string().nullable(),
  /** For a bot answer: the stage that wrote it, the articles it cites, and an agent's thumbs-down. */
  bot: MessageBotInfo.nullable(),
  createdAt: isoDate,
});
export type Message = z.infer<typeof Message>;

/**
 * What a comment, mention or review thread is about, as connectors and enrichment fill it. Every field
 * is optional (platforms give different things); unknown keys are kept.
 */
export const ThreadContext = z
  .object({
    postId: z.string(),
    postUrl: z.string().describe("Link to the post, media or review on the platform"),
    postText: z.string().describe("The post's text or caption, or a mention's text"),
    postAuthor: z.string(),
    thumbnailUrl: z.string().describe("A picture of the post or media (Parley attachment URL or the platform's)"),
    mediaId: z.string(),
    rating: z.number().int().min(1).max(5),
    title: z.string().describe("A review's headline"),
    reviewer: z.unknown(),
    locationName: z.string(),
  })
  .partial()
  .catchall(z.unknown());

/** The service-level deadline a conversation is measured against now. */
export const SlaState = z.object({
  policyId: uuid.nullable().describe("null when the deadline is the platform's own reply window"),
  metric: z.enum(["first_response", "next_response", "resolution", "reply_window"]),
  dueAt: isoDate,
  breachedAt: isoDate.nullable(),
});
export type SlaState = z.infer<typeof SlaState>;

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
  teamId: uuid.nullable(),
  teamName: z.string().nullable(),
  priority: Priority,
  labels: z.array(z.string()).describe("Label names; colours come from GET /api/labels"),
  snoozedUntil: isoDate.nullable().describe("A snoozed conversation wakes then (or when the customer writes)"),
  sla: SlaState.nullable(),
  contact: z.object({ id: uuid, name: z.string(), avatarUrl: z.string().nullable() }),
  context: ThreadContext.describe("The post of a comment, a mention's text, a review's stars"),
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

/**
 * What a reply's maxLength counts: characters (UTF-16 code units, as JavaScript counts them), UTF-8
 * bytes (Google's review replies) or weighted (X's posts: CJK characters and emoji 2, a link 23).
 */
export const LengthUnit = z.enum(["characters", "bytes", "weighted"]);
export type LengthUnit = z.infer<typeof LengthUnit>;

export const ReplyOptions = z.object({
  /** Surfaces the agent may use now, given the platform and its windows. */
  surfaces: z.array(z.enum(["reply", "private_reply", "template"])),
  moderation: z.array(z.enum(["hide", "unhide", "delete"])),
  /** The one source of the composer's length limit: the platform's cap for this conversation's surface. */
  maxLength: z.number().int(),
  lengthUnit: LengthUnit,
  /** What files a reply may carry here; null when the platform takes none on this surface. */
  attachments: z
    .object({
      accept: z.array(z.string()).describe("MIME types or patterns such as image/*"),
      maxBytes: z.number().int(),
      maxCount: z.number().int(),
    })
    .nullable(),
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

/** What the agent sees when a bot hands over: why, what the customer wants, and (with an LLM) a draft. */
export const Handoff = z.object({
  reason: HandoffReason,
  /** The reason in words. */
  reasonText: z.string(),
  summary: z.string().nullable().describe("What the customer wants and what the bot already said"),
  suggestedReply: z.string().nullable().describe("A draft reply the agent can edit before sending"),
  at: isoDate,
});
export type Handoff = z.infer<typeof Handoff>;

export const Conversation = ConversationSummary.extend({
  handoffReason: z.string().nullable().describe("The latest hand-off reason in words (kept for older clients; see handoff)"),
  handoff: Handoff.nullable(),
  resolvedAt: isoDate.nullable(),
  channelStatus: z.enum(["active", "needs_reconnect"]),
  channelStatusReason: z.string().nullable(),
  replyOptions: ReplyOptions,
});
export type Conversation = z.infer<typeof Conversation>;

/**
 * The inbox's preset views. mine: assigned to me; unassigned: people's, nobody assigned; my_teams: my
 * teams' conversations; all: everything I may see; bot: owned by a bot. These five hold open and
 * pending conversations; snoozed and resolved hold those statuses.
 */
export const inboxViews = ["mine", "unassigned", "my_teams", "all", "bot", "snoozed", "resolved"] as const;
export const InboxView = z.enum(inboxViews);
export type InboxView = z.infer<typeof InboxView>;

/** Filters on top of a view; every one narrows the list. */
export const ConversationFilters = z.object({
  view: InboxView.optional(),
  status: ConversationStatus.optional(),
  channelId: uuid.optional(),
  platform: Platform.optional(),
  kind: ConversationKind.optional(),
  owner: Owner.optional(),
  assigneeId: z.union([uuid, z.literal("none"), z.literal("me")]).optional(),
  teamId: uuid.optional(),
  label: z.string().min(1).max(50).optional(),
  priority: Priority.optional(),
  /** Full-text search over messages and the contact's name, as GET /api/search. */
  q: z.string().trim().min(1).max(200).optional(),
});
export type ConversationFilters = z.infer<typeof ConversationFilters>;

export const ConversationListQuery = ConversationFilters.extend({
  /** activity: latest first; breach: nearest SLA deadline first (none last); waiting: longest wait first. */
  sort: z.enum(["activity", "breach", "waiting"]).default("activity"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: Cursor.optional(),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;

/** Live counts per view for the navigation; a count at `cap` means "cap or more". */
export const ViewCounts = z.object({
  counts: z.record(InboxView, z.number().int()),
  cap: z.number().int(),
});

/** A user's saved inbox view: a name for a set of filters. */
export const SavedView = z.object({
  id: uuid,
  name: z.string(),
  filters: ConversationFilters,
  sort: z.enum(["activity", "breach", "waiting"]),
  createdAt: isoDate,
});
export type SavedView = z.infer<typeof SavedView>;
export const SavedViewInput = z.object({
  name: z.string().trim().min(1).max(100),
  filters: ConversationFilters,
  sort: z.enum(["activity", "breach", "waiting"]).default("activity"),
});
export const SavedViewList = z.object({ items: z.array(SavedView) });

export const ConversationList = z.object({
  items: z.array(ConversationSummary),
  nextCursor: z.string().nullable(),
});

export const ConversationIdParams = z.object({ id: uuid });

const conversationChange = z
  .object({
    status: ConversationStatus,
    /** With status snoozed: when it wakes up by itself (it also wakes when the customer writes). */
    snoozedUntil: z.iso.datetime({ offset: true }),
    assigneeId: uuid.nullable(),
    /** Assign to a team (its queue); null removes the team. */
    teamId: uuid.nullable(),
    owner: Owner,
    priority: Priority,
  })
  .partial();

export const UpdateConversationRequest = conversationChange
  .refine((v) => Object.keys(v).length > 0, "give at least one of status, snoozedUntil, assigneeId, teamId, owner, priority")
  .refine((v) => v.snoozedUntil === undefined || v.status === "snoozed", { path: ["snoozedUntil"], message: "only with status snoozed" });
export type UpdateConversationRequest = z.infer<typeof UpdateConversationRequest>;

export const LabelsRequest = z.object({ labels: z.array(z.string().trim().min(1).max(50)).max(20) });

/** One change applied to many conversations; each is checked and applied on its own. */
export const BulkRequest = z.object({
  ids: z.array(uuid).min(1).max(500),
  set: z
    .object({
      status: ConversationStatus,
      snoozedUntil: z.iso.datetime({ offset: true }),
      assigneeId: uuid.nullable(),
      teamId: uuid.nullable(),
      priority: Priority,
      /** Replaces the labels. */
      labels: z.array(z.string().trim().min(1).max(50)).max(20),
      addLabels: z.array(z.string().trim().min(1).max(50)).max(20),
      removeLabels: z.array(z.string().trim().min(1).max(50)).max(20),
    })
    .partial()
    .refine((v) => Object.keys(v).length > 0, "give at least one change"),
});
export const BulkResult = z.object({
  updated: z.array(uuid),
  failed: z.array(z.object({ id: uuid, error: z.string(), code: z.string() })),
});

export const ConversationResponse = z.object({ conversation: Conversation });

export const MessageList = z.object({ items: z.array(Message) });

/** History paging: the newest page first; items oldest to newest within a page. */
export const MessagePageQuery = z.object({
  before: Cursor.optional().describe("nextCursor of the previous (newer) page"),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const MessagePage = z.object({
  items: z.array(Message),
  nextCursor: Cursor.nullable().describe("Older messages exist: pass it as before"),
});

/**
 * A bound on the request itself, above every platform's cap (the longest: an X DM, 10,000). The
 * cap of one conversation is its replyOptions.maxLength, the one number both the composer counts
 * against and the server checks (400 text_too_long).
 */
export const MESSAGE_TEXT_BOUND = 20_000;
/** Internal notes never leave Parley: no platform limit, kept to a readable length. */
export const NOTE_TEXT_MAX = 4096;

export const CreateMessageRequest = z
  .object({
    text: z.string().trim().max(MESSAGE_TEXT_BOUND).default(""),
    /** public = the thread's own reply (a DM, a public comment reply, a review reply); private = a private reply to a public comment; note = internal. */
    visibility: z.enum(["public", "private", "note"]).default("public"),
    /** A WhatsApp template, the only message allowed once its 24-hour window has closed. */
    template: z.object({ name: z.string().min(1), language: z.string().optional(), params: z.array(z.string().max(1024)).max(20).default([]) }).optional(),
    /** Files uploaded with POST /api/uploads, sent with the reply (where replyOptions.attachments allows). */
    attachmentIds: z.array(uuid).max(10).default([]),
    /** In a note: teammates to notify (the text shows them as @Name). */
    mentions: z.array(uuid).max(20).default([]),
  })
  .refine((m) => m.template || m.text.length > 0 || m.attachmentIds.length > 0, { path: ["text"], message: "must not be empty" })
  .refine((m) => m.visibility !== "note" || m.text.length <= NOTE_TEXT_MAX, { path: ["text"], message: `a note holds at most ${NOTE_TEXT_MAX} characters` });

export const ModerationRequest = z.object({ action: z.enum(["hide", "unhide", "delete"]) });
export const MessageIdParams = z.object({ id: uuid, messageId: uuid });

export const MessageResponse = z.object({ message: Message });
