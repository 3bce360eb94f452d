import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { BusinessHours } from "../../shared/schemas/teams.js";
import { channels, conversations, users, workspaces } from "./schema.js";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** A group of people serving some channels, with how its queue is assigned. */
export const teams = pgTable(
  "teams",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    assignmentPolicy: text("assignment_policy", { enum: ["manual", "round_robin", "least_loaded"] }).notNull().default("manual"),
    /** Open assigned conversations a member may hold before automatic assignment skips them; null = no limit. */
    capacity: integer("capacity"),
    whenOffline: text("when_offline", { enum: ["requeue", "keep"] }).notNull().default("requeue"),
    /** The team's own hours; null = the workspace's. */
    businessHours: jsonb("business_hours").$type<BusinessHours>(),
    /** Round robin's turn counter: each automatic assignment stamps the member with the next value. */
    assignSeq: bigint("assign_seq", { mode: "number" }).notNull().default(0),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("teams_workspace_name_key").on(t.workspaceId, sql`lower(${t.name})`)],
);

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid("team_id").notNull().references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    /** The team's assignSeq of this member's latest automatic assignment (0: never): round robin picks the smallest. */
    lastAssignedSeq: bigint("last_assigned_seq", { mode: "number" }).notNull().default(0),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

/** A channel belongs to at most one team (unique channel_id): its conversations join that team's queue. */
export const teamChannels = pgTable(
  "team_channels",
  {
    teamId: uuid("team_id").notNull().references(() => teams.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.channelId] }), uniqueIndex("team_channels_channel_key").on(t.channelId)],
);

/** The workspace's business hours (a team without its own uses these); absent = always open, UTC. */
export const workspaceBusinessHours = pgTable("workspace_business_hours", {
  workspaceId: uuid("workspace_id").primaryKey().references(() => workspaces.id),
  businessHours: jsonb("business_hours").$type<BusinessHours>().notNull(),
  updatedAt: at("updated_at").notNull().defaultNow(),
});

/** Whether an agent has a console open: presence turns an online agent away after PRESENCE_AWAY_AFTER_S without one. */
export const userPresence = pgTable("user_presence", {
  userId: uuid("user_id").primaryKey().references(() => users.id, { onDelete: "cascade" }),
  /** The last moment a console of theirs was seen open (connect, disconnect, or a presence check that found one). */
  seenAt: at("seen_at").notNull(),
  /** Presence (not the person) made them away: opening a console makes them online again. */
  autoAway: boolean("auto_away").notNull().default(false),
});

export type SlaMatchRow = { channelIds: string[]; kinds: string[]; priorities: string[]; teamIds: string[] };

export const slaPolicies = pgTable(
  "sla_policies",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    /** Order of matching: the first matching policy applies. */
    position: integer("position").notNull(),
    firstResponseSeconds: integer("first_response_seconds"),
    nextResponseSeconds: integer("next_response_seconds"),
    resolutionSeconds: integer("resolution_seconds"),
    businessHours: boolean("business_hours").notNull().default(false),
    match: jsonb("match").$type<SlaMatchRow>().notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [index("sla_policies_workspace_idx").on(t.workspaceId, t.position)],
);

/**
 * Every SLA deadline a conversation was measured against, one row per conversation, metric and start:
 * running while the clock runs; met or breached once (a trigger refuses to change an outcome);
 * cancelled when it stopped applying (handed back to a bot, resolved before a first reply, policy gone).
 * The reports read outcomes by outcome_at (met: when done; breached: when due).
 */
export const slaTargets = pgTable(
  "sla_targets",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    channelId: uuid("channel_id").notNull(),
    teamId: uuid("team_id"),
    /** null for the platform's reply window. */
    policyId: uuid("policy_id"),
    metric: text("metric", { enum: ["first_response", "next_response", "resolution", "reply_window"] }).notNull(),
    businessHours: boolean("business_hours").notNull(),
    status: text("status", { enum: ["running", "met", "breached", "cancelled"] }).notNull().default("running"),
    startedAt: at("started_at").notNull(),
    warnAt: at("warn_at").notNull(),
    dueAt: at("due_at").notNull(),
    warnedAt: at("warned_at"),
    breachedAt: at("breached_at"),
    /** When the awaited reply or resolution happened (also after a breach). */
    doneAt: at("done_at"),
    /** When the clock stopped applying; null while the conversation is still measured against it. */
    endedAt: at("ended_at"),
    /** met: when done; breached: when due. What reports filter on. */
    outcomeAt: at("outcome_at"),
    /** Who answered or resolved (met or late), else the assignee when it breached. */
    agentId: uuid("agent_id"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sla_targets_open_key").on(t.conversationId, t.metric).where(sql`ended_at is null`),
    index("sla_targets_conversation_idx").on(t.conversationId, t.id),
    index("sla_targets_due_idx").on(t.dueAt).where(sql`status = 'running'`),
    index("sla_targets_warn_idx").on(t.warnAt).where(sql`status = 'running' and warned_at is null`),
    index("sla_targets_report_idx").on(t.workspaceId, t.outcomeAt).where(sql`status in ('met', 'breached')`),
    // The live view: deadlines at risk and breaches still waiting (0009_reports; INCLUDE team_id, due_at, metric).
    index("sla_targets_open_idx").on(t.workspaceId, t.status, t.warnAt).where(sql`ended_at is null`),
  ],
);
