-- =====================================================================================
-- Recouvrement schema 0007: indexes for the case list's filters at size.
--
-- GET /api/v1/cases goes by reference (its keyset); a filter that no index serves in that
-- order walks the read model until a page is full, which on a million cases whose due
-- dates follow their references took seconds per request (docs/benchmarks.md). A list
-- filtered by due dates now goes by (due_on, reference), which the first index serves in
-- order; the second lets a recent updatedSince read only the cases changed since.
--
-- CREATE INDEX takes a lock that holds writes to the read model while it builds: on a
-- large existing table, create them CONCURRENTLY by hand before upgrading (the names
-- below), and this script then finds them. Re-runnable.
-- =====================================================================================

SELECT pg_advisory_xact_lock(730555001);

CREATE INDEX IF NOT EXISTS recouvrement_case_summary_due
    ON recouvrement_case_summary (service_id, creditor_id, due_on, reference);

CREATE INDEX IF NOT EXISTS recouvrement_case_summary_updated
    ON recouvrement_case_summary (service_id, creditor_id, updated_at, reference);
