-- Response times: each sample's value bucket, stored (floor(ln(seconds) x 100): about 1 % of the value
-- wide; zero and below share the lowest), for its calendar and business-hours value. A report counts the
-- samples per group and bucket in one pass over the covering index, then reads the exact values of only
-- the few buckets that hold the median and the p90 (server/reports/percentile-select.ts): exact
-- percentiles without sorting a month of samples. Generated columns, so every writer fills them.
ALTER TABLE "metric_samples" ADD COLUMN "bucket" integer GENERATED ALWAYS AS (CASE WHEN "seconds" > 0 THEN floor(ln("seconds") * 100)::integer ELSE -2147483648 END) STORED;--> statement-breakpoint
ALTER TABLE "metric_samples" ADD COLUMN "business_bucket" integer GENERATED ALWAYS AS (CASE WHEN coalesce("business_seconds", "seconds") > 0 THEN floor(ln(coalesce("business_seconds", "seconds")) * 100)::integer ELSE -2147483648 END) STORED;--> statement-breakpoint
DROP INDEX IF EXISTS "metric_samples_report_idx";--> statement-breakpoint
CREATE INDEX "metric_samples_report_idx" ON "metric_samples" ("workspace_id", "metric", "recorded_at") INCLUDE ("seconds", "business_seconds", "channel_id", "team_id", "agent_id", "bucket", "business_bucket");--> statement-breakpoint
-- Pass 2: the samples of a few buckets, whatever their time.
CREATE INDEX "metric_samples_bucket_idx" ON "metric_samples" ("workspace_id", "metric", "bucket", "recorded_at") INCLUDE ("seconds", "channel_id", "team_id", "agent_id");--> statement-breakpoint
CREATE INDEX "metric_samples_business_bucket_idx" ON "metric_samples" ("workspace_id", "metric", "business_bucket", "recorded_at") INCLUDE ("seconds", "business_seconds", "channel_id", "team_id", "agent_id");--> statement-breakpoint
-- Overview rollups (docs/performance.md, "Reports at scale"): the overview's counts per closed UTC day,
-- channel and team, computed on first use by the report itself (that is the back-fill: no count is ever
-- stored here that cannot be computed again from conversations, messages, the ledger and SLA targets),
-- and dropped again when something changes a day already counted (the triggers below).
-- report_days marks a day whose counts are complete; report_day_counts holds them, one row per measure:
-- conversations, messages_in, messages_out, handed_off:<reason>, sla_met, sla_breached, reply_windows_expired.
CREATE TABLE "report_days" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_days_pk" PRIMARY KEY ("workspace_id", "day")
);--> statement-breakpoint
CREATE TABLE "report_day_counts" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel_id" uuid NOT NULL,
	"team_id" uuid,
	"measure" text NOT NULL,
	"n" integer NOT NULL
);--> statement-breakpoint
CREATE INDEX "report_day_counts_day_idx" ON "report_day_counts" USING btree ("workspace_id", "day");--> statement-breakpoint
-- Forgets the counted UTC days of a workspace from day_from to day_to. Taken under a shared advisory lock
-- that a report computing days takes exclusively, so a late row is either seen by that computation or
-- forgets its result after it commits, never lost between the two.
CREATE FUNCTION "report_days_forget"(ws uuid, day_from timestamptz, day_to timestamptz) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('report_days:' || ws::text, 0));
  DELETE FROM report_days WHERE workspace_id = ws
    AND day BETWEEN (day_from AT TIME ZONE 'UTC')::date AND (day_to AT TIME ZONE 'UTC')::date;
  DELETE FROM report_day_counts WHERE workspace_id = ws
    AND day BETWEEN (day_from AT TIME ZONE 'UTC')::date AND (day_to AT TIME ZONE 'UTC')::date;
END;
$$;--> statement-breakpoint
-- A row that lands in, leaves or changes a day that may be counted already. Days are counted only once
-- they ended an hour ago (by the database's clock), so rows written "now" never fire these (the WHEN
-- conditions are all the cost on the ingest path); imports, late SLA outcomes, team changes and deletions do.
CREATE FUNCTION "report_days_row_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t_old timestamptz;
  t_new timestamptz;
