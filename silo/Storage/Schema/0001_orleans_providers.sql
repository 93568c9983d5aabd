-- =====================================================================================
-- Recouvrement schema 0001: storage for the Orleans ADO.NET providers on PostgreSQL.
--
-- Serves Microsoft.Orleans.Clustering.AdoNet, .Persistence.AdoNet and .Reminders.AdoNet
-- (10.4.x) configured with Invariant = "Npgsql". The providers ship no SQL: at start-up
-- each one loads its statements from the OrleansQuery table and afterwards only ever
-- runs those statements. This file creates the tables those statements touch and
-- publishes the statements themselves.
--
-- Contract with the providers (checked against the 10.4.2 binaries):
--   * Parameters are named (at-sign + Name) and Npgsql rewrites them to positional
--     ones. Orleans always sets DbType, so every parameter arrives typed, nulls too:
--     string -> text, int -> int4, long -> int8, byte[] -> bytea,
--     DateTime -> timestamptz (Npgsql only accepts DateTime values of Kind Utc here).
--   * Result columns are looked up by name, so every column is aliased with the exact
--     casing the C# code asks for, or read by ordinal 0 where noted.
--   * Versions / ETags are int4 counters; the providers turn them into strings and
--     back with int.Parse.
--
-- Re-runnable: every object is created with IF NOT EXISTS / OR REPLACE and the
-- statements are upserted. Meant to be sent as one multi-statement command, which
-- PostgreSQL runs as a single implicit transaction, so it applies entirely or not at
-- all; the advisory lock keeps two silos migrating at once from tripping on each other.
-- =====================================================================================

SELECT pg_advisory_xact_lock(730555001);

-- The providers read this table with: SELECT QueryKey, QueryText FROM OrleansQuery
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT orleans_query_pk PRIMARY KEY (QueryKey)
);

-- -------------------------------------------------------------------------------------
-- Clustering (membership)
-- -------------------------------------------------------------------------------------

-- One row per cluster (the provider calls it DeploymentId; it is the ClusterId).
-- "version" is the table-wide ETag: every membership change must present the value it
-- last read and bumps it by one, which is how Orleans detects concurrent writers.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_membership_version_pk PRIMARY KEY (deployment_id)
);

-- One row per silo incarnation (address, port, generation).
-- status holds Orleans' SiloStatus: 3 = Active, 6 = Dead.
-- suspect_times is Orleans' own "silo,date|silo,date" text, stored as given.
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text        NOT NULL,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT orleans_membership_pk PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT orleans_membership_cluster_fk FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE
);

-- Adds a silo row if the caller's table version is still current; the version is bumped
-- in the same transaction. Returns false, and changes nothing, when the version moved
-- on or the silo row already exists.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_table_version   integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_current integer;
BEGIN
    -- Every membership write locks the cluster's version row first, so writers queue
    -- here and the version cannot change between this check and the bump below.
    SELECT version INTO v_current
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id
    FOR UPDATE;

    IF NOT FOUND OR v_current IS DISTINCT FROM p_table_version THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name,
         status, proxy_port, suspect_times, start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, coalesce(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time)
    ON CONFLICT (deployment_id, address, port, generation) DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1,
        changed_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN true;
END
$$;

-- Changes a silo row (status, suspicions, liveness) under the same table-version rule
-- as orleans_membership_insert. The liveness time never moves backwards.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_table_version   integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_current integer;
BEGIN
    SELECT version INTO v_current
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id
    FOR UPDATE;

    IF NOT FOUND OR v_current IS DISTINCT FROM p_table_version THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
    SET status = p_status,
        suspect_times = p_suspect_times,
        i_am_alive_time = greatest(i_am_alive_time, p_i_am_alive_time)
    WHERE deployment_id = p_deployment_id
      AND address = p_address
      AND port = p_port
      AND generation = p_generation;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1,
        changed_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN true;
END
$$;

-- -------------------------------------------------------------------------------------
-- Persistence (grain state)
-- -------------------------------------------------------------------------------------

