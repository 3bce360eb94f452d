ALTER TABLE "inbound_events" ADD COLUMN "next_attempt_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "send_started_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "uncertain_resends" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Platform API addresses are environment settings only (SSRF): the per-channel apiBaseUrl goes. The
-- demo seed's channels, which pointed it at the simulator's 127.0.0.1 fakes, become marked demo
-- channels, whose calls go to those fixed local ports while PARLEY_DEMO is on.
UPDATE "channels" SET "settings" = ("settings" - 'apiBaseUrl') || '{"demo": true}'::jsonb
  WHERE "settings" ? 'apiBaseUrl' AND "name" LIKE 'Demo %' AND "settings"->>'apiBaseUrl' LIKE 'http://127.0.0.1:%';--> statement-breakpoint
UPDATE "channels" SET "settings" = "settings" - 'apiBaseUrl' WHERE "settings" ? 'apiBaseUrl';--> statement-breakpoint
UPDATE "channels" SET "settings" = "settings" || '{"demo": true}'::jsonb
  WHERE "platform" = 'api' AND "name" = 'Demo API channel' AND "settings"->>'callbackUrl' LIKE '%/demo/callback';
