import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const id = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const createdAt = () => at("created_at").notNull().defaultNow();

export const workspaces = pgTable("workspaces", {
  id: id(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const users = pgTable(
  "users",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ["admin", "supervisor", "agent"] }).notNull(),
    passwordHash: text("password_hash").notNull(),
    /** Set when an admin deactivates the user: no log-in, no assignment; history stays. */
    deactivatedAt: at("deactivated_at"),
    availability: text("availability", { enum: ["online", "away", "offline"] }).notNull().default("offline"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  "sessions",
  {
    /** sha256 of the cookie token: a leaked table does not leak live sessions. */
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const platformValues = ["api", "facebook", "instagram", "whatsapp", "x", "telegram", "google_reviews", "trustpilot"] as const;

export const channels = pgTable("channels", {
  id: id(),
  workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
  platform: text("platform", { enum: platformValues }).notNull(),
  name: text("name").notNull(),
  /** The platform's id of the connected account (Page, IG account, phone number id, X user, …): routes shared webhooks. */
  accountId: text("account_id"),
  /** needs_reconnect when the platform refused our credentials; agents are told. */
  status: text("status", { enum: ["active", "needs_reconnect"] }).notNull().default("active"),
  statusReason: text("status_reason"),
  botEnabled: boolean("bot_enabled").notNull().default(false),
  /** Non-secret settings, e.g. the callback URL. */
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  /** Secrets as AES-256-GCM ciphertext (see server/domain/crypto.ts). */
  secretsEncrypted: text("secrets_encrypted").notNull(),
  botSettings: jsonb("bot_settings").$type<Record<string, unknown>>().notNull().default({}),
  lastEventAt: at("last_event_at"),
  lastErrorAt: at("last_error_at"),
  lastError: text("last_error"),
  createdAt: createdAt(),
}, (t) => [index("channels_account_idx").on(t.platform, t.accountId)]);

export const botRules = pgTable(
  "bot_rules",
  {
    id: id(),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    matchType: text("match_type", { enum: ["keyword", "regex"] }).notNull(),
    pattern: text("pattern").notNull(),
    reply: text("reply").notNull(),
    position: integer("position").notNull().default(0),
    enabled: boolean("enabled").notNull().default(true),
    /** What the rule does besides replying: labels, priority, resolve. */
    actions: jsonb("actions").$type<{ labels?: string[]; priority?: string | null; resolve?: boolean }>().notNull().default({}),
  },
  (t) => [index("bot_rules_channel_idx").on(t.channelId, t.position)],
);

export const contacts = pgTable(
  "contacts",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    email: text("email"),
    phone: text("phone"),
    avatarUrl: text("avatar_url"),
    /** Set when a person named the contact (an edit or a merge): platforms' display names no longer replace it. */
    nameChosenAt: at("name_chosen_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("contacts_workspace_idx").on(t.workspaceId, t.createdAt.desc(), t.id.desc()),
    // Search by any part of a name (pg_trgm, migration 0010); no pending list (0013: searches read it whole).
    index("contacts_name_trgm_idx").using("gin", sql`${t.name} public.gin_trgm_ops`).with({ fastupdate: "off" }),
  ],
);

export const contactIdentities = pgTable(
  "contact_identities",
  {
    id: id(),
    contactId: uuid("contact_id").notNull().references(() => contacts.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => channels.id),
    externalId: text("external_id").notNull(),
    /** The public handle the platform last sent for this identity (`@name`, `+<number>`); null where it gives none. */
    handle: text("handle"),
    /** The platform says this contact can no longer be messaged (e.g. blocked the Telegram bot). */
    blockedAt: at("blocked_at"),
    blockedReason: text("blocked_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("contact_identities_channel_external_key").on(t.channelId, t.externalId),
    index("contact_identities_external_trgm_idx").using("gin", sql`${t.externalId} public.gin_trgm_ops`).with({ fastupdate: "off" }),
    index("contact_identities_contact_channel_idx").on(t.contactId, t.channelId),
  ],
);

export const conversations = pgTable(
  "conversations",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    channelId: uuid("channel_id").notNull().references(() => channels.id),
    contactId: uuid("contact_id").notNull().references(() => contacts.id),
    kind: text("kind", { enum: ["dm", "comment", "mention", "review"] }).notNull(),
    threadKey: text("thread_key").notNull(),
    status: text("status", { enum: ["open", "pending", "snoozed", "resolved"] }).notNull().default("open"),
    owner: text("owner", { enum: ["bot", "human"] }).notNull(),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    /** The team whose queue it is in (teams are added by their own migration; no foreign key here). */
    teamId: uuid("team_id"),
    priority: text("priority", { enum: ["low", "normal", "high", "urgent"] }).notNull().default("normal"),
    labels: text("labels").array().notNull().default(sql`'{}'::text[]`),
    snoozedUntil: at("snoozed_until"),
    /** The SLA deadline the conversation is measured against now (policy, metric, due, breached). */
    slaPolicyId: uuid("sla_policy_id"),
    slaMetric: text("sla_metric", { enum: ["first_response", "next_response", "resolution", "reply_window"] }),
    slaDueAt: at("sla_due_at"),
    slaBreachedAt: at("sla_breached_at"),
    /**
     * Where the SLA clocks' replay of the ledger stands (server/domain/sla-clocks.ts, ReplayState): the
     * next refresh replays only the entries after it. A cache of the ledger: null or an older version is
     * replayed from the start.
     */
    slaReplay: jsonb("sla_replay").$type<Record<string, unknown>>(),
    /** Since when it waits for a person: open, human-owned, nobody assigned (null otherwise). The team queue's order. */
    queuedAt: at("queued_at"),
    handoffReason: text("handoff_reason"),
    /** What the thread is about: the post of a comment, a mention's text, a review's stars. */
    context: jsonb("context").$type<Record<string, unknown>>().notNull().default({}),
    /** When the one private reply a public comment allows was used. */
    privateReplyAt: at("private_reply_at"),
    /** Customer messages in a row that no bot rule matched. */
    botMisses: integer("bot_misses").notNull().default(0),
    /** seq of the last customer message the bot has handled: a redelivered bot job is a no-op. */
    botHandledSeq: bigint("bot_handled_seq", { mode: "number" }).notNull().default(0),
    waitingSince: at("waiting_since"),
    firstHumanReplyAt: at("first_human_reply_at"),
    lastCustomerMessageAt: at("last_customer_message_at"),
    lastMessageAt: at("last_message_at"),
    lastMessageText: text("last_message_text"),
    lastMessageDirection: text("last_message_direction", { enum: ["in", "out"] }),
    resolvedAt: at("resolved_at"),
    /** Sort key of the inbox: the latest activity. */
    activityAt: at("activity_at").notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("conversations_thread_key").on(t.channelId, t.threadKey),
    index("conversations_inbox_idx").on(t.workspaceId, t.status, t.activityAt.desc(), t.id.desc()),
    index("conversations_activity_idx").on(t.workspaceId, t.activityAt.desc(), t.id.desc()),
    index("conversations_contact_idx").on(t.contactId),
    // A team's waiting queue, nearest deadline then oldest first; and each person's open load (capacity).
    index("conversations_team_queue_idx").on(t.teamId, t.queuedAt).where(sql`queued_at is not null`),
    index("conversations_assignee_open_idx").on(t.assigneeId).where(sql`status = 'open'`),
    // Reports and the live view (0009_reports; the migration adds INCLUDE columns).
    index("conversations_created_idx").on(t.workspaceId, t.createdAt),
    index("conversations_waiting_idx").on(t.workspaceId, t.queuedAt).where(sql`queued_at is not null`),
    index("conversations_bot_open_idx").on(t.workspaceId, t.teamId).where(sql`owner = 'bot' and status <> 'resolved'`),
    // The inbox's other views and sorts (migration 0010): mine, nearest deadline, longest wait, a label, snoozed.
    index("conversations_active_activity_idx").on(t.workspaceId, t.activityAt.desc(), t.id.desc()).where(sql`status in ('open', 'pending')`),
    index("conversations_assignee_activity_idx").on(t.workspaceId, t.assigneeId, t.activityAt.desc(), t.id.desc()),
    index("conversations_breach_idx").on(t.workspaceId, t.slaDueAt.asc().nullsLast(), t.activityAt.desc(), t.id.desc()),
    index("conversations_waiting_since_idx").on(t.workspaceId, t.waitingSince.asc().nullsLast(), t.activityAt.desc(), t.id.desc()),
    index("conversations_labels_idx").using("gin", t.labels),
    index("conversations_snoozed_idx").on(t.snoozedUntil).where(sql`status = 'snoozed'`),
    // The open and pending views filtered by priority, in the list's order (migration 0013).
    index("conversations_active_priority_idx").on(t.workspaceId, t.priority, t.activityAt.desc(), t.id.desc()).where(sql`status in ('open', 'pending')`),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: id(),
    /** Insertion order: the timeline's order, even for messages stored in the same millisecond. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    channelId: uuid("channel_id").notNull().references(() => channels.id),
    direction: text("direction", { enum: ["in", "out"] }).notNull(),
    author: text("author", { enum: ["customer", "bot", "agent", "system"] }).notNull(),
    authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "set null" }),
    visibility: text("visibility", { enum: ["public", "private", "note"] }).notNull(),
    text: text("text").notNull(),
    status: text("status", {
      enum: ["received", "queued", "sent", "delivered", "read", "failed", "cancelled"],
    }).notNull(),
    failureReason: text("failure_reason"),
    /** The platform's message id: the de-duplication key of inbound messages. */
    externalId: text("external_id"),
    /** How an outgoing message is sent: reply (the thread's own surface), private_reply, template. */
    surface: text("surface", { enum: ["reply", "private_reply", "template"] }),
    /** Review stars, 1 to 5. */
    rating: integer("rating"),
    /** For a reply inside a comment thread: the comment it answers. */
    parentExternalId: text("parent_external_id"),
    attachments: jsonb("attachments").$type<Array<{ type: string; url?: string | null }>>().notNull().default([]),
    /** Platform details worth keeping: template name and parameters, tag used, edit history. */
    meta: jsonb("meta").$type<Record<string, unknown>>().notNull().default({}),
    hidden: boolean("hidden").notNull().default(false),
    editedAt: at("edited_at"),
    deletedAt: at("deleted_at"),
    attempts: integer("attempts").notNull().default(0),
    /**
     * Set just before a send is handed to the platform, cleared when its outcome is stored. Still set
     * later means the process died in between: the platform may or may not have it (see
     * outbound-send.job.ts).
     */
    sendStartedAt: at("send_started_at"),
    /** Sends repeated because an earlier attempt's outcome was lost in a crash (at most one). */
    uncertainResends: integer("uncertain_resends").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("messages_channel_external_key").on(t.channelId, t.externalId),
    index("messages_conversation_idx").on(t.conversationId, t.seq),
    index("messages_queued_idx").on(t.status, t.updatedAt).where(sql`status = 'queued'`),
    // Reports' message counts (0009_reports; INCLUDE direction, visibility, status, channel_id, conversation_id).
    index("messages_report_idx").on(t.workspaceId, t.createdAt),
    // Full-text search (migration 0010): the 'simple' configuration works for every language without stemming.
    // A short pending list (0013): every search reads it whole, new messages keep filling it.
    index("messages_search_idx").using("gin", sql`to_tsvector('simple', ${t.text})`).with({ gin_pending_list_limit: 256 }),
  ],
);

export const inboundEvents = pgTable(
  "inbound_events",
  {
    id: id(),
    /** Null for a delivery addressed to no connected channel: recorded as ignored. */
    workspaceId: uuid("workspace_id").references(() => workspaces.id),
    channelId: uuid("channel_id").references(() => channels.id),
    platform: text("platform", { enum: platformValues }).notNull(),
    externalEventId: text("external_event_id").notNull(),
    /** The delivery (or the channel's part of a batched one) as received, so it can be re-processed. */
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "processed", "rejected", "failed", "ignored"] }).notNull().default("pending"),
    reason: text("reason"),
    /** Ingest tries started (counted before each try, so a try that crashes the process counts too). */
    attempts: integer("attempts").notNull().default(0),
    /** A pending delivery is not taken again before this (backoff between tries); null = at once. */
    nextAttemptAt: at("next_attempt_at"),
    receivedAt: at("received_at").notNull().defaultNow(),
    processedAt: at("processed_at"),
  },
  (t) => [
    uniqueIndex("inbound_events_channel_event_key").on(t.channelId, t.externalEventId),
    index("inbound_events_pending_idx").on(t.receivedAt).where(sql`status = 'pending'`),
    index("inbound_events_channel_time_idx").on(t.channelId, t.receivedAt),
  ],
);

/** The append-only conversation event ledger; metrics are computed from it. */
export const conversationEvents = pgTable(
  "conversation_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    type: text("type").notNull(),
    actor: text("actor", { enum: ["customer", "bot", "agent", "system"] }).notNull(),
    actorUserId: uuid("actor_user_id"),
    messageId: uuid("message_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [
    index("conversation_events_conversation_idx").on(t.conversationId, t.id),
    // Reports: hand-offs, resolutions, agent messages and bot starts in a period (0009_reports; INCLUDE conversation_id, actor).
    index("conversation_events_report_idx").on(t.workspaceId, t.type, t.at),
    index("conversation_events_bot_started_idx").on(t.workspaceId, t.at).where(sql`type = 'conversation.created' and data->>'owner' = 'bot'`),
    // Containment's probes, answered from the index alone (0015_containment_indexes; the last INCLUDEs conversation_id).
    index("conversation_events_handed_off_idx").on(t.conversationId, t.workspaceId, t.at).where(sql`type = 'handed_off'`),
    index("conversation_events_agent_message_idx").on(t.conversationId, t.workspaceId, t.at).where(sql`type = 'message.created' and actor = 'agent'`),
    index("conversation_events_bot_resolved_idx").on(t.workspaceId, t.at).where(sql`type = 'resolved' and actor = 'bot'`),
  ],
);

/** Metric samples derived from the ledger, one row per measured interval (see docs/metrics.md). */
export const metricSamples = pgTable(
  "metric_samples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id").notNull(),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    channelId: uuid("channel_id").notNull(),
    metric: text("metric", { enum: ["first_response", "reply", "resolution"] }).notNull(),
    seconds: doublePrecision("seconds").notNull(),
    startedAt: at("started_at").notNull(),
    recordedAt: at("recorded_at").notNull(),
    agentId: uuid("agent_id"),
    /** The conversation's team when the sample was computed (reports by team). */
    teamId: uuid("team_id"),
    /** The same interval counted in business hours (the team's, else the workspace's); null: recorded before 0009. */
    businessSeconds: doublePrecision("business_seconds"),
    /** The value's bucket for exact percentiles by selection (0012_report_rollups; server/reports/percentile-select.ts). */
    bucket: integer("bucket").generatedAlwaysAs(sql`CASE WHEN "seconds" > 0 THEN floor(ln("seconds") * 100)::integer ELSE -2147483648 END`),
    businessBucket: integer("business_bucket").generatedAlwaysAs(
      sql`CASE WHEN coalesce("business_seconds", "seconds") > 0 THEN floor(ln(coalesce("business_seconds", "seconds")) * 100)::integer ELSE -2147483648 END`,
    ),
  },
  (t) => [
    // The migrations make it covering: INCLUDE (seconds, business_seconds, channel_id, team_id, agent_id, bucket, business_bucket).
    index("metric_samples_report_idx").on(t.workspaceId, t.metric, t.recordedAt),
    // INCLUDE (seconds, channel_id, team_id, agent_id), and business_seconds for the second.
    index("metric_samples_bucket_idx").on(t.workspaceId, t.metric, t.bucket, t.recordedAt),
    index("metric_samples_business_bucket_idx").on(t.workspaceId, t.metric, t.businessBucket, t.recordedAt),
    index("metric_samples_conversation_idx").on(t.conversationId),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id").notNull(),
    actorUserId: uuid("actor_user_id"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_workspace_idx").on(t.workspaceId, t.at)],
);

export * from "./schema-teams.js";
export * from "./schema-bots.js";
export * from "./schema-together.js";
export * from "./schema-contacts.js";
export * from "./schema-finding.js";
export * from "./schema-reports.js";
