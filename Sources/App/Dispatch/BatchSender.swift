import Crypto
import Domain
import Foundation
import Infobip
import Logging

/// Sends a claimed batch in one Infobip request.
///
/// A transient failure is not repeated here: the recorder returns the messages to the queue,
/// pinned to their attempts, so the repeat is claimed again and counted against each sender's
/// rate like any other request.
struct BatchSender: Sendable {
    let infobip: InfobipClient
    let secretKey: SecretKey
    /// The `notifyUrl` given to Infobip with every message.
    let notifyURL: String
    let configuration: DispatchConfiguration

    /// The outcome of one batch: one result per item, in the batch's order.
    struct Outcome: Sendable {
        var results: [AttemptResult]
        /// Requests made: 1, or 0 when nothing could be sent.
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
        let requests = messages.isEmpty ? 0 : 1
        let answer: Result<[SentMessageInfo], InfobipFailure> =
            messages.isEmpty
            ? .success([])
            : await infobip.sendTemplates(
                messages,
                bulkId: batch.id.postgresText,
                credentials: credentials
            )

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
}
