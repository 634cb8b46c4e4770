import Domain
import Foundation
import Logging
import Postgres

/// Applies Infobip's delivery and seen reports to messages and sender scores.
///
/// All items of one webhook call are applied in one transaction that locks their messages in
/// id order, the order every writer of messages uses. Concurrent and repeated reports
/// therefore apply one at a time: the first moves the status and the score, the rest are kept
/// in the history with `applied` false.
struct ReportProcessor: Sendable {
    let pool: PostgresPool
    let configuration: DispatchConfiguration

    /// Counts of what a webhook call did, returned to the caller.
    struct Summary: Sendable, Encodable, Equatable {
        /// Items in the body.
        var received = 0
        /// Items that changed a message's status.
        var applied = 0
        /// Items kept in the history without a change: late, repeated or superseded.
        var ignored = 0
        /// Items for no known message, with an unknown status, or unreadable.
        var skipped = 0
    }

    /// One report reduced to what WabaRouter acts on.
    struct Report: Sendable {
        var infobipMessageID: String
        var status: MessageStatus
        /// For FAILED, what the failure is attributed to.
        var cause: FailureCause?
        var source: String
        var occurredAt: Date?
        var detail: JSONValue
    }

    enum Outcome: Sendable, Equatable {
        case applied
        case ignored
        /// Meta's pair rate limit refused the message after Infobip accepted it; it went back
        /// to the queue on the same sender.
        case requeued
        case unknownMessage
    }

    /// Applies `reports` in order, in one transaction, and returns one outcome per report.
    func apply(_ reports: [Report]) async throws -> [Outcome] {
        guard !reports.isEmpty else { return [] }
        let configuration = self.configuration
        return try await pool.withTransaction { connection in
            var batch = try ReportBatch(connection, reports.map(\.infobipMessageID))
            let outcomes = try reports.map { report in
                try batch.apply(report, connection: connection, configuration: configuration)
            }
            try batch.write(connection)
            return outcomes
        }
    }

    /// FAILED lowers the score by its cause, SEEN raises it, DELIVERED and SENT keep it.
    static func scoreChange(_ report: Report) -> ScoreChange {
        switch report.status {
        case .seen: .seen
        case .failed: .failed(report.cause ?? .content)
        case .queued, .sending, .sent, .delivered, .expired, .cancelled: .none
        }
    }

    static func reason(_ report: Report) -> String {
        guard case .object(let detail) = report.detail else { return "Reported FAILED." }
        var parts: [String] = []
        if case .string(let status)? = detail["statusName"] {
            parts.append(status)
        }
        if case .string(let error)? = detail["errorName"] {
            parts.append(error)
        }
        return "Infobip reported the message FAILED: \(parts.joined(separator: ", "))."
    }
}

/// The messages one webhook call touches, locked, with the changes its reports make.
private struct ReportBatch {
    private var targets: [String: ReportStore.Target]
    private var states: [UUID: MessageStatus] = [:]
    private var changes: [UUID: DispatchStore.MessageChange] = [:]
    private var events: [DispatchStore.EventRow] = []
    private var scoreDeltas: [UUID: Int] = [:]
    private var pairs: [BatchPlanner.Pair: Date] = [:]
    private let now: Date

    init(_ connection: PostgresConnection, _ infobipIDs: [String]) throws {
        let (targets, now) = try ReportStore.lockTargets(connection, infobipIDs: infobipIDs)
        self.targets = targets
        self.now = now
        for target in targets.values {
            states[target.messageID] = target.status
        }
    }

