import Domain
import Foundation
import Postgres

/// SQL for bulks and their messages.
enum BulkStore {
    /// A stored bulk.
    struct Bulk: Sendable {
        var id: UUID
        var tenantID: UUID
        var wabaID: UUID
        var templateName: String
        var language: String
        var requested: Int
        var accepted: Int
        var duplicates: Int
        var rejected: Int
        var sendAt: Date?
        var expiresAt: Date?
        var cancelledAt: Date?
        var createdAt: Date
    }

    static func insert(
        _ connection: PostgresConnection,
        _ bulk: Bulk,
        templateID: UUID
    ) throws {
        try connection.execute(
            """
            INSERT INTO bulks (id, tenant_id, waba_id, template_id, template_name, language,
                               requested, accepted, duplicates, rejected, send_at, expires_at,
                               created_at)
            VALUES (\(bulk.id), \(bulk.tenantID), \(bulk.wabaID), \(templateID),
                    \(bulk.templateName), \(bulk.language), 0, 0, 0, 0, \(bulk.sendAt),
                    \(bulk.expiresAt), \(bulk.createdAt))
            """
        )
    }

    static func setCounts(_ connection: PostgresConnection, _ bulk: Bulk) throws {
        try connection.execute(
            """
            UPDATE bulks SET requested = \(bulk.requested), accepted = \(bulk.accepted),
                duplicates = \(bulk.duplicates), rejected = \(bulk.rejected)
            WHERE id = \(bulk.id)
            """
        )
    }

    /// The rows of one chunk of a bulk's messages, column by column.
    struct MessageRows: Sendable {
        var ids: [UUID] = []
        var recipients: [String] = []
        var params: [String] = []
        var callbacks: [String] = []
        var hasCallback: [Bool] = []

        var count: Int { ids.count }

        mutating func removeAll() {
            self = MessageRows()
        }
    }

    /// What every message of one bulk shares.
    struct MessageTemplate: Sendable {
        var tenantID: UUID
        var wabaID: UUID
        var templateID: UUID
        var templateName: String
        var language: String
        var bulkID: UUID
        var readyAt: Date
        var expiresAt: Date?
        var waitReason: WaitReason?
        var createdAt: Date
    }

    /// Inserts one chunk of QUEUED messages and returns the recipients stored, leaving out
    /// recipients the bulk already has.
    static func insertMessages(
        _ connection: PostgresConnection,
        _ rows: MessageRows,
        shared: MessageTemplate
    ) throws -> Set<String> {
        let stored = try connection.query(
            """
            INSERT INTO messages (id, tenant_id, waba_id, template_id, template_name, language,
                                  recipient, params, callback_data, status, bulk_id,
                                  next_attempt_at, expires_at, wait_reason, created_at,
                                  updated_at)
            SELECT u.id, \(shared.tenantID), \(shared.wabaID), \(shared.templateID),
                   \(shared.templateName), \(shared.language), u.recipient, u.params::jsonb,
                   CASE WHEN u.has_callback THEN u.callback END, 'QUEUED', \(shared.bulkID),
                   \(shared.readyAt), \(shared.expiresAt), \(shared.waitReason?.rawValue),
                   \(shared.createdAt), \(shared.createdAt)
            FROM unnest(\(rows.ids)::uuid[], \(rows.recipients)::text[], \(rows.params)::text[],
                        \(rows.callbacks)::text[], \(rows.hasCallback)::bool[])
                AS u(id, recipient, params, callback, has_callback)
            ON CONFLICT (bulk_id, recipient) WHERE bulk_id IS NOT NULL DO NOTHING
            RETURNING recipient
            """
        )
        return Set(try stored.map { try $0.decode("recipient", as: String.self) })
    }

    static func find(_ connection: PostgresConnection, id: UUID, tenantID: UUID) throws -> Bulk? {
        let rows = try connection.query(
            """
            SELECT id, tenant_id, waba_id, template_name, language, requested, accepted,
                   duplicates, rejected, send_at, expires_at, cancelled_at, created_at
            FROM bulks WHERE id = \(id) AND tenant_id = \(tenantID)
            """
        )
        return try rows.first.map { row in
            Bulk(
                id: try row.decode("id"),
                tenantID: try row.decode("tenant_id"),
                wabaID: try row.decode("waba_id"),
                templateName: try row.decode("template_name"),
                language: try row.decode("language"),
                requested: try row.decode("requested"),
                accepted: try row.decode("accepted"),
                duplicates: try row.decode("duplicates"),
                rejected: try row.decode("rejected"),
                sendAt: try row.decode("send_at", as: Date?.self),
                expiresAt: try row.decode("expires_at", as: Date?.self),
                cancelledAt: try row.decode("cancelled_at", as: Date?.self),
                createdAt: try row.decode("created_at")
            )
        }
    }

    /// Returns the number of the bulk's messages in each status.
    static func statusCounts(_ connection: PostgresConnection, bulkID: UUID) throws
        -> [String: Int]
    {
        let rows = try connection.query(
            """
            SELECT status, count(*) AS messages FROM messages WHERE bulk_id = \(bulkID)
            GROUP BY status
            """
        )
        var counts: [String: Int] = [:]
        for row in rows {
            counts[try row.decode("status")] = try row.decode("messages", as: Int.self)
        }
        return counts
    }

