import Domain
import Foundation
import Postgres

/// SQL for senders, including the reservation that picks the sender of each send.
enum SenderStore {
    private static let columns = """
        id, waba_id, number, status, quality, score, last_used_at, messages_per_second, \
        created_at, updated_at
        """

    static func insert(_ connection: PostgresConnection, _ sender: Sender) throws {
        try connection.execute(
            """
            INSERT INTO senders (id, waba_id, tenant_id, number, status, quality, score,
                                 messages_per_second, created_at, updated_at)
            SELECT \(sender.id), id, tenant_id, \(sender.number), \(sender.status.rawValue),
                   \(sender.quality.rawValue), \(sender.score), \(sender.messagesPerSecond),
                   \(sender.createdAt), \(sender.updatedAt)
            FROM wabas WHERE id = \(sender.wabaId)
            """
        )
    }

    /// Returns the WABA in which the tenant's `number` is an ACTIVE or PAUSED sender, if any.
    static func wabaUsingNumber(
        _ connection: PostgresConnection,
        tenantID: UUID,
        number: String
    ) throws -> UUID? {
        try connection.query(
            """
            SELECT waba_id FROM senders
            WHERE tenant_id = \(tenantID) AND number = \(number) AND status <> 'DISABLED'
            """
        ).first?.decode("waba_id")
    }

    static func list(_ connection: PostgresConnection, wabaID: UUID) throws -> [Sender] {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(columns) FROM senders WHERE waba_id = $1
                    ORDER BY quality_rank DESC, last_used_at ASC NULLS FIRST, id
                    """,
                binds: [wabaID]
            )
        )
        return try rows.map(sender(from:))
    }

    static func find(_ connection: PostgresConnection, id: UUID, wabaID: UUID) throws -> Sender? {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(columns) FROM senders WHERE id = $1 AND waba_id = $2",
                binds: [id, wabaID]
            )
        )
        return try rows.first.map(sender(from:))
    }

    /// Writes a sender's status, quality, score and rate.
    static func update(_ connection: PostgresConnection, _ sender: Sender) throws -> Sender {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE senders SET status = $1, quality = $2, score = $3,
                        messages_per_second = $4, updated_at = now()
                    WHERE id = $5 RETURNING \(columns)
                    """,
                binds: [
                    sender.status.rawValue, sender.quality.rawValue, sender.score,
                    sender.messagesPerSecond, sender.id,
                ]
            )
        )
        return try Self.sender(from: rows[0])
    }

    /// Picks the sender for one send and marks it used, in the caller's transaction.
    ///
    /// Only ACTIVE senders of the WABA are candidates, minus those already tried for this
    /// message. The best quality rank comes first, then the sender used longest ago, never-used
    /// senders before all others. `FOR UPDATE SKIP LOCKED` makes a concurrent send, on this or
    /// another instance, skip a sender that is being reserved and take the next one, so
    /// simultaneous sends spread over the senders instead of queueing on one row.
    static func reserve(
        _ connection: PostgresConnection,
        wabaID: UUID,
        excluding excluded: [UUID]
    ) throws -> Sender? {
        let rows = try connection.query(
            """
            WITH candidate AS (
                SELECT id FROM senders
                WHERE waba_id = \(wabaID) AND status = 'ACTIVE'
                  AND NOT (id = ANY (\(excluded)::uuid[]))
                ORDER BY quality_rank DESC, last_used_at ASC NULLS FIRST, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE senders SET last_used_at = clock_timestamp()
            FROM candidate WHERE senders.id = candidate.id
            RETURNING senders.*
            """
        )
        return try rows.first.map(sender(from:))
    }

    /// Returns whether an ACTIVE sender outside `excluded` exists, locked or not.
    static func hasActive(
        _ connection: PostgresConnection,
        wabaID: UUID,
        excluding excluded: [UUID]
    ) throws -> Bool {
        let rows = try connection.query(
            """
            SELECT EXISTS (
                SELECT 1 FROM senders
                WHERE waba_id = \(wabaID) AND status = 'ACTIVE'
                  AND NOT (id = ANY (\(excluded)::uuid[]))
            ) AS found
            """
        )
        return try rows[0].decode("found", as: Bool.self)
    }

    /// Returns the combined messages-per-second limit of the WABA's ACTIVE senders.
    static func activeRate(_ connection: PostgresConnection, wabaID: UUID) throws -> Int {
        try connection.query(
            """
            SELECT coalesce(sum(messages_per_second), 0)::int8 AS rate FROM senders
            WHERE waba_id = \(wabaID) AND status = 'ACTIVE'
            """
        )[0].decode("rate")
    }

    /// Throws the 409 for a send to a WABA with no ACTIVE sender, checked before anything is
    /// stored, so a client learns at once that nothing can go out.
    static func requireActive(_ connection: PostgresConnection, wabaID: UUID) throws {
        guard try hasActive(connection, wabaID: wabaID, excluding: []) else {
            throw Problem(
                .noActiveSender,
                status: 409,
                title: "No active sender",
                detail: "The WABA '\(wabaID.postgresText)' has no ACTIVE sender. Add one with "
                    + "POST /wabas/{id}/senders or set a sender's status to ACTIVE.",
                field: "wabaId"
            )
        }
    }

    /// Applies one outcome to a sender's score and label.
    static func applyScoreChange(
        _ connection: PostgresConnection,
        senderID: UUID,
        change: ScoreChange
    ) throws {
        try addToScore(connection, senderID: senderID, delta: change.delta)
    }

    /// Adds `delta` points to a sender's score, clamped to 0...100, in one statement, so that
    /// concurrent reports add up instead of overwriting each other. The label follows the
    /// score, and changes only when it crosses a threshold.
    static func addToScore(_ connection: PostgresConnection, senderID: UUID, delta: Int) throws {
        guard delta != 0 else { return }
        let rows = try connection.query(
            """
            UPDATE senders SET score = LEAST(\(QualityScore.maximum),
                                             GREATEST(\(QualityScore.minimum), score + \(delta))),
                               updated_at = now()
            WHERE id = \(senderID)
            RETURNING score, quality
            """
        )
        guard let row = rows.first else { return }
        let label = Quality(score: try row.decode("score", as: Int.self))
        guard try row.decode("quality", as: String.self) != label.rawValue else { return }
        try connection.execute(
            "UPDATE senders SET quality = \(label.rawValue) WHERE id = \(senderID)"
        )
    }

    static func sender(from row: PostgresRow) throws -> Sender {
        let status: String = try row.decode("status")
        let quality: String = try row.decode("quality")
        guard let status = SenderStatus(rawValue: status), let quality = Quality(rawValue: quality)
        else {
            preconditionFailure("sender row has status '\(status)' and quality '\(quality)'")
        }
        return Sender(
            id: try row.decode("id"),
            wabaId: try row.decode("waba_id"),
            number: try row.decode("number"),
            status: status,
            quality: quality,
            score: try row.decode("score"),
            lastUsedAt: try row.decode("last_used_at", as: Date?.self),
            messagesPerSecond: try row.decode("messages_per_second"),
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }
}
