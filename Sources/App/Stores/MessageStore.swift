import Domain
import Foundation
import Postgres

/// SQL for messages, their attempts and their status history.
enum MessageStore {
    private static let columns = """
        id, tenant_id, waba_id, template_id, template_name, language, recipient, params, \
        callback_data, status, sender_id, failure_reason, current_attempt_id, created_at, \
        updated_at
        """

    /// Stores a new QUEUED message that dispatchers may claim from `readyAt`. Its QUEUED history
    /// entry is its `created_at`, so no event row is written.
    static func insert(_ connection: PostgresConnection, _ message: Message, readyAt: Date) throws {
        try connection.execute(
            """
            INSERT INTO messages (id, tenant_id, waba_id, template_id, template_name, language,
                                  recipient, params, callback_data, status, created_at,
                                  updated_at, next_attempt_at)
            VALUES (\(message.id), \(message.tenantID), \(message.wabaID), \(message.templateID),
                    \(message.templateName), \(message.language), \(message.recipient),
                    \(PostgresJSON(data: message.params.encoded())), \(message.callbackData),
                    \(message.status.rawValue), \(message.createdAt), \(message.updatedAt),
                    \(readyAt))
            """
        )
    }

    static func find(_ connection: PostgresConnection, id: UUID, tenantID: UUID) throws -> Message?
    {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(columns) FROM messages WHERE id = $1 AND tenant_id = $2",
                binds: [id, tenantID]
            )
        )
        return try rows.first.map(message(from:))
    }

    /// Locks a message row for a status change, so concurrent reports apply one at a time.
    static func lock(_ connection: PostgresConnection, id: UUID) throws -> Message? {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(columns) FROM messages WHERE id = $1 FOR UPDATE",
                binds: [id]
            )
        )
        return try rows.first.map(message(from:))
    }

    /// Finds the attempt sent to Infobip as `infobipMessageID`, and locks its message.
    static func lockByInfobipMessageID(
        _ connection: PostgresConnection,
        _ infobipMessageID: String
    ) throws -> (message: Message, attempt: MessageAttempt)? {
        let rows = try connection.query(
            "SELECT * FROM message_attempts WHERE infobip_message_id = \(infobipMessageID)"
        )
        guard let row = rows.first else { return nil }
        let attempt = try self.attempt(from: row)
        let messageID: UUID = try row.decode("message_id")
        guard let message = try lock(connection, id: messageID) else { return nil }
        return (message, attempt)
    }

    static func setStatus(
        _ connection: PostgresConnection,
        id: UUID,
        status: MessageStatus,
        senderID: UUID? = nil,
        failureReason: String? = nil
    ) throws {
        try connection.execute(
            """
            UPDATE messages SET status = \(status.rawValue),
                sender_id = COALESCE(\(senderID)::uuid, sender_id),
                failure_reason = COALESCE(\(failureReason), failure_reason),
                updated_at = now()
            WHERE id = \(id)
            """
        )
    }

    /// Records a new attempt through `sender` and makes it the message's current one.
    static func startAttempt(
        _ connection: PostgresConnection,
        messageID: UUID,
        number: Int,
        sender: Sender
    ) throws -> MessageAttempt {
        let id = UUID()
        // The first attempt carries the message's own id, so a client can correlate it with
        // Infobip. A fallback attempt needs an id of its own.
        let infobipID = number == 1 ? messageID.uuidString.lowercased() : id.uuidString.lowercased()
        let rows = try connection.query(
            """
            INSERT INTO message_attempts (id, message_id, attempt_number, sender_id,
                                          sender_number, infobip_message_id, outcome)
            VALUES (\(id), \(messageID), \(number), \(sender.id), \(sender.number), \(infobipID),
                    \(MessageAttempt.pendingOutcome))
            RETURNING *
            """
        )
        try connection.execute(
            """
            UPDATE messages SET current_attempt_id = \(id), updated_at = now()
            WHERE id = \(messageID)
            """
        )
        return try attempt(from: rows[0])
    }

    static func finishAttempt(_ connection: PostgresConnection, _ attempt: MessageAttempt) throws {
        try connection.execute(
            """
            UPDATE message_attempts SET outcome = \(attempt.outcome),
                http_status = \(attempt.httpStatus), infobip_status = \(attempt.infobipStatus),
                error_code = \(attempt.errorCode), reason = \(attempt.reason),
                requests = \(attempt.requests), finished_at = \(attempt.finishedAt)
            WHERE id = \(attempt.id)
            """
        )
    }

    static func attempts(_ connection: PostgresConnection, messageID: UUID) throws
        -> [MessageAttempt]
    {
        let rows = try connection.query(
            """
            SELECT * FROM message_attempts WHERE message_id = \(messageID)
            ORDER BY attempt_number
            """
        )
        return try rows.map(attempt(from:))
    }

    static func appendEvent(
        _ connection: PostgresConnection,
        messageID: UUID,
        attemptID: UUID?,
        status: String,
        applied: Bool,
        source: String,
        detail: JSONValue?,
        occurredAt: Date?
    ) throws {
        try connection.execute(
            """
            INSERT INTO message_events (message_id, attempt_id, status, applied, source, detail,
                                        occurred_at)
            VALUES (\(messageID), \(attemptID), \(status), \(applied), \(source),
                    \(detail.map { PostgresJSON(data: $0.encoded()) }), \(occurredAt))
            """
        )
    }

    static func events(_ connection: PostgresConnection, messageID: UUID) throws -> [MessageEvent] {
        let rows = try connection.query(
            """
            SELECT status, applied, source, detail, occurred_at, recorded_at
            FROM message_events WHERE message_id = \(messageID) ORDER BY id
            """
        )
        return try rows.map { row in
            let detail = try row.decode("detail", as: PostgresJSON?.self)
            return MessageEvent(
                status: try row.decode("status"),
                applied: try row.decode("applied"),
                source: try row.decode("source"),
                occurredAt: try row.decode("occurred_at", as: Date?.self),
                recordedAt: try row.decode("recorded_at"),
                detail: detail.flatMap { try? JSONValue.parse($0.data) }
            )
        }
    }

    private static func message(from row: PostgresRow) throws -> Message {
        let status: String = try row.decode("status")
        guard let status = MessageStatus(rawValue: status) else {
            preconditionFailure("message row has status '\(status)'")
        }
        let params: PostgresJSON = try row.decode("params")
        return Message(
            id: try row.decode("id"),
            tenantID: try row.decode("tenant_id"),
            wabaID: try row.decode("waba_id"),
            templateID: try row.decode("template_id"),
            templateName: try row.decode("template_name"),
            language: try row.decode("language"),
            recipient: try row.decode("recipient"),
            params: (try? JSONValue.parse(params.data)) ?? .null,
            callbackData: try row.decode("callback_data", as: String?.self),
            status: status,
            senderID: try row.decode("sender_id", as: UUID?.self),
            failureReason: try row.decode("failure_reason", as: String?.self),
            currentAttemptID: try row.decode("current_attempt_id", as: UUID?.self),
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }

    static func attempt(from row: PostgresRow) throws -> MessageAttempt {
        MessageAttempt(
            id: try row.decode("id"),
            attemptNumber: try row.decode("attempt_number"),
            senderId: try row.decode("sender_id"),
            senderNumber: try row.decode("sender_number"),
            infobipMessageId: try row.decode("infobip_message_id"),
            outcome: try row.decode("outcome"),
            httpStatus: try row.decode("http_status", as: Int?.self),
            infobipStatus: try row.decode("infobip_status", as: String?.self),
            errorCode: try row.decode("error_code", as: String?.self),
            reason: try row.decode("reason", as: String?.self),
            requests: try row.decode("requests"),
            startedAt: try row.decode("started_at"),
            finishedAt: try row.decode("finished_at", as: Date?.self)
        )
    }
}
