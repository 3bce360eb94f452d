import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

// Tables of the console's "together" features: attachments, notifications, one-time user links.
// schema.ts re-exports this file; the references below are only read lazily, so the cycle is harmless.
import { conversations, messages, users, workspaces } from "./schema.js";

const id = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/**
 * A file on a message: inbound media fetched from a platform, or an agent's upload for a reply. The
 * bytes live behind the storage driver (server/storage); `storage_key` names them there. The row is the
 * source of truth; messages.attachments keeps the display copy the API serves.
 */
export const attachments = pgTable(
  "attachments",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    /** Null for an upload not yet sent with a reply. */
    conversationId: uuid("conversation_id").references(() => conversations.id),
    messageId: uuid("message_id").references(() => messages.id),
    /** Order among the message's files. */
    position: integer("position").notNull().default(0),
    channelId: uuid("channel_id"),
    origin: text("origin", { enum: ["inbound", "upload"] }).notNull(),
    /** image, video, audio, file, sticker, … as the platform calls it. */
    type: text("type").notNull(),
    name: text("name"),
    mimeType: text("mime_type"),
    size: bigint("size", { mode: "number" }),
    status: text("status", { enum: ["pending", "stored", "unavailable"] }).notNull(),
    reason: text("reason"),
    storageKey: text("storage_key"),
    /** How to fetch it from the platform (a CDN URL, a media id, a file id). Never a token. */
    source: jsonb("source").$type<Record<string, unknown>>().notNull().default({}),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    attempts: integer("attempts").notNull().default(0),
    createdAt: at("created_at").notNull().defaultNow(),
    storedAt: at("stored_at"),
  },
  (t) => [
    index("attachments_message_idx").on(t.messageId),
    index("attachments_pending_idx").on(t.createdAt).where(sql`status = 'pending'`),
  ],
);

export const notificationKindValues = ["assigned", "mention", "sla_warning", "sla_breached"] as const;

/** What a user is told about: assignments, @mentions, SLA warnings and breaches. Never customer text. */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKindValues }).notNull(),
    conversationId: uuid("conversation_id").references(() => conversations.id),
    text: text("text").notNull(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Makes a redelivered source event (an SLA timer firing twice) create no second notification. */
    dedupeKey: text("dedupe_key"),
    createdAt: at("created_at").notNull().defaultNow(),
    readAt: at("read_at"),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.createdAt.desc(), t.id.desc()),
    index("notifications_unread_idx").on(t.userId).where(sql`read_at is null`),
    uniqueIndex("notifications_dedupe_key").on(t.dedupeKey),
  ],
);

/** One-time links: an invitation (7 days) or a password reset (24 hours). Only the sha256 is stored. */
export const userTokens = pgTable(
  "user_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    purpose: text("purpose", { enum: ["invite", "reset"] }).notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: at("created_at").notNull().defaultNow(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
  },
  (t) => [index("user_tokens_user_idx").on(t.userId)],
);
