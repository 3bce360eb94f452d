-- Bot containment at scale (issue 7; docs/performance.md). Containment asks of each conversation a bot
-- started whether a bot resolved it and no hand-off or agent message followed. Those probes read the
-- conversation's whole ledger through conversation_events_conversation_idx and fetched every row from
-- the heap (about 0.2 ms a conversation: 250 ms of CPU for 80,000 bot conversations). Small partial
-- indexes answer each probe from the index alone; customer messages, the bulk of the ledger, are not in them.
CREATE INDEX IF NOT EXISTS "conversation_events_handed_off_idx" ON "conversation_events" USING btree ("conversation_id", "workspace_id", "at") WHERE type = 'handed_off';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversation_events_agent_message_idx" ON "conversation_events" USING btree ("conversation_id", "workspace_id", "at") WHERE type = 'message.created' and actor = 'agent';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversation_events_bot_resolved_idx" ON "conversation_events" USING btree ("workspace_id", "at") INCLUDE ("conversation_id") WHERE type = 'resolved' and actor = 'bot';
