ALTER TABLE "inbound_events" ALTER COLUMN "workspace_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_events" ALTER COLUMN "channel_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "account_id" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD COLUMN "blocked_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD COLUMN "blocked_reason" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "context" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "private_reply_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "platform" text;--> statement-breakpoint
UPDATE "inbound_events" SET "platform" = "channels"."platform" FROM "channels" WHERE "channels"."id" = "inbound_events"."channel_id";--> statement-breakpoint
ALTER TABLE "inbound_events" ALTER COLUMN "platform" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "surface" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "rating" integer;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "parent_external_id" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "attachments" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "meta" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "hidden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "edited_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "deleted_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "channels_account_idx" ON "channels" USING btree ("platform","account_id");--> statement-breakpoint
CREATE INDEX "inbound_events_channel_time_idx" ON "inbound_events" USING btree ("channel_id","received_at");