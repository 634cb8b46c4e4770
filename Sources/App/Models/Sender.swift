import Domain
import Foundation

/// A WhatsApp number of a WABA, as stored.
struct Sender: Sendable, Equatable, Encodable {
    var id: UUID
    var wabaId: UUID
    /// E.164 digits with the country code, without `+`.
    var number: String
    var status: SenderStatus
    var quality: Quality
    /// 0 to 100; ``quality`` follows it.
    var score: Int
    var lastUsedAt: Date?
    /// Messages per second this sender may send, enforced across instances; Meta allows 80 by
    /// default and 1,000 after an upgrade.
    var messagesPerSecond: Int
    var createdAt: Date
    var updatedAt: Date
}
