-- Search and the inbox at a million messages (issues 8 and 9; docs/performance.md).
-- GIN indexes keep new entries in an unsorted "pending list" that every search reads in full until
-- vacuum merges it: after 50,000 new contacts a name search read 400 pages (45 ms) and the planner,
-- costing that, chose a sequential scan. Names and platform ids change rarely: write them straight
-- into the index. Messages arrive all the time: keep their list short instead of turning it off.
ALTER INDEX "contacts_name_trgm_idx" SET (fastupdate = off);
--> statement-breakpoint
SELECT gin_clean_pending_list('contacts_name_trgm_idx');
--> statement-breakpoint
ALTER INDEX "contact_identities_external_trgm_idx" SET (fastupdate = off);
--> statement-breakpoint
SELECT gin_clean_pending_list('contact_identities_external_trgm_idx');
--> statement-breakpoint
ALTER INDEX "messages_search_idx" SET (gin_pending_list_limit = 256);
--> statement-breakpoint
-- The inbox's views (open and pending) filtered by priority, in the list's order (latest activity, then id).
CREATE INDEX IF NOT EXISTS "conversations_active_priority_idx" ON "conversations" USING btree ("workspace_id", "priority", "activity_at" DESC, "id" DESC) WHERE status in ('open', 'pending');
