/// Infobip's `price` object in reports and inbound messages.
public struct MessagePrice: Sendable, Codable, Equatable {
    /// Price of one message in ``currency``.
    public var pricePerMessage: Double?
    /// ISO 4217 currency code, such as `EUR`.
    public var currency: String?

    /// Creates a price.
    public init(pricePerMessage: Double? = nil, currency: String? = nil) {
        self.pricePerMessage = pricePerMessage
        self.currency = currency
    }
}
