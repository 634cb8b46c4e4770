import Domain
import Foundation

/// A Meta business portfolio: the owner of one or more WABAs, whose messaging limit all their
/// senders share.
struct Portfolio: Sendable, Equatable {
    /// The source of ``tier``: `default` (Meta's starting tier), `api` or `infobip`.
    enum LimitSource: String, Sendable {
        case defaultTier = "default"
        case api
        case infobip
    }

    var id: UUID
    var tenantID: UUID
    var name: String
    var tier: MessagingTier
    var limitSource: LimitSource
    var limitCheckedAt: Date?
    var createdAt: Date

    /// The API representation, with the usage of the rolling 24 hours when it was read.
    struct Representation: Encodable {
        var id: UUID
        var name: String
        var messagingLimit: String
        /// Unique recipients per rolling 24 hours; nil when unlimited.
        var uniqueRecipientsLimit: Int?
        var messagingLimitSource: String
        var messagingLimitCheckedAt: Date?
        var usage: Usage?
        var createdAt: Date
    }

    /// Recipients counted against the limit in the rolling 24 hours.
    struct Usage: Encodable {
        var uniqueRecipients: Int
        /// Nil when unlimited.
        var remaining: Int?
        /// When the oldest counted recipient stops counting.
        var nextReleaseAt: Date?
    }

    func representation(usage: Usage? = nil) -> Representation {
        Representation(
            id: id,
            name: name,
            messagingLimit: tier.rawValue,
            uniqueRecipientsLimit: tier.uniqueRecipients,
            messagingLimitSource: limitSource.rawValue,
            messagingLimitCheckedAt: limitCheckedAt,
            usage: usage,
            createdAt: createdAt
        )
    }
}
