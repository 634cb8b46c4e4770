import Domain
import Foundation
import Infobip
import Logging
import Postgres

extension MessageDispatcher {
    /// Tries senders until Infobip accepts the message or a failure ends it.
    ///
    /// Each failure's ``FailureCause`` decides the next step. A sender fault moves to the next
    /// best sender. A recipient, content or account fault fails the message. A transient fault
    /// was already retried on the same sender. An unknown outcome leaves the message QUEUED for
    /// Infobip's report, because another sender could deliver it a second time.
    func deliver(
        _ message: Message,
        content: TemplateContent,
        credentials: InfobipCredentials,
        logger: Logger
    ) async {
        var excluded: [UUID] = []
        var reasons: [String] = []
        do {
            while let attempt = try await startAttempt(
                message,
                number: excluded.count + 1,
                excluding: excluded
            ) {
                let attemptLogger = logger.with(
                    "senderId",
                    attempt.sender.id.uuidString.lowercased()
                )
                .with("attempt", String(attempt.record.attemptNumber))
                let result = await call(
                    attempt.record,
                    sender: attempt.sender,
                    content: content,
                    credentials: credentials,
                    logger: attemptLogger
                )
                let finished = result.applied(to: attempt.record)
                let next = try await record(
                    finished,
                    result: result,
                    message: message,
                    sender: attempt.sender
                )
                switch next {
                case .done:
                    attemptLogger.info("message attempt finished", ["outcome": finished.outcome])
                    return
                case .nextSender:
                    attemptLogger.info(
                        "falling back to the next sender",
                        ["outcome": finished.outcome, "reason": finished.reason ?? ""]
                    )
                    excluded.append(attempt.sender.id)
                    reasons.append(
                        "\(attempt.sender.number): \(finished.reason ?? finished.outcome)"
                    )
                }
            }
            let reason =
                reasons.isEmpty
                ? "No ACTIVE sender was available."
                : "Every sender failed. " + reasons.joined(separator: "; ")
            try await pool.withTransaction { connection in
                try Self.fail(connection, messageID: message.id, reason: reason)
            }
            logger.warning("message failed on every sender", ["attempts": String(excluded.count)])
        } catch {
            // The message stays QUEUED with its attempts recorded; nothing is sent twice.
            logger.error(
                "message delivery stopped by an error",
                ["error": String(describing: error)]
            )
        }
    }

    private struct StartedAttempt: Sendable {
        var sender: Sender
        var record: MessageAttempt
    }

    /// Reserves the next sender and records the attempt before Infobip is called, so a report
    /// that arrives before Infobip's HTTP response still finds its message.
    private func startAttempt(
        _ message: Message,
        number: Int,
        excluding excluded: [UUID]
    ) async throws -> StartedAttempt? {
        // A sender locked by a concurrent reservation is skipped. When every remaining sender is
        // locked, wait briefly for those short transactions instead of reporting none left.
        for _ in 0..<50 {
            let started: StartedAttempt?? = try await pool.withTransaction { connection in
                if let sender = try SenderStore.reserve(
                    connection,
                    wabaID: message.wabaID,
                    excluding: excluded
                ) {
                    let record = try MessageStore.startAttempt(
                        connection,
                        messageID: message.id,
                        number: number,
                        sender: sender
                    )
                    return .some(StartedAttempt(sender: sender, record: record))
                }
                let others = try SenderStore.hasActive(
                    connection,
                    wabaID: message.wabaID,
                    excluding: excluded
                )
                return others ? .none : .some(nil)
            }
            if let started {
                return started
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    private enum NextStep {
        case done
        case nextSender
    }

    /// Stores an attempt's result, and the message status and sender score it implies.
    private func record(
        _ attempt: MessageAttempt,
        result: AttemptResult,
        message: Message,
        sender: Sender
    ) async throws -> NextStep {
        try await pool.withTransaction { connection in
            try MessageStore.finishAttempt(connection, attempt)
            switch result.cause {
            case nil, .duplicate:
                try Self.accept(
                    connection,
                    messageID: message.id,
                    attempt: attempt,
                    senderID: sender.id
                )
                return .done
            case .some(let cause):
                switch cause.nextStep {
                case .tryNextSender:
                    try SenderStore.applyScoreChange(
                        connection,
                        senderID: sender.id,
                        change: .failed(cause)
                    )
                    return .nextSender
                case .failMessage, .retrySameSender, .backOffSameSender:
                    try Self.fail(
                        connection,
                        messageID: message.id,
                        reason: attempt.reason ?? cause.rawValue
                    )
                    return .done
                case .awaitReport:
                    try MessageStore.appendEvent(
                        connection,
                        messageID: message.id,
                        attemptID: attempt.id,
                        status: MessageStatus.queued.rawValue,
                        applied: false,
                        source: "send",
                        detail: .object(["outcome": .string(cause.rawValue)]),
                        occurredAt: Date()
                    )
                    return .done
                }
            }
        }
    }

    static func accept(
        _ connection: PostgresConnection,
        messageID: UUID,
        attempt: MessageAttempt,
        senderID: UUID
    ) throws {
        guard let current = try MessageStore.lock(connection, id: messageID) else { return }
        // A report may have arrived before this response and moved the message further already.
        let applies = current.status.canMove(to: .sent)
        if applies {
            try MessageStore.setStatus(connection, id: messageID, status: .sent, senderID: senderID)
        } else {
            try MessageStore.setStatus(
                connection,
                id: messageID,
                status: current.status,
                senderID: senderID
            )
        }
        try MessageStore.appendEvent(
            connection,
            messageID: messageID,
            attemptID: attempt.id,
            status: MessageStatus.sent.rawValue,
            applied: applies,
            source: "send",
            detail: attempt.infobipStatus.map { .object(["infobipStatus": .string($0)]) },
            occurredAt: attempt.finishedAt
        )
    }

    static func fail(_ connection: PostgresConnection, messageID: UUID, reason: String) throws {
        guard let current = try MessageStore.lock(connection, id: messageID) else { return }
        let applies = current.status.canMove(to: .failed)
        if applies {
            try MessageStore.setStatus(
                connection,
                id: messageID,
                status: .failed,
                failureReason: reason
            )
        }
        try MessageStore.appendEvent(
            connection,
            messageID: messageID,
            attemptID: nil,
            status: MessageStatus.failed.rawValue,
            applied: applies,
            source: "send",
            detail: .object(["reason": .string(reason)]),
            occurredAt: Date()
        )
    }
}
