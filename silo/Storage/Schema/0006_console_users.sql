-- =====================================================================================
-- Recouvrement schema 0006 (console users): the console's data-protection keys, and the
-- index commission statements read payments by.
--
-- The console's session cookies and anti-forgery tokens are encrypted with ASP.NET Core
-- data-protection keys; every API process of a service reads them here, so that a
-- cookie written by one process opens the console on another. Re-runnable.
-- =====================================================================================

SELECT pg_advisory_xact_lock(730555001);

CREATE TABLE IF NOT EXISTS recouvrement_data_protection_keys (
    service_id  varchar(150) NOT NULL,
    name        varchar(200) NOT NULL,
    xml         text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, name)
);

-- Commission statements read one creditor's payments of one month.
CREATE INDEX IF NOT EXISTS recouvrement_events_payments
    ON recouvrement_events (service_id, creditor_id, occurred_at)
    WHERE type = 'case.payment_received';