    /// Progress of the sending: messages Infobip accepted in the last `window`, and the
    /// first and last acceptance.
    static func sendingProgress(
        _ connection: PostgresConnection,
        bulkID: UUID,
        window: Duration
    ) throws -> (recent: Int, first: Date?, last: Date?, now: Date) {
        let row = try connection.query(
            """
            SELECT count(*) FILTER (WHERE sent_at > now() - make_interval(
                       secs => \(window.seconds)::float8)) AS recent,
                   min(sent_at) AS first, max(sent_at) AS last, now() AS now
            FROM messages WHERE bulk_id = \(bulkID) AND sent_at IS NOT NULL
            """
        )[0]
        return (
            try row.decode("recent"), try row.decode("first", as: Date?.self),
            try row.decode("last", as: Date?.self), try row.decode("now")
        )
    }

    /// Why the bulk's QUEUED messages wait: count and earliest ready instant per reason.
    static func waits(_ connection: PostgresConnection, bulkID: UUID) throws
        -> [(reason: String?, messages: Int, until: Date)]
    {
        let rows = try connection.query(
            """
            SELECT wait_reason, count(*) AS messages, min(next_attempt_at) AS until
            FROM messages WHERE bulk_id = \(bulkID) AND status = 'QUEUED'
            GROUP BY wait_reason ORDER BY count(*) DESC
            """
        )
        return try rows.map { row in
            (
                try row.decode("wait_reason", as: String?.self), try row.decode("messages"),
                try row.decode("until")
            )
        }
    }

    /// One page of the bulk's messages in recipient order, after `cursor`; each filter has
    /// an index that returns the rows in that order.
    static func page(
        _ connection: PostgresConnection,
        bulkID: UUID,
        status: MessageStatus?,
        after cursor: String,
        limit: Int
    ) throws -> [PostgresRow] {
        let columns = """
            id, recipient, status, sender_id, failure_reason, sent_at, updated_at, callback_data
            """
        if let status {
            return try connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT \(columns) FROM messages
                        WHERE bulk_id = $1 AND status = $2 AND recipient > $3
                        ORDER BY recipient LIMIT $4
                        """,
                    binds: [bulkID, status.rawValue, cursor, limit]
                )
            )
        }
        return try connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(columns) FROM messages
                    WHERE bulk_id = $1 AND recipient > $2
                    ORDER BY recipient LIMIT $3
                    """,
                binds: [bulkID, cursor, limit]
            )
        )
    }

    /// Returns the bulks among `ids` that were cancelled.
    static func cancelledBulks(_ connection: PostgresConnection, ids: [UUID]) throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let rows = try connection.query(
            """
            SELECT id FROM bulks WHERE id = ANY(\(ids)::uuid[]) AND cancelled_at IS NOT NULL
            """
        )
        return Set(try rows.map { try $0.decode("id", as: UUID.self) })
    }

    /// Cancels QUEUED messages, locked by the caller, that went back to the queue after their
    /// bulk was cancelled, with a history entry each.
    static func cancelRequeued(_ connection: PostgresConnection, ids: [UUID]) throws {
        guard !ids.isEmpty else { return }
        let reason =
            "The bulk was cancelled while this message was being sent, and the message "
            + "returned to the queue afterwards, so it was not sent again."
        try connection.execute(
            """
            WITH cancelled AS (
                UPDATE messages SET status = 'CANCELLED', wait_reason = NULL,
                    pinned_sender_id = NULL, pinned_attempt_id = NULL, updated_at = now()
                WHERE id = ANY(\(ids)::uuid[]) AND status = 'QUEUED'
                RETURNING id
            )
            INSERT INTO message_events (message_id, status, applied, source, detail, occurred_at)
            SELECT id, 'CANCELLED', true, 'queue', jsonb_build_object('reason', \(reason)::text),
                   now()
            FROM cancelled
            """
        )
    }

    /// Cancels the bulk's QUEUED messages and returns how many. A bulk with nothing left to
    /// send stays as it is, so cancelling a completed bulk does not relabel it.
    ///
    /// The messages are locked in id order, the order every other writer of messages locks
    /// them in, so a cancel running beside the webhook or a batch's results cannot deadlock
    /// with them.
    static func cancel(_ connection: PostgresConnection, bulkID: UUID) throws -> Int {
        try connection.execute(
            """
            UPDATE bulks SET cancelled_at = COALESCE(cancelled_at, now())
            WHERE id = \(bulkID) AND EXISTS (
                SELECT 1 FROM messages
                WHERE bulk_id = \(bulkID) AND queue_state IS NOT NULL)
            """
        )
        let rows = try connection.query(
            """
            WITH locked AS MATERIALIZED (
                SELECT id FROM messages WHERE bulk_id = \(bulkID) AND status = 'QUEUED'
                ORDER BY id FOR UPDATE
            ), cancelled AS (
                UPDATE messages m SET status = 'CANCELLED', wait_reason = NULL,
                    pinned_sender_id = NULL, pinned_attempt_id = NULL, updated_at = now()
                FROM locked l
                WHERE m.id = l.id AND m.status = 'QUEUED'
                RETURNING m.id
            )
            INSERT INTO message_events (message_id, status, applied, source, occurred_at)
            SELECT id, 'CANCELLED', true, 'api', now() FROM cancelled
            RETURNING message_id
            """
        )
        return rows.count
    }
}
