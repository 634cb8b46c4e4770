import Domain
import Foundation
import Postgres

/// SQL that stores what happened to a batch: message, attempt and history rows, in bulk.
extension DispatchStore {
    /// A message's status and current attempt, locked for an update.
    struct MessageState: Sendable {
        var status: MessageStatus
        var currentAttemptID: UUID?
        var wabaID: UUID
        var excludedSenderIDs: [UUID]
    }

    /// Locks messages in id order, the order every writer of messages uses, and returns their
    /// states with the database's clock.
    static func lockStates(_ connection: PostgresConnection, ids: [UUID]) throws
        -> (states: [UUID: MessageState], now: Date)
    {
        let rows = try connection.query(
            """
            SELECT id, status, current_attempt_id, waba_id, excluded_sender_ids, now() AS now
            FROM messages WHERE id = ANY(\(ids)::uuid[]) ORDER BY id FOR UPDATE
            """
        )
        var states: [UUID: MessageState] = [:]
        var now = Date()
        for row in rows {
            let status: String = try row.decode("status")
            states[try row.decode("id")] = MessageState(
                status: MessageStatus(rawValue: status) ?? .queued,
                currentAttemptID: try row.decode("current_attempt_id", as: UUID?.self),
                wabaID: try row.decode("waba_id"),
                excludedSenderIDs: try row.decode("excluded_sender_ids", as: [UUID].self)
            )
            now = try row.decode("now")
        }
        return (states, now)
    }

    /// The new state of one message. Nil fields keep the stored value, except the pins, the
    /// wait reason and the report deadline, which are cleared.
    struct MessageChange: Sendable {
        var messageID: UUID
        var status: MessageStatus
        var senderID: UUID? = nil
        var failureReason: String? = nil
        var markSent = false
        var nextAttemptAt: Date? = nil
        var pinnedSenderID: UUID? = nil
        var pinnedAttemptID: UUID? = nil
        var excludeSenderID: UUID? = nil
        var awaitingReportUntil: Date? = nil
        var waitReason: WaitReason? = nil
        /// Removes the stored failure reason, for a failure that a report proved wrong.
        var clearsFailureReason = false
    }

    static func applyChanges(_ connection: PostgresConnection, _ changes: [MessageChange]) throws {
        guard !changes.isEmpty else { return }
        func text<T: PostgresEncodable>(_ value: T?) -> String { value?.postgresText ?? "" }
        try connection.execute(
            """
            UPDATE messages m SET status = u.status,
                sender_id = COALESCE(NULLIF(u.sender, '')::uuid, m.sender_id),
                failure_reason = CASE WHEN u.clear_failure THEN NULL
                    ELSE COALESCE(NULLIF(u.reason, ''), m.failure_reason) END,
                sent_at = CASE WHEN u.sent THEN now() ELSE m.sent_at END,
                next_attempt_at = COALESCE(NULLIF(u.next_at, '')::timestamptz, m.next_attempt_at),
                pinned_sender_id = NULLIF(u.pin_sender, '')::uuid,
                pinned_attempt_id = NULLIF(u.pin_attempt, '')::uuid,
                excluded_sender_ids = CASE WHEN u.exclude = '' THEN m.excluded_sender_ids
                    ELSE array_append(m.excluded_sender_ids, u.exclude::uuid) END,
                awaiting_report_until = NULLIF(u.awaiting, '')::timestamptz,
                wait_reason = NULLIF(u.wait, ''),
                batch_id = NULL,
                updated_at = now()
            FROM unnest(\(changes.map(\.messageID))::uuid[],
                        \(changes.map(\.status.rawValue))::text[],
                        \(changes.map { text($0.senderID) })::text[],
                        \(changes.map { $0.failureReason ?? "" })::text[],
                        \(changes.map(\.markSent))::bool[],
                        \(changes.map { text($0.nextAttemptAt) })::text[],
                        \(changes.map { text($0.pinnedSenderID) })::text[],
                        \(changes.map { text($0.pinnedAttemptID) })::text[],
                        \(changes.map { text($0.excludeSenderID) })::text[],
                        \(changes.map { text($0.awaitingReportUntil) })::text[],
                        \(changes.map { $0.waitReason?.rawValue ?? "" })::text[],
                        \(changes.map(\.clearsFailureReason))::bool[])
                AS u(id, status, sender, reason, sent, next_at, pin_sender, pin_attempt, exclude,
                     awaiting, wait, clear_failure)
            WHERE m.id = u.id
            """
        )
    }

