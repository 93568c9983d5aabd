-- =====================================================================================
-- Recouvrement schema 0002: keep the reminder table fast with millions of rows.
--
-- Every silo owns a slice of the hash ring and regularly reloads "its" reminders with
-- ReadRangeRows1Key / ReadRangeRows2Key (service_id = X and grain_hash in a range).
-- The primary key (service_id, grain_id, reminder_name) cannot serve those range
-- reads, so without the index below each reload scans the whole table.
--
-- Re-runnable. Sent in one command (one transaction), so CREATE INDEX CONCURRENTLY is
-- not usable here; on an already large table, create the index concurrently by hand
-- first and this file will find it and do nothing.
-- =====================================================================================

SELECT pg_advisory_xact_lock(730555001);

-- Range reads: equality on service_id, range on grain_hash. The wrap-around form
-- (grain_hash > begin OR grain_hash <= end) is answered by two scans of this index
-- combined with a BitmapOr.
CREATE INDEX IF NOT EXISTS orleans_reminder_ring
    ON orleans_reminder (service_id, grain_hash);

-- Re-registering a reminder rewrites start_time, period and version, none of which is
-- indexed: with spare room on the page these updates stay HOT (no index maintenance).
-- Applies to pages written from now on.
ALTER TABLE orleans_reminder SET (fillfactor = 90);

-- A large, mostly stable table: vacuum and analyse after a fixed number of changes
-- instead of a fraction of millions of rows, so dead rows left by unregistering do not
-- pile up and the planner's statistics for grain_hash stay current.
ALTER TABLE orleans_reminder SET (
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 50000,
    autovacuum_analyze_scale_factor = 0.0,
    autovacuum_analyze_threshold = 50000
);
