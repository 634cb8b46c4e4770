import Domain
import Foundation
import Infobip
import Logging

extension MessageDispatcher {
    /// Calls Infobip for one attempt, retrying transient failures on the same sender with the
    /// same message id, so Infobip can recognise a repeat.
    func call(
        _ attempt: MessageAttempt,
        sender: Sender,
        content: TemplateContent,
        credentials: InfobipCredentials,
        logger: Logger
    ) async -> AttemptResult {
        let message = content.infobipMessage(
            from: sender.number,
            messageID: attempt.infobipMessageId,
            notifyURL: notifyURL
        )
        var requests = 0
        while true {
            requests += 1
            let answer = await infobip.sendTemplates(
                [message],
                bulkId: nil,
                credentials: credentials
            )
            var result = AttemptResult(answer, messageID: attempt.infobipMessageId)
            result.requests = requests
            guard result.cause == .transient, requests <= transientRetries else {
                return result
            }
            let delay = retryDelay(afterRequest: requests, retryAfter: result.retryAfter)
            logger.info(
                "retrying a transient Infobip failure on the same sender",
                [
                    "request": String(requests),
                    "delayMilliseconds": String(delay.milliseconds),
                    "reason": result.reason ?? "",
                ]
            )
            try? await Task.sleep(for: delay)
        }
    }

    /// Returns the wait before a retry: `Retry-After` when Infobip sent one, else an exponential
    /// backoff from 250 ms. Both are capped by ``maximumRetryDelay``, and up to 20 % of jitter
    /// is added so that clients do not retry in step.
    func retryDelay(afterRequest request: Int, retryAfter: Duration?) -> Duration {
        let base = retryAfter ?? .milliseconds(250 * (1 << min(request - 1, 6)))
        let capped = min(base, maximumRetryDelay)
        let jitter = Double.random(in: 0...0.2)
        return capped + capped * jitter
    }
}

/// The result of one attempt's calls to Infobip.
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

    init(_ answer: Result<[SentMessageInfo], InfobipFailure>, messageID: String) {
        switch answer {
        case .success(let entries):
            guard let entry = entries.first(where: { $0.messageId == messageID }) ?? entries.first
            else {
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
