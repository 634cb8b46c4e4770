import Domain
import Foundation
import Postgres

/// SQL of queue upkeep: finding WABAs with work, renewing and recovering leases, the
/// unknown-outcome policy and expiry.
enum QueueStore {
    /// Returns each WABA with QUEUED messages and when its earliest one is due.
    ///
    /// A loose index scan over `messages_ready`: one index probe per WABA, however many
    /// messages wait.
    static func wabasWithWork(_ connection: PostgresConnection) throws -> [(id: UUID, dueAt: Date)]
    {
        let rows = try connection.query(
            """
            WITH RECURSIVE queued(waba_id) AS (
                (SELECT waba_id FROM messages WHERE queue_state = 'queued' ORDER BY waba_id LIMIT 1)
                UNION ALL
                SELECT (SELECT m.waba_id FROM messages m
                        WHERE m.queue_state = 'queued' AND m.waba_id > queued.waba_id
                        ORDER BY m.waba_id LIMIT 1)
                FROM queued WHERE queued.waba_id IS NOT NULL
            )
            SELECT q.waba_id,
                   (SELECT min(m.next_attempt_at) FROM messages m
                    WHERE m.queue_state = 'queued' AND m.waba_id = q.waba_id) AS due_at
            FROM queued q WHERE q.waba_id IS NOT NULL
            """
        )
        return try rows.map { row in
            (try row.decode("waba_id", as: UUID.self), try row.decode("due_at", as: Date.self))
        }
    }

    /// Extends the leases of this instance's batches.
    static func renewLeases(
        _ connection: PostgresConnection,
        instanceID: String,
        lease: Duration
    ) throws -> Int {
        try connection.execute(
            """
            UPDATE dispatch_batches
            SET lease_expires_at = now() + make_interval(secs => \(lease.seconds)::float8)
            WHERE instance_id = \(instanceID)
            """
        )
    }

    /// Ends up to 100 batches whose lease lapsed, because their instance stopped without
    /// storing their results. Their Infobip call may have happened, so their messages wait
    /// for Infobip's report until `reportWait` has passed.
    static func recoverExpiredBatches(
        _ connection: PostgresConnection,
        reportWait: Duration
    ) throws -> [(batchID: UUID, instanceID: String, messages: Int)] {
        let rows = try connection.query(
            """
            WITH expired AS (
                DELETE FROM dispatch_batches WHERE id IN (
                    SELECT id FROM dispatch_batches WHERE lease_expires_at < now()
                    ORDER BY lease_expires_at LIMIT 100 FOR UPDATE SKIP LOCKED)
                RETURNING id, instance_id
            ), released AS (
                UPDATE messages m SET batch_id = NULL,
                    awaiting_report_until = now() + make_interval(secs => \(reportWait.seconds)::float8),
                    updated_at = now()
                FROM expired e
                WHERE m.batch_id = e.id AND m.queue_state = 'claimed'
                RETURNING e.id AS batch_id
            )
            SELECT e.id, e.instance_id,
                   (SELECT count(*) FROM released r WHERE r.batch_id = e.id) AS messages
            FROM expired e
            """
        )
        return try rows.map { row in
            (try row.decode("id"), try row.decode("instance_id"), try row.decode("messages"))
        }
    }

    /// A message whose report did not come in time.
    struct Overdue: Sendable {
        var messageID: UUID
        var attemptID: UUID
        var senderID: UUID
        var senderStatus: String
    }

    /// Locks up to `limit` SENDING messages outside any batch whose report wait has passed.
    static func lockOverdue(_ connection: PostgresConnection, limit: Int) throws -> [Overdue] {
        let rows = try connection.query(
            """
            SELECT m.id, m.current_attempt_id, a.sender_id, s.status AS sender_status
            FROM messages m
            JOIN message_attempts a ON a.id = m.current_attempt_id
            JOIN senders s ON s.id = a.sender_id
            WHERE m.queue_state = 'awaiting-report' AND m.awaiting_report_until < now()
            ORDER BY m.awaiting_report_until LIMIT \(limit)
            FOR UPDATE OF m SKIP LOCKED
            """
        )
        return try rows.map { row in
            Overdue(
                messageID: try row.decode("id"),
                attemptID: try row.decode("current_attempt_id"),
                senderID: try row.decode("sender_id"),
                senderStatus: try row.decode("sender_status")
            )
        }
    }

    /// Marks up to `limit` QUEUED messages past their `expiresAt` as EXPIRED, with a history
    /// entry each, and returns how many.
    static func expire(_ connection: PostgresConnection, limit: Int) throws -> Int {
        let rows = try connection.query(
            """
            WITH expired AS (
                UPDATE messages SET status = 'EXPIRED', wait_reason = NULL,
                    pinned_sender_id = NULL, pinned_attempt_id = NULL, updated_at = now()
                WHERE id IN (
                    SELECT id FROM messages
                    WHERE queue_state = 'queued' AND expires_at IS NOT NULL AND expires_at <= now()
                    ORDER BY expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING id, expires_at
            )
            INSERT INTO message_events (message_id, status, applied, source, occurred_at)
            SELECT id, 'EXPIRED', true, 'queue', expires_at FROM expired
            RETURNING message_id
            """
        )
        return rows.count
    }

    /// Fails QUEUED messages that must repeat an attempt through a sender since DISABLED:
    /// repeating it through another sender could deliver the message twice. The lookup starts
    /// from the DISABLED senders, through the index of pinned messages, so its plan does not
    /// depend on how many messages wait.
    static func failRepeatsOnDisabledSenders(_ connection: PostgresConnection) throws -> Int {
        let reason =
            "The sender of an attempt whose outcome was unknown was DISABLED before the "
            + "attempt could be repeated, so the message was not sent through another sender."
        let rows = try connection.query(
            """
            WITH failed AS (
                UPDATE messages m SET status = 'FAILED', failure_reason = \(reason),
                    pinned_sender_id = NULL, pinned_attempt_id = NULL, wait_reason = NULL,
                    updated_at = now()
                WHERE m.queue_state = 'queued' AND m.pinned_attempt_id IS NOT NULL
                  AND m.pinned_sender_id = ANY(ARRAY(
                      SELECT id FROM senders WHERE status = 'DISABLED'))
                RETURNING m.id
            )
            INSERT INTO message_events (message_id, status, applied, source, detail, occurred_at)
            SELECT id, 'FAILED', true, 'queue', jsonb_build_object('reason', \(reason)::text),
                   now()
            FROM failed
            RETURNING message_id
            """
        )
        return rows.count
    }

    /// Deletes pacing, reach and window rows that no longer affect anything, at most `limit`
    /// of each kind, and returns how many went.
    static func deleteStaleState(_ connection: PostgresConnection, limit: Int) throws -> Int {
        var deleted = 0
        deleted += try connection.execute(
            """
            DELETE FROM pair_pacing WHERE ctid IN (
                SELECT ctid FROM pair_pacing WHERE theoretical_at < now() LIMIT \(limit))
            """
        )
        deleted += try connection.execute(
            """
            DELETE FROM portfolio_recipients WHERE ctid IN (
                SELECT ctid FROM portfolio_recipients
                WHERE counted_at < now() - interval '24 hours' LIMIT \(limit))
            """
        )
        deleted += try connection.execute(
            """
            DELETE FROM service_windows WHERE ctid IN (
                SELECT ctid FROM service_windows
                WHERE last_inbound_at < now() - interval '24 hours' LIMIT \(limit))
            """
        )
        return deleted
    }
}
