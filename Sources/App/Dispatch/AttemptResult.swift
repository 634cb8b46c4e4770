import Domain
import Foundation
import Infobip

/// What Infobip's answer means for one message of a request.
struct AttemptResult: Sendable {
    /// `nil` when Infobip accepted the message.
    var cause: FailureCause?
    var httpStatus: Int?
    /// Infobip's status name for the message, such as `PENDING_ENROUTE` or `REJECTED_SENDER`.
    var infobipStatus: String?
    var errorCode: String?
    var reason: String?
    var retryAfter: Duration?
    var requests = 1

    /// A failure found before any request, such as stored data that cannot be sent.
    init(cause: FailureCause, reason: String) {
        self.cause = cause
        self.reason = reason
        self.requests = 0
    }

    /// Reads the answer to a request for the message sent as `messageID`.
    ///
    /// - Parameter isOnlyMessage: Whether the request carried this message alone; then an
    ///   entry with another id is still taken as its answer.
    init(
        _ answer: Result<[SentMessageInfo], InfobipFailure>,
        messageID: String,
        isOnlyMessage: Bool = true
    ) {
        switch answer {
        case .success(let entries):
            let match = entries.first { $0.messageId == messageID }
            guard let entry = match ?? (isOnlyMessage ? entries.first : nil) else {
                cause = .unknownOutcome
                httpStatus = 200
                reason =
                    "Infobip answered 200 without a status for the message; waiting for "
                    + "its report."
                return
            }
            httpStatus = 200
            infobipStatus = entry.status.name
            cause = FailureClassifier.classify(
                groupId: entry.status.groupId,
                statusId: entry.status.id,
                errorId: nil
            )
            if cause != nil {
                let description = entry.status.description.map { ": \($0)" } ?? ""
                reason = "Infobip rejected the message with \(entry.status.name)\(description)."
            }
        case .failure(.http(let status, let error, let retryAfter)):
            httpStatus = status
            errorCode = error?.code
            self.retryAfter = retryAfter
            cause = FailureClassifier.classify(httpStatus: status, errorCode: error?.code)
            let detail = error.map { " \($0.code): \($0.text)" } ?? ""
            reason = "Infobip answered HTTP \(status)\(detail)."
        case .failure(.timedOut):
            cause = .unknownOutcome
            reason =
                "Infobip did not answer in time, so whether it accepted the message is "
                + "unknown; waiting for its report instead of sending it again."
        case .failure(.notSent(let why)):
            cause = .transient
            reason = "The request did not reach Infobip: \(why)."
        case .failure(.invalidResponse(let why)):
            cause = .unknownOutcome
            httpStatus = 200
            reason = "Infobip's answer could not be read (\(why)); waiting for its report."
        }
    }

    /// Returns the attempt record completed with this result.
    func applied(to attempt: MessageAttempt) -> MessageAttempt {
        var finished = attempt
        finished.outcome = cause.map(\.rawValue) ?? MessageAttempt.acceptedOutcome
        if cause == .duplicate {
            // Infobip already has this id, so an earlier request of this attempt got through.
            finished.outcome = MessageAttempt.acceptedOutcome
        }
        finished.httpStatus = httpStatus
        finished.infobipStatus = infobipStatus
        finished.errorCode = errorCode
        finished.reason = reason
        finished.requests = requests
        finished.finishedAt = Date()
        return finished
    }
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
