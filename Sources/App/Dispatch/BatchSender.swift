import Crypto
import Domain
import Foundation
import Infobip
import Logging

/// Sends a claimed batch in one Infobip request, and repeats the request, with the same
/// message ids, after a transient failure of the whole request.
struct BatchSender: Sendable {
    let infobip: InfobipClient
    let secretKey: SecretKey
    /// The `notifyUrl` given to Infobip with every message.
    let notifyURL: String
    let configuration: DispatchConfiguration

    /// The outcome of one batch: one result per item, in the batch's order.
    struct Outcome: Sendable {
        var results: [AttemptResult]
        /// Requests made, one more per transient retry.
        var requests: Int
    }

    func send(_ batch: DispatchBatch, logger: Logger) async -> Outcome {
        var messages: [TemplateMessage] = []
        var unreadable: [Int: String] = [:]
        for (index, item) in batch.items.enumerated() {
            do {
                let content = try TemplateContent(item: item)
                messages.append(
                    content.infobipMessage(
                        from: item.senderNumber,
                        messageID: item.attempt.infobipMessageId,
                        notifyURL: notifyURL
                    )
                )
            } catch {
                unreadable[index] = error.detail
            }
        }

        let apiKey: String
        do {
            apiKey = try secretKey.open(batch.apiKeySealed)
        } catch {
            logger.error("WABA API key cannot be opened", ["error": String(describing: error)])
            return Outcome(
                results: batch.items.map { _ in
                    AttemptResult(
                        cause: .account,
                        reason: "The WABA's stored API key cannot be decrypted."
                    )
                },
                requests: 0
            )
        }
        guard let baseURL = URL(string: batch.baseURL) else {
            preconditionFailure(
                "stored base URL '\(batch.baseURL)' of WABA \(batch.wabaID) does not parse"
            )
        }
        let credentials = InfobipCredentials(baseURL: baseURL, apiKey: apiKey)
        let (answer, requests) = await call(messages, batchID: batch.id, credentials, logger)

        var results: [AttemptResult] = []
        results.reserveCapacity(batch.items.count)
        for (index, item) in batch.items.enumerated() {
            if let reason = unreadable[index] {
                results.append(AttemptResult(cause: .content, reason: reason))
                continue
            }
            var result = AttemptResult(
                answer,
                messageID: item.attempt.infobipMessageId,
                isOnlyMessage: messages.count == 1
            )
            result.requests = requests
            results.append(result)
        }
        return Outcome(results: results, requests: requests)
    }

    /// Calls Infobip, retrying a whole-request transient failure (429, 5xx, a request that
    /// never left) while the wait it needs is short.
    private func call(
        _ messages: [TemplateMessage],
        batchID: UUID,
        _ credentials: InfobipCredentials,
        _ logger: Logger
    ) async -> (Result<[SentMessageInfo], InfobipFailure>, Int) {
        guard !messages.isEmpty else { return (.success([]), 0) }
        var requests = 0
        while true {
            requests += 1
            let answer = await infobip.sendTemplates(
                messages,
                bulkId: batchID.uuidString.lowercased(),
                credentials: credentials
            )
            let probe = AttemptResult(answer, messageID: "", isOnlyMessage: false)
            guard Self.isWholeRequestTransient(answer), requests <= configuration.transientRetries
            else {
                return (answer, requests)
            }
            if let retryAfter = probe.retryAfter, retryAfter > configuration.maximumRetryDelay {
                // A long wait goes back to the queue instead of holding this dispatcher.
                return (answer, requests)
            }
            let delay = retryDelay(afterRequest: requests, retryAfter: probe.retryAfter)
            logger.info(
                "retrying a transient Infobip failure on the same senders",
                [
                    "request": String(requests),
                    "delayMilliseconds": String(delay.milliseconds),
                    "reason": probe.reason ?? "",
                ]
            )
            try? await Task.sleep(for: delay)
        }
    }

    private static func isWholeRequestTransient(
        _ answer: Result<[SentMessageInfo], InfobipFailure>
    ) -> Bool {
        switch answer {
        case .failure(.http(let status, let error, _)):
            FailureClassifier.classify(httpStatus: status, errorCode: error?.code) == .transient
        case .failure(.notSent):
            true
        case .success, .failure(.timedOut), .failure(.invalidResponse):
            false
        }
    }

    /// Returns the wait before a retry: `Retry-After` when Infobip sent one, else an exponential
    /// backoff from 250 ms. Both are capped by ``DispatchConfiguration/maximumRetryDelay``,
    /// and up to 20 % of jitter is added so that clients do not retry in step.
    func retryDelay(afterRequest request: Int, retryAfter: Duration?) -> Duration {
        let base = retryAfter ?? .milliseconds(250 * (1 << min(request - 1, 6)))
        let capped = min(base, configuration.maximumRetryDelay)
        return capped + capped * Double.random(in: 0...0.2)
    }
}
