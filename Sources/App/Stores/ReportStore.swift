import Domain
import Foundation
import Postgres

/// SQL that finds the messages Infobip's reports are about.
enum ReportStore {
    /// The attempt a report names, with its message's state.
    struct Target: Sendable {
        var attemptID: UUID
        var senderID: UUID
        var recipient: String
        var messageID: UUID
        var status: MessageStatus
        var currentAttemptID: UUID?
        /// The attempt's outcome, such as `UNKNOWN_OUTCOME`.
        var attemptOutcome: String
    }

    /// Finds the attempts sent to Infobip under `infobipIDs` and locks their messages in id
    /// order; returns them by Infobip message id, with the database's clock.
    static func lockTargets(_ connection: PostgresConnection, infobipIDs: [String]) throws
        -> (targets: [String: Target], now: Date)
    {
        let rows = try connection.query(
            """
            SELECT a.id AS attempt_id, a.infobip_message_id, a.sender_id, a.outcome, m.recipient,
                   m.id AS message_id, m.status, m.current_attempt_id, now() AS now
            FROM message_attempts a JOIN messages m ON m.id = a.message_id
            WHERE a.infobip_message_id = ANY(\(infobipIDs)::text[])
            ORDER BY m.id
            FOR UPDATE OF m
            """
        )
        var targets: [String: Target] = [:]
        var now = Date()
        for row in rows {
            let status: String = try row.decode("status")
            targets[try row.decode("infobip_message_id")] = Target(
                attemptID: try row.decode("attempt_id"),
                senderID: try row.decode("sender_id"),
                recipient: try row.decode("recipient"),
                messageID: try row.decode("message_id"),
                status: MessageStatus(rawValue: status) ?? .queued,
                currentAttemptID: try row.decode("current_attempt_id", as: UUID?.self),
                attemptOutcome: try row.decode("outcome")
            )
            now = try row.decode("now")
        }
        return (targets, now)
    }

    static func markAttemptRateLimited(_ connection: PostgresConnection, attemptID: UUID) throws {
        try connection.execute(
            """
            UPDATE message_attempts SET outcome = \(FailureCause.rateLimited.rawValue)
            WHERE id = \(attemptID)
            """
        )
    }
}
