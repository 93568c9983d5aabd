-- =====================================================================================
-- Recouvrement schema 0009: the relay's hand-off to the event stream commits without
-- waiting for its own disk flush.
--
-- The relay hands each page of the event log to the stream as one message per stream
-- (up to 64 streams per creditor): with the default synchronous commit each message
-- was a WAL flush of its own, several hundred a second during an ingest, on the same
-- disk as the cases' own commits.
--
-- Why nothing can be lost: a message is inserted with synchronous_commit off for its
-- own transaction only, and the relay records how far it got (recouvrement_event_cursors,
-- 0004) with an ordinary synchronous commit once every message of the page is inserted.
-- The WAL is flushed in order, so the flush of the cursor's commit makes every message
-- inserted before it durable too. A crash of PostgreSQL before that flush loses the
-- messages and the cursor's move alike: the relay reads the page again and hands it over
-- again (consumers are idempotent on the event id). The event log itself, written with
-- the cases, keeps its synchronous commits.
--
-- Re-runnable, and run under the same advisory lock as the others.
-- =====================================================================================

CREATE OR REPLACE FUNCTION orleans_stream_enqueue(
    p_service_id     text,
    p_provider_id    text,
    p_queue_id       text,
    p_expiry_timeout integer,
    p_payload        bytea)
RETURNS TABLE (service_id text, provider_id text, queue_id text, message_id bigint)
LANGUAGE plpgsql
AS $$
BEGIN
    -- Local to this statement's transaction: the caller's later commits keep their setting.
    PERFORM set_config('synchronous_commit', 'off', true);
    RETURN QUERY
    INSERT INTO orleans_stream_message AS m
        (service_id, provider_id, queue_id, dequeued, visible_on, expires_on, created_on, modified_on, payload)
    VALUES
        (p_service_id, p_provider_id, p_queue_id, 0, now(), now() + make_interval(secs => p_expiry_timeout), now(), now(), p_payload)
    RETURNING m.service_id, m.provider_id, m.queue_id, m.message_id;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
('QueueStreamMessageKey', $q$
SELECT service_id  AS "ServiceId",
       provider_id AS "ProviderId",
       queue_id    AS "QueueId",
       message_id  AS "MessageId"
FROM orleans_stream_enqueue(@ServiceId, @ProviderId, @QueueId, @ExpiryTimeout, @Payload)
$q$)
ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = excluded.QueryText;
