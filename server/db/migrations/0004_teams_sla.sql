CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"first_response_seconds" integer,
	"next_response_seconds" integer,
	"resolution_seconds" integer,
	"business_hours" boolean DEFAULT false NOT NULL,
	"match" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_targets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"team_id" uuid,
	"policy_id" uuid,
	"metric" text NOT NULL,
	"business_hours" boolean NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"warn_at" timestamp (3) with time zone NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"warned_at" timestamp (3) with time zone,
	"breached_at" timestamp (3) with time zone,
	"done_at" timestamp (3) with time zone,
	"ended_at" timestamp (3) with time zone,
	"outcome_at" timestamp (3) with time zone,
	"agent_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_channels" (
	"team_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	CONSTRAINT "team_channels_team_id_channel_id_pk" PRIMARY KEY("team_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"last_assigned_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_members_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"assignment_policy" text DEFAULT 'manual' NOT NULL,
	"capacity" integer,
	"when_offline" text DEFAULT 'requeue' NOT NULL,
	"business_hours" jsonb,
	"assign_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_presence" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"seen_at" timestamp (3) with time zone NOT NULL,
	"auto_away" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_business_hours" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"business_hours" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "queued_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_targets" ADD CONSTRAINT "sla_targets_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_targets" ADD CONSTRAINT "sla_targets_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_channels" ADD CONSTRAINT "team_channels_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_channels" ADD CONSTRAINT "team_channels_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_presence" ADD CONSTRAINT "user_presence_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_business_hours" ADD CONSTRAINT "workspace_business_hours_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sla_policies_workspace_idx" ON "sla_policies" USING btree ("workspace_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_targets_open_key" ON "sla_targets" USING btree ("conversation_id","metric") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "sla_targets_conversation_idx" ON "sla_targets" USING btree ("conversation_id","id");--> statement-breakpoint
CREATE INDEX "sla_targets_due_idx" ON "sla_targets" USING btree ("due_at") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "sla_targets_warn_idx" ON "sla_targets" USING btree ("warn_at") WHERE status = 'running' and warned_at is null;--> statement-breakpoint
CREATE INDEX "sla_targets_report_idx" ON "sla_targets" USING btree ("workspace_id","outcome_at") WHERE status in ('met', 'breached');--> statement-breakpoint
CREATE UNIQUE INDEX "team_channels_channel_key" ON "team_channels" USING btree ("channel_id");--> statement-breakpoint
CREATE INDEX "team_members_user_idx" ON "team_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_workspace_name_key" ON "teams" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE INDEX "conversations_team_queue_idx" ON "conversations" USING btree ("team_id","queued_at") WHERE queued_at is not null;--> statement-breakpoint
CREATE INDEX "conversations_assignee_open_idx" ON "conversations" USING btree ("assignee_id") WHERE status = 'open';--> statement-breakpoint
-- A new conversation joins the queue of the team its channel belongs to, whichever path creates it.
CREATE FUNCTION "conversations_default_team"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.team_id IS NULL THEN
    NEW.team_id := (SELECT tc.team_id FROM team_channels tc WHERE tc.channel_id = NEW.channel_id);
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "conversations_team_on_insert" BEFORE INSERT ON "conversations"
  FOR EACH ROW EXECUTE FUNCTION "conversations_default_team"();--> statement-breakpoint
-- An SLA outcome is final: once met, breached or cancelled, its status, times and policy never change
-- (the late reply of a breached target may still be recorded), and it is never deleted.
CREATE FUNCTION "sla_targets_outcome_final"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'running' THEN
      RAISE EXCEPTION 'sla_targets: an outcome is never deleted';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'running' AND (
    NEW.status IS DISTINCT FROM OLD.status OR NEW.due_at IS DISTINCT FROM OLD.due_at OR NEW.started_at IS DISTINCT FROM OLD.started_at
    OR NEW.breached_at IS DISTINCT FROM OLD.breached_at OR NEW.outcome_at IS DISTINCT FROM OLD.outcome_at
    OR NEW.policy_id IS DISTINCT FROM OLD.policy_id OR NEW.metric IS DISTINCT FROM OLD.metric
  ) THEN
    RAISE EXCEPTION 'sla_targets: the % outcome of % is final', OLD.status, OLD.metric;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "sla_targets_final" BEFORE UPDATE OR DELETE ON "sla_targets"
  FOR EACH ROW EXECUTE FUNCTION "sla_targets_outcome_final"();
