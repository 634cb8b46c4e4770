import Domain
import Foundation
import Infobip
import Logging
import Postgres

/// Applies Infobip's delivery and seen reports to messages and sender scores.
///
/// Each report item is applied in a transaction of its own that locks the message row, so
/// concurrent and repeated reports apply one at a time. The first moves the status and the
/// score. The rest are kept in the history with `applied` false.
struct ReportProcessor: Sendable {
    let pool: PostgresPool

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

    enum Outcome: Sendable {
        case applied
        case ignored
        case unknownMessage
    }

    /// Applies one report in its own transaction.
    func apply(_ report: Report) async throws -> Outcome {
        try await pool.withTransaction { connection in
            guard
                let (message, attempt) = try MessageStore.lockByInfobipMessageID(
                    connection,
                    report.infobipMessageID
                )
            else {
                return .unknownMessage
            }
            // A report about an attempt that was superseded by a fallback is history only: the
            // message now rides on another sender.
            let isCurrent = message.currentAttemptID == attempt.id
            let applies = isCurrent && message.status.canMove(to: report.status)
            try MessageStore.appendEvent(
                connection,
                messageID: message.id,
                attemptID: attempt.id,
                status: report.status.rawValue,
                applied: applies,
                source: report.source,
                detail: report.detail,
                occurredAt: report.occurredAt
            )
            guard applies else { return .ignored }

            try MessageStore.setStatus(
                connection,
                id: message.id,
                status: report.status,
                senderID: attempt.senderId,
                failureReason: report.status == .failed ? Self.reason(report) : nil
            )
            try SenderStore.applyScoreChange(
                connection,
                senderID: attempt.senderId,
                change: Self.scoreChange(report)
            )
            return .applied
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

    private static func reason(_ report: Report) -> String {
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
