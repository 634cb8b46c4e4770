import Domain
import Foundation

/// Messages of one WABA claimed for one Infobip request. Each message keeps its own sender,
/// attempt and Infobip message id.
struct DispatchBatch: Sendable {
    struct Item: Sendable {
        var messageID: UUID
        /// The attempt this request makes: a new one, or one repeated with the same id.
        var attempt: MessageAttempt
        var senderNumber: String
        var recipient: String
        var templateName: String
        var language: String
        var params: JSONValue
        var callbackData: String?
        /// Senders that failed this message before this attempt.
        var excludedSenderIDs: [UUID]

        var senderID: UUID { attempt.senderId }
    }

    var id: UUID
    var wabaID: UUID
    var baseURL: String
    var apiKeySealed: Data
    var items: [Item]
    /// The claim's database timestamp, at which each sender's rate window counts the batch
    /// until its results are stored.
    var claimedAt: Date
}

/// What one claim found.
enum ClaimOutcome: Sendable {
    case claimed(DispatchBatch)
    /// No message of the WABA is ready.
    case empty
    /// Ready messages exist but none can go yet; the earliest instant one might, if known.
    case waiting(until: Date?)
    /// Other claims hold the senders needed; trying again in a few milliseconds may succeed.
    case busy
}

/// Why a QUEUED message is not going out yet, stored in `messages.wait_reason`.
enum WaitReason: String, Sendable {
    case sendAt = "send-at"
    case senderCapacity = "sender-capacity"
    case pairPacing = "pair-pacing"
    case pairRateLimit = "pair-rate-limit"
    case portfolioLimit = "portfolio-limit"
    case infobipRateLimit = "infobip-rate-limit"
    case infobipUnavailable = "infobip-unavailable"
    case fallback = "fallback"
    case resend = "unknown-outcome-resend"

    init(_ wait: BatchPlanner.Wait) {
        switch wait {
        case .senderCapacity, .noReservedSender: self = .senderCapacity
        case .pairPacing: self = .pairPacing
        }
    }
}
