/// Meta's messaging limit: how many unique WhatsApp users a business may message outside a
/// customer service window in a moving 24 hours.
///
/// Infobip reports it per sender as `currentLimit` in `GET /whatsapp/1/senders/quality`. Since
/// 7 October 2025 Meta sets the limit per business portfolio, and every sender of the
/// portfolio shares it (Meta's "Messaging limits" page, developers.facebook.com).
///
/// Build one with ``init(currentLimit:)``, which returns nil for `LIMIT_NA` and for values this
/// module does not know. Nil means no limit can be derived, which is not the same as
/// ``unlimited``.
public enum MessagingLimit: Sendable, Equatable, Hashable {
    /// At most this many unique recipients per moving 24 hours.
    case uniqueRecipientsPer24Hours(Int)
    /// Meta sets no limit on unique recipients.
    case unlimited

    /// Maps Infobip's `currentLimit`: `LIMIT_250` 250, `LIMIT_2K` 2,000, `LIMIT_10K` 10,000,
    /// `LIMIT_100K` 100,000, `UNLIMITED` ``unlimited``. Returns nil for `LIMIT_NA` and any other
    /// value.
    public init?(currentLimit: String) {
        switch currentLimit {
        case "LIMIT_250": self = .uniqueRecipientsPer24Hours(250)
        case "LIMIT_2K": self = .uniqueRecipientsPer24Hours(2_000)
        case "LIMIT_10K": self = .uniqueRecipientsPer24Hours(10_000)
        case "LIMIT_100K": self = .uniqueRecipientsPer24Hours(100_000)
        case "UNLIMITED": self = .unlimited
        default: return nil
        }
    }
}