-- A grain is identified by (service, grain type, grain id). Orleans splits the id into
-- two int8 halves plus an optional string part (the whole key for string-keyed grains,
-- the key extension otherwise) and sends two int4 hashes used to narrow index lookups.
-- "version" is the state's ETag. A cleared state keeps its row, with a NULL payload,
-- so that the version keeps counting; only "delete state on clear" removes the row.
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id         text         NOT NULL,
    grain_type_hash    integer      NOT NULL,
    grain_id_hash      integer      NOT NULL,
    grain_id_n0        bigint       NOT NULL,
    grain_id_n1        bigint       NOT NULL,
    grain_type         varchar(512) NOT NULL,
    grain_id_extension varchar(512) NULL,
    payload            bytea        NULL,
    version            integer      NOT NULL,
    modified_on        timestamptz  NOT NULL DEFAULT now()
)
WITH (fillfactor = 80);  -- free room on each page lets state rewrites stay HOT updates

-- One row per grain. NULLS NOT DISTINCT (PostgreSQL 15+) makes a NULL extension count
-- as a value, so two first writes of the same grain cannot both insert.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_key
    ON orleans_grain_state
       (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1,
        service_id, grain_type, grain_id_extension)
    NULLS NOT DISTINCT;

-- Writes a grain's state and returns its new version, or NULL when nothing was written.
--   p_expected_version NULL     -> first write: insert version 1 unless the row exists.
--   p_expected_version not NULL -> rewrite, only if the stored version still matches.
-- The provider raises InconsistentStateException when it gets NULL back.
CREATE OR REPLACE FUNCTION orleans_grain_state_write(
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_extension text,
    p_service_id         text,
    p_expected_version   integer,
    p_payload            bytea)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO orleans_grain_state
            (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1,
             grain_type, grain_id_extension, payload, version, modified_on)
        VALUES
            (p_service_id, p_grain_type_hash, p_grain_id_hash, p_grain_id_n0, p_grain_id_n1,
             p_grain_type, p_grain_id_extension, p_payload, 1, now())
        ON CONFLICT DO NOTHING
        RETURNING version INTO v_new_version;
    ELSE
        UPDATE orleans_grain_state
        SET payload = p_payload,
            version = version + 1,
            modified_on = now()
        WHERE grain_id_hash = p_grain_id_hash
          AND grain_type_hash = p_grain_type_hash
          AND grain_id_n0 = p_grain_id_n0
          AND grain_id_n1 = p_grain_id_n1
          AND service_id = p_service_id
          AND grain_type = p_grain_type
          AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
          AND version = p_expected_version
        RETURNING version INTO v_new_version;
    END IF;

    RETURN v_new_version;
END
$$;

-- -------------------------------------------------------------------------------------
-- Reminders
-- -------------------------------------------------------------------------------------

-- grain_hash is the grain's uniform hash cast to int4 (so it can be negative); the ring
-- range queries below compare it as a signed number, exactly as the provider expects.
-- period is in milliseconds. version is the reminder's ETag.
CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    CONSTRAINT orleans_reminder_pk PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- -------------------------------------------------------------------------------------
-- Named statements read by the providers
-- -------------------------------------------------------------------------------------

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES

-- ---- clustering: all nine keys below are required at start-up ------------------------

-- Creates the cluster's version row if missing. One row, one column: true if created.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS "Created"
$q$),

