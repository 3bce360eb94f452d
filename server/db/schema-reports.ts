import { date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The overview's counts per closed UTC day (0012_report_rollups, docs/performance.md): computed on first
 * use by the report, forgotten by triggers on conversations, messages, conversation_events and
 * sla_targets when a row lands in or changes a day already counted.
 */
export const reportDays = pgTable(
  "report_days",
  {
    workspaceId: uuid("workspace_id").notNull(),
    day: date("day").notNull(),
    computedAt: timestamp("computed_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "report_days_pk", columns: [t.workspaceId, t.day] })],
);

/** One measure of one day, channel and team (the conversation's team; an SLA target's own team). */
export const reportDayCounts = pgTable(
  "report_day_counts",
  {
    workspaceId: uuid("workspace_id").notNull(),
    day: date("day").notNull(),
    channelId: uuid("channel_id").notNull(),
    teamId: uuid("team_id"),
    /** conversations, messages_in, messages_out, handed_off:<reason>, sla_met, sla_breached, reply_windows_expired */
    measure: text("measure").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [index("report_day_counts_day_idx").on(t.workspaceId, t.day)],
);
