CREATE TABLE "bot_dry_run_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"item" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_dry_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"created_by" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"limit" integer NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"proposal" jsonb,
	"use_llm" boolean DEFAULT true NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "bot_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"user_id" uuid,
	"note" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_handoffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"summary" text,
	"suggested_reply" text,
	"message_id" uuid,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_turns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"stage" text,
	"outcome" text NOT NULL,
	"reason" text,
	"reply_message_id" uuid,
	"language" text,
	"retrieved_article_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"cited_article_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"confidence" double precision,
	"model" text,
	"model_calls" integer DEFAULT 0 NOT NULL,
	"prompt" jsonb,
	"tool_calls" jsonb,
	"latency_ms" integer DEFAULT 0 NOT NULL,
	"detail" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_articles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"external_id" text,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"ts_config" text DEFAULT 'english' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"search" "tsvector" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"base_url" text,
	"model" text,
	"api_key_encrypted" text,
	"temperature" double precision DEFAULT 0.2 NOT NULL,
	"max_bot_turns" integer DEFAULT 10 NOT NULL,
	"reply_language" text DEFAULT 'customer' NOT NULL,
	"instructions" text DEFAULT '' NOT NULL,
	"never_say" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bot_rules" ADD COLUMN "actions" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "bot_dry_run_items" ADD CONSTRAINT "bot_dry_run_items_run_id_bot_dry_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "bot_dry_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_dry_runs" ADD CONSTRAINT "bot_dry_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_dry_runs" ADD CONSTRAINT "bot_dry_runs_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_dry_runs" ADD CONSTRAINT "bot_dry_runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_feedback" ADD CONSTRAINT "bot_feedback_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_feedback" ADD CONSTRAINT "bot_feedback_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_feedback" ADD CONSTRAINT "bot_feedback_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_feedback" ADD CONSTRAINT "bot_feedback_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_feedback" ADD CONSTRAINT "bot_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_handoffs" ADD CONSTRAINT "bot_handoffs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_handoffs" ADD CONSTRAINT "bot_handoffs_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_turns" ADD CONSTRAINT "bot_turns_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_turns" ADD CONSTRAINT "bot_turns_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_turns" ADD CONSTRAINT "bot_turns_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_turns" ADD CONSTRAINT "bot_turns_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm_settings" ADD CONSTRAINT "llm_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bot_dry_run_items_position_key" ON "bot_dry_run_items" USING btree ("run_id","position");--> statement-breakpoint
CREATE INDEX "bot_dry_runs_channel_idx" ON "bot_dry_runs" USING btree ("channel_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "bot_dry_runs_open_idx" ON "bot_dry_runs" USING btree ("status","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "bot_feedback_message_key" ON "bot_feedback" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "bot_feedback_workspace_idx" ON "bot_feedback" USING btree ("workspace_id","at");--> statement-breakpoint
CREATE INDEX "bot_handoffs_conversation_idx" ON "bot_handoffs" USING btree ("conversation_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "bot_turns_conversation_idx" ON "bot_turns" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "bot_turns_workspace_idx" ON "bot_turns" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_articles_external_key" ON "knowledge_articles" USING btree ("workspace_id","external_id");--> statement-breakpoint
CREATE INDEX "knowledge_articles_workspace_idx" ON "knowledge_articles" USING btree ("workspace_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "knowledge_articles_search_idx" ON "knowledge_articles" USING gin ("search");--> statement-breakpoint
-- Hand-off reasons are one vocabulary of seven (shared/schemas/common.ts). The rule bot's old
-- "no_match" is renamed "no_answer" everywhere, including the ledger: the fact recorded (the bot
-- could not answer) is unchanged, only its name, so reports and the API read one vocabulary. This
-- is the one place the append-only trigger is lifted, inside this migration's transaction.
ALTER TABLE "conversation_events" DISABLE TRIGGER "conversation_events_no_change";--> statement-breakpoint
UPDATE "conversation_events" SET "data" = jsonb_set("data", '{reason}', '"no_answer"') WHERE "type" = 'handed_off' AND "data"->>'reason' = 'no_match';--> statement-breakpoint
ALTER TABLE "conversation_events" ENABLE TRIGGER "conversation_events_no_change";--> statement-breakpoint
-- Conversations people own now get their latest hand-off as the agent's hand-off card (no summary).
INSERT INTO "bot_handoffs" ("workspace_id", "conversation_id", "reason", "at")
SELECT DISTINCT ON (e."conversation_id") e."workspace_id", e."conversation_id", e."data"->>'reason', e."at"
FROM "conversation_events" e JOIN "conversations" c ON c."id" = e."conversation_id"
WHERE e."type" = 'handed_off' AND c."owner" = 'human' AND c."handoff_reason" IS NOT NULL
ORDER BY e."conversation_id", e."id" DESC;--> statement-breakpoint
-- The old default hand-off keywords were bare words ("agent" matched "my delivery agent …"); the
-- hand-off detector replaces them. Channels that only ever had the default list lose it.
UPDATE "channels" SET "bot_settings" = "bot_settings" - 'handoffKeywords'
WHERE "bot_settings"->'handoffKeywords' = '["agent","human","person","representative","operator","real person","talk to someone","speak to someone"]'::jsonb;