-- One row, one column: true if the silo row was added and the table version bumped.
('InsertMembershipKey', $q$
SELECT orleans_membership_insert(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS "Inserted"
$q$),

-- One row, one column: true if the silo row was changed and the table version bumped.
('UpdateMembershipKey', $q$
SELECT orleans_membership_update(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version) AS "Updated"
$q$),

-- Heartbeat. Deliberately leaves the table version alone (Orleans' protocol).
-- Note the key's spelling: lower-case "t" in "Alivetime".
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = greatest(i_am_alive_time, @IAmAliveTime)
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
$q$),

-- The cluster's version row joined to one silo row. Always one row while the cluster
-- exists: the silo columns are NULL when that silo is unknown (NULL StartTime is how
-- the provider tells "no entry").
('MembershipReadRowKey', $q$
SELECT v.deployment_id   AS "DeploymentId",
       m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime",
       v.version         AS "Version"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

-- Every silo row of the cluster with the table version, read in one snapshot.
('MembershipReadAllKey', $q$
SELECT v.deployment_id   AS "DeploymentId",
       m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime",
       v.version         AS "Version"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
       ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

-- Drops the whole cluster; the foreign key cascades to the silo rows.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version
WHERE deployment_id = @DeploymentId
$q$),

-- Active silos that accept clients (the provider passes Status = 3).
('GatewaysQueryKey', $q$
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0
$q$),

-- Bulk clean-up of dead silos whose last sign of life is older than the cut-off.
-- 10.4.2 still requires this key but only runs it when CleanupDefunctSiloEntryKey
-- (below) is absent.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime
  AND start_time < @IAmAliveTime
$q$),

-- Optional key read by 10.4.x: the provider picks dead rows from a full read and
-- deletes each one only if it is unchanged since (same times, same suspicions).
-- The table version is left alone, as Orleans requires.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '')
$q$),

-- ---- persistence: WriteToStorageKey, ReadFromStorageKey and ClearStorageKey are
-- ---- required, DeleteStorageKey too when DeleteStateOnClear = true -------------------

-- One row; the provider reads column "NewGrainStateVersion" (NULL = conflict).
('WriteToStorageKey', $q$
SELECT orleans_grain_state_write(
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS "NewGrainStateVersion"
$q$),

-- Zero or one row. A cleared state comes back with a NULL payload and its version.
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary",
       version AS "Version"
FROM orleans_grain_state
WHERE grain_id_hash = @GrainIdHash
  AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId
  AND grain_type = @GrainTypeString
  AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- Clear keeping the row: empties the payload and bumps the version. The provider reads
-- column 0 of the single row; no row means the version did not match.
('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payload = NULL,
    version = version + 1,
    modified_on = now()
WHERE grain_id_hash = @GrainIdHash
  AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId
  AND grain_type = @GrainTypeString
  AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING version AS "NewGrainStateVersion"
$q$),

-- Clear with DeleteStateOnClear = true: removes the row. Column 0 must differ from the
-- ETag that was sent for the provider to accept it, hence "version + 1"; the provider
-- then resets the grain's ETag to null so that the next write inserts afresh.
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state
WHERE grain_id_hash = @GrainIdHash
  AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND service_id = @ServiceId
  AND grain_type = @GrainTypeString
  AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING version + 1 AS "NewGrainStateVersion"
$q$),

-- ---- reminders: all seven keys below are required at start-up -----------------------

-- All reminders of one grain.
('ReadReminderRowsKey', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId
$q$),

-- One reminder (zero or one row).
('ReadReminderRowKey', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId
  AND reminder_name = @ReminderName
$q$),

-- Ring range (BeginHash, EndHash] when BeginHash < EndHash as signed int4.
('ReadRangeRows1Key', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND grain_hash > @BeginHash
  AND grain_hash <= @EndHash
$q$),

-- Ring range that wraps around (BeginHash >= EndHash as signed int4): everything
-- above BeginHash plus everything up to EndHash. Equal bounds mean the whole ring.
('ReadRangeRows2Key', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

-- Insert or replace; returns the new ETag in column "Version" (1 for a new reminder,
-- +1 on each replacement).
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminder AS r
    (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time,
    period = excluded.period,
    grain_hash = excluded.grain_hash,
    version = r.version + 1
RETURNING r.version AS "Version"
$q$),

-- Removes one reminder if its ETag still matches. One row, one column: true if removed.
('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM orleans_reminder
    WHERE service_id = @ServiceId
      AND grain_id = @GrainId
      AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM removed) AS "Deleted"
$q$),

-- Every reminder of the service (Orleans uses it from tests only).
('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminder
WHERE service_id = @ServiceId
$q$)

ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = excluded.QueryText;
