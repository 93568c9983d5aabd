-- =====================================================================================
-- Recouvrement schema 0008: the report counters.
--
-- GET /api/v1/reports/summary, /reports/cohorts and the console's overview read these
-- counters, never the cases: each row is one cell of one creditor's figure in one
-- currency (docs/reports.md lists the figures and what day, label and n mean in each).
-- The projection adds to them in the transaction that writes the cases' summaries, and
-- only for a case's events after counted_sequence, which it moves in the same
-- transaction: a redelivered event counts once, as a summary is written once.
--
-- A case's tally lives in its read-model row: counted_sequence (the last event counted,
-- 0 none yet), reached_stage (the highest stage it reached) and last_channel (the
-- channel of its last message, which a payment is credited to).
--
-- An existing read model is counted once here: its cases as they stand, and the
-- payments of the event log up to each case's summary; such payments are credited to
-- no channel ("none") and a case's highest stage is taken as its current one. Later
-- events are counted by the projection. Re-runnable.
-- =====================================================================================

SELECT pg_advisory_xact_lock(730555001);

CREATE TABLE IF NOT EXISTS recouvrement_report_counters (
    service_id   varchar(150) NOT NULL,
    creditor_id  varchar(64) NOT NULL,
    currency     char(3) NOT NULL,
    figure       varchar(16) NOT NULL,
    day          date NOT NULL,
    label        varchar(32) NOT NULL,
    n            integer NOT NULL,
    count        bigint NOT NULL,
    amount       numeric(16, 2) NOT NULL,
    paid         numeric(16, 2) NOT NULL,
    balance      numeric(16, 2) NOT NULL,
    PRIMARY KEY (service_id, creditor_id, currency, figure, day, label, n)
);

ALTER TABLE recouvrement_case_summary
    ADD COLUMN IF NOT EXISTS counted_sequence bigint NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS reached_stage integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS last_channel varchar(16) NULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM recouvrement_report_counters) OR EXISTS (SELECT 1 FROM recouvrement_case_summary WHERE counted_sequence > 0) THEN
        RETURN;
    END IF;

    INSERT INTO recouvrement_report_counters
    SELECT service_id, creditor_id, currency, 'status', date '2000-01-01', status, stage, count(*), sum(amount), sum(paid), sum(balance)
    FROM recouvrement_case_summary GROUP BY service_id, creditor_id, currency, status, stage;

    INSERT INTO recouvrement_report_counters
    SELECT service_id, creditor_id, currency, 'reached', date '2000-01-01', '', stage, count(*), 0, 0, 0
    FROM recouvrement_case_summary GROUP BY service_id, creditor_id, currency, stage;

    INSERT INTO recouvrement_report_counters
    SELECT service_id, creditor_id, currency, 'intake', date_trunc('month', created_at AT TIME ZONE 'Europe/Paris')::date, '', 0,
           count(*), sum(amount), 0, 0
    FROM recouvrement_case_summary GROUP BY 1, 2, 3, 5;

    INSERT INTO recouvrement_report_counters
    SELECT s.service_id, s.creditor_id, s.currency, 'payments', (e.occurred_at AT TIME ZONE 'Europe/Paris')::date, 'none', 0,
           count(*), sum((e.data ->> 'amount')::numeric), 0, 0
    FROM recouvrement_events e
    JOIN recouvrement_case_summary s
      ON s.service_id = e.service_id AND s.creditor_id = e.creditor_id AND s.reference = e.case_reference AND e.sequence <= s.sequence
    WHERE e.type = 'case.payment_received'
    GROUP BY 1, 2, 3, 5;

    INSERT INTO recouvrement_report_counters
    SELECT s.service_id, s.creditor_id, s.currency, 'recovery', date_trunc('month', s.created_at AT TIME ZONE 'Europe/Paris')::date, '',
           least(91, greatest(0, (e.occurred_at AT TIME ZONE 'Europe/Paris')::date - (s.created_at AT TIME ZONE 'Europe/Paris')::date)),
           count(*), sum((e.data ->> 'amount')::numeric), 0, 0
    FROM recouvrement_events e
    JOIN recouvrement_case_summary s
      ON s.service_id = e.service_id AND s.creditor_id = e.creditor_id AND s.reference = e.case_reference AND e.sequence <= s.sequence
    WHERE e.type = 'case.payment_received'
    GROUP BY 1, 2, 3, 5, 7;

    INSERT INTO recouvrement_report_counters
    SELECT s.service_id, s.creditor_id, s.currency, 'days_to_pay', date_trunc('month', e.occurred_at AT TIME ZONE 'Europe/Paris')::date, '',
           least(366, greatest(0, (e.occurred_at AT TIME ZONE 'Europe/Paris')::date - (s.created_at AT TIME ZONE 'Europe/Paris')::date)),
           count(*), 0, 0, 0
    FROM recouvrement_events e
    JOIN recouvrement_case_summary s
      ON s.service_id = e.service_id AND s.creditor_id = e.creditor_id AND s.reference = e.case_reference AND e.sequence <= s.sequence
    WHERE e.type = 'case.paid'
    GROUP BY 1, 2, 3, 5, 7;

    UPDATE recouvrement_case_summary SET counted_sequence = sequence, reached_stage = stage;
END
$$;
