-- Reports: per-team and business-hours figures are read from the samples themselves, so a report stays
-- one scan of one index. Samples recorded before this migration count calendar time in the business-hours
-- variant (business_seconds null) until their conversation changes next and they are recomputed.
ALTER TABLE "metric_samples" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "metric_samples" ADD COLUMN "business_seconds" double precision;--> statement-breakpoint
UPDATE "metric_samples" s SET "team_id" = c."team_id" FROM "conversations" c WHERE c."id" = s."conversation_id" AND c."team_id" IS NOT NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "metric_samples_report_idx";--> statement-breakpoint
-- Covering: a metric's samples of a period are one index-only range scan, whatever the grouping or filter.
CREATE INDEX "metric_samples_report_idx" ON "metric_samples" ("workspace_id", "metric", "recorded_at") INCLUDE ("seconds", "business_seconds", "channel_id", "team_id", "agent_id");--> statement-breakpoint
CREATE INDEX "messages_report_idx" ON "messages" ("workspace_id", "created_at") INCLUDE ("direction", "visibility", "status", "channel_id", "conversation_id");--> statement-breakpoint
CREATE INDEX "conversations_created_idx" ON "conversations" ("workspace_id", "created_at") INCLUDE ("channel_id", "team_id");--> statement-breakpoint
CREATE INDEX "conversations_waiting_idx" ON "conversations" ("workspace_id", "queued_at") INCLUDE ("team_id", "channel_id") WHERE "queued_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "conversations_bot_open_idx" ON "conversations" ("workspace_id", "team_id") WHERE "owner" = 'bot' AND "status" <> 'resolved';--> statement-breakpoint
-- Hand-offs, resolutions and agent messages since a period's start (containment reads them as sets).
CREATE INDEX "conversation_events_report_idx" ON "conversation_events" ("workspace_id", "type", "at") INCLUDE ("conversation_id", "actor");--> statement-breakpoint
CREATE INDEX "conversation_events_bot_started_idx" ON "conversation_events" ("workspace_id", "at") INCLUDE ("conversation_id") WHERE "type" = 'conversation.created' AND "data"->>'owner' = 'bot';--> statement-breakpoint
CREATE INDEX "sla_targets_open_idx" ON "sla_targets" ("workspace_id", "status", "warn_at") INCLUDE ("team_id", "due_at", "metric") WHERE "ended_at" IS NULL;
--> statement-breakpoint
-- Without it the planner guesses a few hundred bot starts where there are tens of thousands, and probes
-- every conversation's ledger one by one instead of hashing the hand-offs once.
CREATE STATISTICS "conversation_events_owner_stats" ON (("data"->>'owner')) FROM "conversation_events";
