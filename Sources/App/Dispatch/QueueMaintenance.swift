import Domain
import Foundation
import Logging
import Postgres
import Synchronization

/// Upkeep of the shared queue that every instance runs: renewing its own leases, recovering
/// the batches of stopped instances, applying the unknown-outcome policy, expiring messages
/// and deleting stale pacing state. Each step is safe to run on several instances at once.
struct QueueMaintenance: Sendable {
    let pool: PostgresPool
    let configuration: DispatchConfiguration
    let instanceID: String
    let logger: Logger

    /// Rows one step handles per round, so no transaction grows long.
    private static let roundSize = 500

    func run(until stopping: borrowing Atomic<Bool>) async {
        var lastCleanup = ContinuousClock.now
        let heartbeat = configuration.lease / 3
        while !stopping.load(ordering: .sequentiallyConsistent) {
            await step("renewing leases") { connection in
                _ = try QueueStore.renewLeases(
                    connection,
                    instanceID: instanceID,
                    lease: configuration.lease
                )
            }
            await step("recovering expired batches") { connection in
                try recoverExpiredBatches(connection)
            }
            await step("applying the unknown-outcome policy") { connection in
                try applyUnknownOutcomePolicy(connection)
            }
            await step("expiring messages") { connection in
                let expired = try QueueStore.expire(connection, limit: Self.roundSize)
                if expired > 0 {
                    logger.info("messages expired", ["messages": String(expired)])
                }
                let failed = try QueueStore.failRepeatsOnDisabledSenders(connection)
                if failed > 0 {
                    logger.warning(
                        "repeats on disabled senders failed",
                        ["messages": String(failed)]
                    )
                }
            }
            if ContinuousClock.now - lastCleanup > .seconds(60) {
                lastCleanup = .now
                // Rounds of 10,000 rows, each its own short transaction, until a round finds
                // fewer: a bulk leaves one pacing row per message, up to 300,000 a minute.
                for _ in 0..<100 {
                    let deleted = await step("deleting stale state") { connection in
                        let rows = try QueueStore.deleteStaleState(connection, limit: 10_000)
                        let keys = try IdempotencyStore.deleteExpired(connection, limit: 10_000)
                        logger.debug("stale state deleted", ["rows": String(rows + keys)])
                        return rows + keys
                    }
                    guard let deleted, deleted >= 10_000 else { break }
                }
            }
            try? await Task.sleep(for: min(heartbeat, .seconds(1)))
        }
    }

    /// Runs one step in a transaction of its own and returns its result, or nil after
    /// logging its error.
    @discardableResult
    private func step<Result: Sendable>(
        _ name: String,
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async -> Result? {
        do {
            return try await pool.withTransaction(body)
        } catch {
            logger.error(
                "queue maintenance failed",
                ["step": name, "error": String(describing: error)]
            )
            return nil
        }
    }

    private func recoverExpiredBatches(_ connection: PostgresConnection) throws {
        for batch in try QueueStore.recoverExpiredBatches(
            connection,
            reportWait: configuration.reportWait
        ) {
            logger.warning(
                "expired batch recovered; its messages wait for Infobip's reports",
                [
                    "batchId": batch.batchID.postgresText, "ownerInstanceId": batch.instanceID,
                    "messages": String(batch.messages),
                ]
            )
        }
    }

    /// Resends or fails the messages whose Infobip call may have happened and whose report
    /// did not come within the configured wait.
    private func applyUnknownOutcomePolicy(_ connection: PostgresConnection) throws {
        let overdue = try QueueStore.lockOverdue(connection, limit: Self.roundSize)
        guard !overdue.isEmpty else { return }
        var changes: [DispatchStore.MessageChange] = []
        var events: [DispatchStore.EventRow] = []
        for message in overdue {
            if configuration.unknownOutcomePolicy == .resend && message.senderStatus != "DISABLED" {
                changes.append(
                    DispatchStore.MessageChange(
                        messageID: message.messageID,
                        status: .queued,
                        pinnedSenderID: message.senderID,
                        pinnedAttemptID: message.attemptID,
                        waitReason: .resend
                    )
                )
                events.append(event(message, status: .queued, reason: "resend with the same id"))
            } else {
                let reason =
                    "Infobip's report did not arrive within \(Int(configuration.reportWait.seconds)) "
                    + "seconds of a call whose outcome is unknown."
                changes.append(
                    DispatchStore.MessageChange(
                        messageID: message.messageID,
                        status: .failed,
                        failureReason: reason
                    )
                )
                events.append(event(message, status: .failed, reason: reason))
            }
        }
        try DispatchStore.applyChanges(connection, changes)
        try DispatchStore.insertEvents(connection, events)
        let resent = changes.count { $0.status == .queued }
        logger.warning(
            "unknown outcomes settled by policy",
            [
                "policy": configuration.unknownOutcomePolicy.rawValue,
                "resent": String(resent), "failed": String(changes.count - resent),
            ]
        )
    }

    private func event(
        _ message: QueueStore.Overdue,
        status: MessageStatus,
        reason: String
    ) -> DispatchStore.EventRow {
        DispatchStore.EventRow(
            messageID: message.messageID,
            attemptID: message.attemptID,
            status: status.rawValue,
            applied: true,
            source: "queue",
            detail: .object(["reason": .string(reason)]),
            occurredAt: Date()
        )
    }
}
