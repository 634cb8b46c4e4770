import Crypto
import Domain
import Foundation
import Infobip
import Logging
import Postgres

/// Sends one template message: checks it against the template, stores it in the queue, then
/// claims and sends it at once through the same path the dispatchers use, so it keeps every
/// limit, fallback and crash guarantee of the queue.
struct MessageDispatcher: Sendable {
    let pool: PostgresPool
    let claimer: BatchClaimer
    let sender: BatchSender
    let recorder: BatchRecorder
    let configuration: DispatchConfiguration

    /// Sends `request` for `tenant` and returns the stored message.
    ///
    /// The message is stored before Infobip is called. When it cannot go at once (a sender at
    /// its limit, pair spacing, the portfolio's limit) or its next try is further away than
    /// ``DispatchConfiguration/inlineWait``, it stays queued for the dispatchers and the view
    /// shows it QUEUED.
    ///
    /// - Throws: a ``Problem`` for a request that cannot be sent (unknown WABA or template,
    ///   wrong parameters, no active sender). Nothing is stored and Infobip is not called then.
    func send(
        _ request: SendRequest,
        tenant: Tenant,
        idempotency: IdempotencyKey?,
        logger: Logger
    ) async throws -> SendAnswer {
        let prepared = try await pool.withTransaction { connection in
            try Self.prepare(
                connection,
                request: request,
                tenant: tenant,
                idempotency: idempotency,
                inlineWait: configuration.inlineWait
            )
        }
        guard case .stored(let message) = prepared else {
            if case .replayed(let answer) = prepared {
                logger.info("idempotent repeat answered from the first request")
                return answer
            }
            preconditionFailure("unreachable send preparation \(prepared)")
        }
        var logger = logger.with("messageId", message.id.uuidString.lowercased())
        logger = logger.with("wabaId", message.wabaID.uuidString.lowercased())
        logger.info("message queued", ["template": request.templateName])

        await deliverInline(message, logger: logger)
        let view = try await MessageView.load(pool: pool, id: message.id, tenantID: tenant.id)
        let answer = SendAnswer(view: view)
        if let idempotency {
            try await pool.withConnection { connection in
                try IdempotencyStore.saveAnswer(
                    connection,
                    key: idempotency,
                    status: answer.status,
                    body: answer.body
                )
            }
        }
        return answer
    }

    /// Claims and sends the message, following fallbacks and short backoffs until it is sent,
    /// failed, awaiting Infobip's report, or its next try lies past the inline wait.
    private func deliverInline(_ message: Message, logger: Logger) async {
        let deadline = Date().addingTimeInterval(configuration.inlineWait.seconds)
        do {
            attempts: while Date() < deadline {
                // Backoffs and waits are honoured below, before the next claim; the ready
                // instant stored with a new message only keeps dispatchers away from it.
                let outcome = try await pool.withTransaction { connection in
                    try claimer.claim(
                        connection,
                        wabaID: message.wabaID,
                        only: [message.id],
                        ignoringSchedule: true
                    )
                }
                if case .claimed(let batch) = outcome {
                    try await deliver(batch, logger: logger)
                    continue
                }
                switch try await state(of: message.id) {
                case .settled:
                    return
                case .inBatch, .queued(nil):
                    // Another claim holds its sender or the message; look again shortly.
                    try await Task.sleep(for: .milliseconds(10))
                case .queued(let due?):
                    guard due <= deadline else { break attempts }
                    let wait = Int(due.timeIntervalSinceNow * 1000)
                    try await Task.sleep(for: .milliseconds(max(1, wait)))
                }
            }
            logger.info("message left to the dispatchers")
            try await notifyQueue(message.wabaID)
        } catch {
            // The message stays in the queue with its attempts recorded; a dispatcher, or the
            // recovery of an expired lease, takes it from there. Nothing is sent twice.
            logger.error(
                "inline delivery stopped by an error",
                ["error": String(describing: error)]
            )
        }
    }

    private func deliver(_ batch: DispatchBatch, logger: Logger) async throws {
        let batchLogger = logger.with("batchId", batch.id.postgresText)
            .with("senderId", batch.items[0].senderID.postgresText)
        let result = await sender.send(batch, logger: batchLogger)
        let summary = try await pool.withTransaction { connection in
            try recorder.record(connection, batch: batch, outcome: result)
        }
        batchLogger.info(
            "message attempt finished",
            [
                "sent": String(summary.sent), "failed": String(summary.failed),
                "requeued": String(summary.requeued),
                "awaitingReport": String(summary.awaitingReport),
            ]
        )
    }

    /// Where a message stands for the inline sender.
    private enum InlineState {
        /// QUEUED and waiting for a backoff or a limit until the instant; nil when nothing but
        /// a sender held by another claim keeps it back.
        case queued(Date?)
        /// Claimed by a batch whose result is not stored yet.
        case inBatch
        /// Sent, failed, or waiting for Infobip's report: nothing more to do inline.
        case settled
    }

    private func state(of id: UUID) async throws -> InlineState {
        try await pool.withConnection { connection in
            let rows = try connection.query(
                """
                SELECT status, next_attempt_at, wait_reason, batch_id IS NOT NULL AS in_batch,
                       now() AS now
                FROM messages WHERE id = \(id)
                """
            )
            guard let row = rows.first else { return .settled }
            switch try row.decode("status", as: String.self) {
            case MessageStatus.queued.rawValue:
                let due: Date = try row.decode("next_attempt_at")
                let isWaiting = !row.isNull("wait_reason")
                let now: Date = try row.decode("now")
                return .queued(isWaiting && due > now ? due : nil)
            case MessageStatus.sending.rawValue:
                return try row.decode("in_batch", as: Bool.self) ? .inBatch : .settled
            default:
                return .settled
            }
        }
    }

    private func notifyQueue(_ wabaID: UUID) async throws {
        try await pool.withConnection { connection in
            try connection.execute("SELECT notify_queue(\(wabaID))")
        }
    }
}
