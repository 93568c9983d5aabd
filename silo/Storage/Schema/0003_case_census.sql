-- =====================================================================================
-- Recouvrement schema 0003: the count of cases by status.
--
-- The engine's storage writes each case's status beside its serialized state, in a
-- column of our own that the Orleans provider neither reads nor writes. The census
-- (recouvrement.cases gauge) counts the rows by it; the partial index keeps that an
-- index-only aggregate, and holds only case rows.
--
-- Rows written before this script have no label and are not counted until their next
-- write. Re-runnable.
-- =====================================================================================

SELECT pg_advisory_xact_lock(730555001);

ALTER TABLE orleans_grain_state ADD COLUMN IF NOT EXISTS census_label varchar(32) NULL;

CREATE INDEX IF NOT EXISTS orleans_grain_state_census
    ON orleans_grain_state (service_id, census_label)
    WHERE grain_type = 'case' AND census_label IS NOT NULL;