    /// Stores the results of attempts; `addedRequests` adds to the attempt's request count. An
    /// outcome of RATE_LIMITED, set by a report that arrived while the request was in flight,
    /// is kept, since it counts the message's pair rate limit refusals.
    static func finishAttempts(
        _ connection: PostgresConnection,
        _ attempts: [(attempt: MessageAttempt, addedRequests: Int)]
    ) throws {
        guard !attempts.isEmpty else { return }
        let list = attempts.map(\.attempt)
        try connection.execute(
            """
            UPDATE message_attempts a SET
                outcome = CASE WHEN a.outcome = \(FailureCause.rateLimited.rawValue) THEN a.outcome
                    ELSE u.outcome END,
                http_status = NULLIF(u.http_status, '')::int,
                infobip_status = NULLIF(u.infobip_status, ''), error_code = NULLIF(u.error, ''),
                reason = NULLIF(u.reason, ''), requests = a.requests + u.added,
                finished_at = now()
            FROM unnest(\(list.map(\.id))::uuid[], \(list.map(\.outcome))::text[],
                        \(list.map { $0.httpStatus.map(String.init) ?? "" })::text[],
                        \(list.map { $0.infobipStatus ?? "" })::text[],
                        \(list.map { $0.errorCode ?? "" })::text[],
                        \(list.map { $0.reason ?? "" })::text[],
                        \(attempts.map(\.addedRequests))::int[])
                AS u(id, outcome, http_status, infobip_status, error, reason, added)
            WHERE a.id = u.id
            """
        )
    }

    /// One history entry to append.
    struct EventRow: Sendable {
        var messageID: UUID
        var attemptID: UUID?
        var status: String
        var applied: Bool
        var source: String
        var detail: JSONValue?
        var occurredAt: Date?
    }

    static func insertEvents(_ connection: PostgresConnection, _ events: [EventRow]) throws {
        guard !events.isEmpty else { return }
        let details = events.map { event in
            event.detail.map { String(decoding: $0.encoded(), as: UTF8.self) } ?? ""
        }
        try connection.execute(
            """
            INSERT INTO message_events (message_id, attempt_id, status, applied, source, detail,
                                        occurred_at)
            SELECT id, NULLIF(attempt, '')::uuid, status, applied, source,
                   NULLIF(detail, '')::jsonb, NULLIF(occurred, '')::timestamptz
            FROM unnest(\(events.map(\.messageID))::uuid[],
                        \(events.map { $0.attemptID?.postgresText ?? "" })::text[],
                        \(events.map(\.status))::text[], \(events.map(\.applied))::bool[],
                        \(events.map(\.source))::text[],
                        \(details)::text[],
                        \(events.map { $0.occurredAt?.postgresText ?? "" })::text[])
                AS e(id, attempt, status, applied, source, detail, occurred)
            """
        )
    }

    static func deleteBatch(_ connection: PostgresConnection, id: UUID) throws {
        try connection.execute("DELETE FROM dispatch_batches WHERE id = \(id)")
    }

    /// Stops dispatch for the WABA until `until`, or later if it was stopped longer already.
    static func pauseWaba(
        _ connection: PostgresConnection,
        id: UUID,
        until: Date,
        reason: WaitReason
    ) throws {
        try connection.execute(
            """
            UPDATE wabas SET dispatch_paused_until = GREATEST(dispatch_paused_until, \(until)),
                dispatch_paused_reason = \(reason.rawValue)
            WHERE id = \(id)
            """
        )
    }

    /// Returns the reasons of a message's earlier attempts, oldest first, as
    /// `number: reason` lines for a failure summary.
    static func attemptReasons(_ connection: PostgresConnection, messageID: UUID) throws
        -> [String]
    {
        let rows = try connection.query(
            """
            SELECT sender_number, outcome, reason FROM message_attempts
            WHERE message_id = \(messageID) AND outcome <> \(MessageAttempt.pendingOutcome)
            ORDER BY attempt_number
            """
        )
        return try rows.map { row in
            let reason = try row.decode("reason", as: String?.self)
            let outcome: String = try row.decode("outcome")
            return "\(try row.decode("sender_number", as: String.self)): \(reason ?? outcome)"
        }
    }

    /// Returns how many attempts of a message Meta's pair rate limit rejected.
    static func pairRateRejections(_ connection: PostgresConnection, messageID: UUID) throws -> Int
    {
        try connection.query(
            """
            SELECT count(*) AS rejections FROM message_attempts
            WHERE message_id = \(messageID) AND outcome = \(FailureCause.rateLimited.rawValue)
            """
        )[0].decode("rejections")
    }
}
