import Foundation
import Postgres

/// SQL of a portfolio's messaging limit: the recipients counted in the rolling 24 hours and
/// the customer-service windows that inbound messages open.
enum ReachStore {
    /// The window Meta counts unique recipients over, and how long an inbound message keeps a
    /// customer-service window open.
    static let window: TimeInterval = 24 * 60 * 60

    /// Locks the portfolio row, so that claims of its WABAs count recipients one at a time.
    static func lockPortfolio(_ connection: PostgresConnection, id: UUID) throws {
        try connection.execute("SELECT id FROM portfolios WHERE id = \(id) FOR UPDATE")
    }

    /// Returns the recipients among `recipients` already counted in the window ending `now`.
    static func countedRecipients(
        _ connection: PostgresConnection,
        portfolioID: UUID,
        recipients: [String],
        now: Date
    ) throws -> Set<String> {
        let rows = try connection.query(
            """
            SELECT recipient FROM portfolio_recipients
            WHERE portfolio_id = \(portfolioID) AND recipient = ANY(\(recipients)::text[])
              AND counted_at > \(now.addingTimeInterval(-window))
            """
        )
        return Set(try rows.map { try $0.decode("recipient", as: String.self) })
    }

    /// Returns the sender-recipient pairs with a customer-service window open at `now`.
    static func openWindows(
        _ connection: PostgresConnection,
        senderIDs: [UUID],
        recipients: [String],
        now: Date
    ) throws -> Set<String> {
        let rows = try connection.query(
            """
            SELECT sender_id, recipient FROM service_windows
            WHERE sender_id = ANY(\(senderIDs)::uuid[]) AND recipient = ANY(\(recipients)::text[])
              AND last_inbound_at > \(now.addingTimeInterval(-window))
            """
        )
        return Set(
            try rows.map { row in
                windowKey(try row.decode("sender_id"), try row.decode("recipient"))
            }
        )
    }

    static func windowKey(_ senderID: UUID, _ recipient: String) -> String {
        senderID.postgresText + ":" + recipient
    }

    /// Returns how many recipients count in the window ending `now`, and when the oldest of
    /// them stops counting.
    static func usage(_ connection: PostgresConnection, portfolioID: UUID, now: Date) throws
        -> (used: Int, nextRelease: Date?)
    {
        let since = now.addingTimeInterval(-window)
        let row = try connection.query(
            """
            SELECT count(*) AS used, min(counted_at) AS oldest FROM portfolio_recipients
            WHERE portfolio_id = \(portfolioID) AND counted_at > \(since)
            """
        )[0]
        let oldest = try row.decode("oldest", as: Date?.self)
        return (try row.decode("used"), oldest.map { $0.addingTimeInterval(window) })
    }

    /// Counts `recipients` from `now`, restarting the window of those counted over 24 hours ago.
    static func count(
        _ connection: PostgresConnection,
        portfolioID: UUID,
        recipients: [String],
        now: Date
    ) throws {
        guard !recipients.isEmpty else { return }
        try connection.execute(
            """
            INSERT INTO portfolio_recipients (portfolio_id, recipient, counted_at)
            SELECT \(portfolioID), r, \(now) FROM unnest(\(recipients)::text[]) AS r
            ON CONFLICT (portfolio_id, recipient)
            DO UPDATE SET counted_at = EXCLUDED.counted_at
            WHERE portfolio_recipients.counted_at <= \(now.addingTimeInterval(-window))
            """
        )
    }

    /// Records inbound messages: each opens or refreshes the window of every sender with that
    /// number towards the user who wrote.
    static func recordInbound(
        _ connection: PostgresConnection,
        senderNumbers: [String],
        users: [String],
        receivedAt: [Date]
    ) throws -> Int {
        guard !senderNumbers.isEmpty else { return 0 }
        return try connection.execute(
            """
            INSERT INTO service_windows (sender_id, recipient, last_inbound_at)
            SELECT s.id, i.recipient, max(i.received_at)
            FROM unnest(\(senderNumbers)::text[], \(users)::text[],
                        \(receivedAt)::timestamptz[]) AS i(number, recipient, received_at)
            JOIN senders s ON s.number = i.number
            GROUP BY s.id, i.recipient
            ON CONFLICT (sender_id, recipient)
            DO UPDATE SET last_inbound_at = GREATEST(service_windows.last_inbound_at,
                                                     EXCLUDED.last_inbound_at)
            """
        )
    }

    /// Releases the messages that the portfolio's limit keeps back from users who wrote to an
    /// ACTIVE sender of their WABA in the last 24 hours: they become due now, pinned to that
    /// sender, whose open service window lets them go outside the limit.
    ///
    /// Messages that must repeat an attempt, are pinned to another sender, or that this sender
    /// failed before keep waiting.
    ///
    /// - Returns: How many messages were released, and their WABAs.
    static func releaseHeldMessages(
        _ connection: PostgresConnection,
        senderNumbers: [String],
        users: [String]
    ) throws -> (messages: Int, wabaIDs: Set<UUID>) {
        guard !senderNumbers.isEmpty else { return (0, []) }
        let rows = try connection.query(
            """
            WITH held AS (
                SELECT m.id, s.id AS sender_id
                FROM unnest(\(senderNumbers)::text[], \(users)::text[]) AS i(number, recipient)
                JOIN senders s ON s.number = i.number AND s.status = 'ACTIVE'
                JOIN service_windows w ON w.sender_id = s.id AND w.recipient = i.recipient
                    AND w.last_inbound_at > now() - interval '24 hours'
                JOIN messages m ON m.recipient = i.recipient AND m.waba_id = s.waba_id
                WHERE m.queue_state = 'queued' AND m.wait_reason = 'portfolio-limit'
                  AND m.pinned_attempt_id IS NULL
                  AND (m.pinned_sender_id IS NULL OR m.pinned_sender_id = s.id)
                  AND NOT (s.id = ANY(m.excluded_sender_ids))
                ORDER BY m.id
                FOR UPDATE OF m
            )
            UPDATE messages m SET next_attempt_at = now(), wait_reason = NULL,
                pinned_sender_id = held.sender_id, updated_at = now()
            FROM held WHERE m.id = held.id
            RETURNING m.waba_id
            """
        )
        return (rows.count, Set(try rows.map { try $0.decode("waba_id", as: UUID.self) }))
    }
}
