CREATE TABLE "labels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL REFERENCES "workspaces"("id"),
	"name" text NOT NULL,
	"color" text NOT NULL,
	"description" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "labels_workspace_name_key" ON "labels" USING btree ("workspace_id", lower("name"));
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL REFERENCES "workspaces"("id"),
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"name" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sort" text DEFAULT 'activity' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "saved_views_user_idx" ON "saved_views" USING btree ("user_id", "created_at");
--> statement-breakpoint
CREATE INDEX "conversations_active_activity_idx" ON "conversations" USING btree ("workspace_id", "activity_at" DESC, "id" DESC) WHERE status in ('open', 'pending');
--> statement-breakpoint
CREATE INDEX "conversations_assignee_activity_idx" ON "conversations" USING btree ("workspace_id", "assignee_id", "activity_at" DESC, "id" DESC);
--> statement-breakpoint
CREATE INDEX "conversations_breach_idx" ON "conversations" USING btree ("workspace_id", "sla_due_at" ASC NULLS LAST, "activity_at" DESC, "id" DESC);
--> statement-breakpoint
CREATE INDEX "conversations_waiting_since_idx" ON "conversations" USING btree ("workspace_id", "waiting_since" ASC NULLS LAST, "activity_at" DESC, "id" DESC);
--> statement-breakpoint
CREATE INDEX "conversations_labels_idx" ON "conversations" USING gin ("labels");
--> statement-breakpoint
--> statement-breakpoint
CREATE INDEX "conversations_snoozed_idx" ON "conversations" USING btree ("snoozed_until") WHERE status = 'snoozed';
--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin (to_tsvector('simple', "text"));
--> statement-breakpoint
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
--> statement-breakpoint
CREATE INDEX "contacts_name_trgm_idx" ON "contacts" USING gin ("name" public.gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "contact_identities_external_trgm_idx" ON "contact_identities" USING gin ("external_id" public.gin_trgm_ops);