BEGIN
  IF TG_TABLE_NAME = 'conversations' THEN
    -- A conversation's team or channel moves all its counts: from its creation until now.
    IF TG_OP <> 'INSERT' THEN PERFORM report_days_forget(OLD.workspace_id, OLD.created_at, now()); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM report_days_forget(NEW.workspace_id, NEW.created_at, now()); END IF;
  ELSE
    IF TG_TABLE_NAME = 'messages' THEN
      IF TG_OP <> 'INSERT' THEN t_old := OLD.created_at; END IF;
      IF TG_OP <> 'DELETE' THEN t_new := NEW.created_at; END IF;
    ELSIF TG_TABLE_NAME = 'conversation_events' THEN
      IF TG_OP <> 'INSERT' THEN t_old := OLD.at; END IF;
      IF TG_OP <> 'DELETE' THEN t_new := NEW.at; END IF;
    ELSE
      IF TG_OP <> 'INSERT' THEN t_old := OLD.outcome_at; END IF;
      IF TG_OP <> 'DELETE' THEN t_new := NEW.outcome_at; END IF;
    END IF;
    IF t_old IS NOT NULL THEN PERFORM report_days_forget(OLD.workspace_id, t_old, t_old); END IF;
    IF t_new IS NOT NULL THEN PERFORM report_days_forget(NEW.workspace_id, t_new, t_new); END IF;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "conversations_report_days_insert" AFTER INSERT ON "conversations"
  FOR EACH ROW WHEN (NEW.created_at < now() - interval '1 hour') EXECUTE FUNCTION "report_days_row_changed"();--> statement-breakpoint
CREATE TRIGGER "conversations_report_days_change" AFTER UPDATE ON "conversations"
  FOR EACH ROW WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.channel_id IS DISTINCT FROM NEW.channel_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION "report_days_row_changed"();--> statement-breakpoint
CREATE TRIGGER "conversations_report_days_delete" AFTER DELETE ON "conversations"
  FOR EACH ROW EXECUTE FUNCTION "report_days_row_changed"();--> statement-breakpoint
CREATE TRIGGER "messages_report_days_insert" AFTER INSERT ON "messages"
  FOR EACH ROW WHEN (NEW.created_at < now() - interval '1 hour') EXECUTE FUNCTION "report_days_row_changed"();--> statement-breakpoint
CREATE TRIGGER "messages_report_days_change" AFTER UPDATE ON "messages"
  FOR EACH ROW WHEN (least(OLD.created_at, NEW.created_at) < now() - interval '1 hour' AND (
    OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.conversation_id IS DISTINCT FROM NEW.conversation_id
    OR OLD.channel_id IS DISTINCT FROM NEW.channel_id OR OLD.direction IS DISTINCT FROM NEW.direction
    OR OLD.visibility IS DISTINCT FROM NEW.visibility OR (OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled')))
  EXECUTE FUNCTION "report_days_row_changed"();--> statement-breakpoint
CREATE TRIGGER "messages_report_days_delete" AFTER DELETE ON "messages"
  FOR EACH ROW WHEN (OLD.created_at < now() - interval '1 hour') EXECUTE FUNCTION "report_days_row_changed"();--> statement-breakpoint
CREATE TRIGGER "conversation_events_report_days_insert" AFTER INSERT ON "conversation_events"
  FOR EACH ROW WHEN (NEW.type = 'handed_off' AND NEW.at < now() - interval '1 hour') EXECUTE FUNCTION "report_days_row_changed"();--> statement-breakpoint
CREATE TRIGGER "conversation_events_report_days_change" AFTER UPDATE OR DELETE ON "conversation_events"
  FOR EACH ROW WHEN (OLD.type = 'handed_off') EXECUTE FUNCTION "report_days_row_changed"();--> statement-breakpoint
CREATE TRIGGER "sla_targets_report_days_insert" AFTER INSERT ON "sla_targets"
  FOR EACH ROW WHEN (NEW.outcome_at < now() - interval '1 hour') EXECUTE FUNCTION "report_days_row_changed"();--> statement-breakpoint
CREATE TRIGGER "sla_targets_report_days_change" AFTER UPDATE ON "sla_targets"
  FOR EACH ROW WHEN (least(OLD.outcome_at, NEW.outcome_at) < now() - interval '1 hour' AND (
    OLD.outcome_at IS DISTINCT FROM NEW.outcome_at OR OLD.status IS DISTINCT FROM NEW.status OR OLD.metric IS DISTINCT FROM NEW.metric
    OR OLD.channel_id IS DISTINCT FROM NEW.channel_id OR OLD.team_id IS DISTINCT FROM NEW.team_id))
  EXECUTE FUNCTION "report_days_row_changed"();