    mutating func apply(
        _ report: ReportProcessor.Report,
        connection: PostgresConnection,
        configuration: DispatchConfiguration
    ) throws -> ReportProcessor.Outcome {
        guard let target = targets[report.infobipMessageID],
            let status = states[target.messageID]
        else {
            return .unknownMessage
        }
        // A report about an attempt that a fallback superseded is history only: the message
        // now rides on another sender.
        let isCurrent = target.currentAttemptID == target.attemptID
        if isCurrent, report.status == .failed, report.cause == .rateLimited,
            status == .sending || status == .sent
        {
            try requeue(report, target: target, connection: connection, configuration)
            return .requeued
        }
        // A failure WabaRouter declared because no report came is only a guess: Infobip's
        // later report that the message arrived proves it did, so that report applies.
        let overridesGuess =
            status == .failed && target.attemptOutcome == FailureCause.unknownOutcome.rawValue
            && (report.status == .delivered || report.status == .seen)
        let applies = isCurrent && (status.canMove(to: report.status) || overridesGuess)
        events.append(event(report, target: target, applied: applies))
        guard applies else { return .ignored }

        states[target.messageID] = report.status
        var change =
            changes[target.messageID]
            ?? DispatchStore.MessageChange(
                messageID: target.messageID,
                status: report.status
            )
        change.status = report.status
        change.senderID = target.senderID
        change.markSent =
            change.markSent || status == .sending || status == .queued || overridesGuess
        change.clearsFailureReason = change.clearsFailureReason || overridesGuess
        if report.status == .failed {
            change.failureReason = ReportProcessor.reason(report)
        }
        changes[target.messageID] = change
        scoreDeltas[target.senderID, default: 0] += ReportProcessor.scoreChange(report).delta
        return .applied
    }

    /// Returns a message that Meta's pair rate limit refused to the queue, on the same sender,
    /// after 4^n seconds for its n-th such refusal; it fails after the configured maximum.
    private mutating func requeue(
        _ report: ReportProcessor.Report,
        target: ReportStore.Target,
        connection: PostgresConnection,
        _ configuration: DispatchConfiguration
    ) throws {
        try ReportStore.markAttemptRateLimited(connection, attemptID: target.attemptID)
        let rejections = try DispatchStore.pairRateRejections(
            connection,
            messageID: target.messageID
        )
        guard rejections < configuration.maximumPairRateRejections else {
            events.append(event(report, target: target, applied: true))
            states[target.messageID] = .failed
            changes[target.messageID] = DispatchStore.MessageChange(
                messageID: target.messageID,
                status: .failed,
                failureReason: "Meta's pair rate limit refused this message \(rejections) "
                    + "times. " + ReportProcessor.reason(report)
            )
            return
        }
        let until = now.addingTimeInterval(
            PairPacing.backoff(afterRejections: rejections - 1).seconds
        )
        let pacing = configuration.pairPacing
        let tolerance = pacing.interval.seconds * Double(pacing.burst - 1)
        pairs[BatchPlanner.Pair(senderID: target.senderID, recipient: target.recipient)] =
            until.addingTimeInterval(tolerance)
        states[target.messageID] = .queued
        changes[target.messageID] = DispatchStore.MessageChange(
            messageID: target.messageID,
            status: .queued,
            nextAttemptAt: until,
            pinnedSenderID: target.senderID,
            waitReason: .pairRateLimit
        )
        var detail = report.detail
        if case .object(var members) = detail {
            members["retryAt"] = .string(Timestamp.format(until))
            detail = .object(members)
        }
        events.append(
            DispatchStore.EventRow(
                messageID: target.messageID,
                attemptID: target.attemptID,
                status: MessageStatus.queued.rawValue,
                applied: true,
                source: report.source,
                detail: detail,
                occurredAt: report.occurredAt
            )
        )
    }

    func write(_ connection: PostgresConnection) throws {
        try DispatchStore.insertEvents(connection, events)
        try DispatchStore.applyChanges(connection, Array(changes.values))
        for (senderID, delta) in scoreDeltas.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            try SenderStore.addToScore(connection, senderID: senderID, delta: delta)
        }
        try DispatchStore.savePairInstants(connection, pairs)
    }

    private func event(
        _ report: ReportProcessor.Report,
        target: ReportStore.Target,
        applied: Bool
    ) -> DispatchStore.EventRow {
        DispatchStore.EventRow(
            messageID: target.messageID,
            attemptID: target.attemptID,
            status: report.status.rawValue,
            applied: applied,
            source: report.source,
            detail: report.detail,
            occurredAt: report.occurredAt
        )
    }
}
