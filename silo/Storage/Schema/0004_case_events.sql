-- =====================================================================================
-- Recouvrement schema 0004: the read side.
--
-- recouvrement_events is the transactional outbox and the durable event log: every
-- grain write that changes something a creditor cares about inserts its events here in
-- the same transaction as the state. Readers (the feed, the relay to the Orleans stream)
-- go in (tx, position) order and only below the oldest running transaction
-- (pg_snapshot_xmin), so that an event committed late is never passed over.
--
-- recouvrement_case_summary is the read model: one row per case, inserted with the case's
-- creation (in the same transaction, with what the creditor fed, for exports) and kept
-- by the projection from the stream, idempotent on the case's event sequence.
--
-- recouvrement_event_cursors holds where each reader of the log (the relay) got to.
-- Re-runnable.
-- =====================================================================================

SELECT pg_advisory_xact_lock(730555001);

CREATE TABLE IF NOT EXISTS recouvrement_events (
    position          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx                xid8 NOT NULL DEFAULT pg_current_xact_id(),
    service_id        varchar(150) NOT NULL,
    creditor_id       varchar(64) NOT NULL,
    event_id          varchar(32) NOT NULL,
    type              varchar(48) NOT NULL,
    case_reference    varchar(64) NULL,
    debtor_reference  varchar(64) NOT NULL,
    occurred_at       timestamptz NOT NULL,
    sequence          bigint NOT NULL,
    data              json NOT NULL,
    summary           json NULL
);

-- The feed: one creditor's events in commit order.
CREATE INDEX IF NOT EXISTS recouvrement_events_feed
    ON recouvrement_events (service_id, creditor_id, tx, position);

-- The relay: everyone's events in commit order.
CREATE INDEX IF NOT EXISTS recouvrement_events_log
    ON recouvrement_events (service_id, tx, position);

CREATE TABLE IF NOT EXISTS recouvrement_case_summary (
    service_id        varchar(150) NOT NULL,
    creditor_id       varchar(64) NOT NULL,
    reference         varchar(64) COLLATE "C" NOT NULL,
    debtor_reference  varchar(64) NOT NULL,
    status            varchar(32) NOT NULL,
    stage             integer NOT NULL,
    amount            numeric(14, 2) NOT NULL,
    paid              numeric(14, 2) NOT NULL,
    balance           numeric(14, 2) NOT NULL,
    currency          char(3) NOT NULL,
    issued_on         date NOT NULL,
    due_on            date NOT NULL,
    next_step_at      timestamptz NULL,
    next_action       varchar(32) NULL,
    last_event        varchar(48) NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    sequence          bigint NOT NULL,
    -- What the creditor fed, for exports: written with the case's creation, blanked by an erasure.
    label             text NULL,
    debtor_kind       varchar(16) NULL,
    debtor_name       text NULL,
    email             text NULL,
    phone             varchar(32) NULL,
    address_line1     text NULL,
    postal_code       varchar(16) NULL,
    city              text NULL,
    country           varchar(2) NULL,
    language          varchar(2) NULL,
    PRIMARY KEY (service_id, creditor_id, reference)
);

CREATE INDEX IF NOT EXISTS recouvrement_case_summary_status
    ON recouvrement_case_summary (service_id, creditor_id, status, reference);

CREATE INDEX IF NOT EXISTS recouvrement_case_summary_debtor
    ON recouvrement_case_summary (service_id, creditor_id, debtor_reference, reference);

CREATE TABLE IF NOT EXISTS recouvrement_event_cursors (
    service_id  varchar(150) NOT NULL,
    name        varchar(64) NOT NULL,
    tx          xid8 NOT NULL,
    position    bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, name)
);
