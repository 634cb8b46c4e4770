/// A business portfolio's messaging limit: how many unique users it may reach outside a
/// customer-service window in a rolling 24 hours, shared by all its WABAs and numbers.
///
/// Meta's tiers since October 2025. New portfolios start at 250.
public enum MessagingTier: String, Sendable, CaseIterable, Codable {
    case tier250 = "TIER_250"
    case tier2K = "TIER_2K"
    case tier10K = "TIER_10K"
    case tier100K = "TIER_100K"
    case unlimited = "UNLIMITED"

    /// Unique recipients per rolling 24 hours; nil when unlimited.
    public var uniqueRecipients: Int? {
        switch self {
        case .tier250: 250
        case .tier2K: 2_000
        case .tier10K: 10_000
        case .tier100K: 100_000
        case .unlimited: nil
        }
    }
}
