-- Bounded SLA replay (issue 9; docs/performance.md). Each ingest batch replayed the whole ledger of every
-- conversation it touched to bring the SLA clocks up to date: at a steady 500 deliveries/s that read was
-- the largest share of PostgreSQL's time, and it grows with every message. The replay's state after the
-- entries seen so far is kept on the conversation (JSON, with the id of the last entry replayed), so a
-- refresh reads only the entries that follow. Null means "replay from the start": existing conversations
-- get their state at their next refresh.
ALTER TABLE "conversations" ADD COLUMN IF NOT EXISTS "sla_replay" jsonb;
