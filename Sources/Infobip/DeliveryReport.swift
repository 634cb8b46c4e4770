public import Foundation

/// One WhatsApp delivery report, an item of the `results` array Infobip posts to `notifyUrl`.
///
/// `messageId`, `to` and `status` are required. A timestamp that is absent or not in
/// ``InfobipTimestamp`` format is nil, so an unexpected date never drops the status.
public struct DeliveryReport: Sendable, Equatable {
    /// Our id from the send request, or the id Infobip generated.
    public var messageId: String

    /// Recipient of the message.
    public var to: String

    /// Bulk id of the send request. Infobip sends `""` for single messages.
    public var bulkId: String?
    public var sentAt: Date?

    /// When the status in this report was reached.
    public var doneAt: Date?
    public var messageCount: Int?
    public var status: MessageStatusInfo

    /// Error details. A successful delivery carries id 0 `NO_ERROR`.
    public var error: MessageErrorInfo?
    public var price: MessagePrice?
    public var contact: WhatsAppContact?

    /// Echo of the send's `callbackData`. The WhatsApp report schema has no such field, so
    /// this is usually nil.
    public var callbackData: String?

    /// Creates a report.
    public init(
        messageId: String,
        to: String,
        bulkId: String? = nil,
        sentAt: Date? = nil,
        doneAt: Date? = nil,
        messageCount: Int? = nil,
        status: MessageStatusInfo,
        error: MessageErrorInfo? = nil,
        price: MessagePrice? = nil,
        contact: WhatsAppContact? = nil,
        callbackData: String? = nil
    ) {
        self.messageId = messageId
        self.to = to
        self.bulkId = bulkId
        self.sentAt = sentAt
        self.doneAt = doneAt
        self.messageCount = messageCount
        self.status = status
        self.error = error
        self.price = price
        self.contact = contact
        self.callbackData = callbackData
    }
}

extension DeliveryReport: Decodable {
    private enum CodingKeys: String, CodingKey {
        case messageId, to, bulkId, sentAt, doneAt, messageCount, status, error, price, contact
        case callbackData
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageId = try container.decode(String.self, forKey: .messageId)
        to = try container.decode(String.self, forKey: .to)
        bulkId = try container.decodeIfPresent(String.self, forKey: .bulkId)
        sentAt = try container.decodeIfPresent(String.self, forKey: .sentAt)
            .flatMap(InfobipTimestamp.parse)
        doneAt = try container.decodeIfPresent(String.self, forKey: .doneAt)
            .flatMap(InfobipTimestamp.parse)
        messageCount = try container.decodeIfPresent(Int.self, forKey: .messageCount)
        status = try container.decode(MessageStatusInfo.self, forKey: .status)
        error = try container.decodeIfPresent(MessageErrorInfo.self, forKey: .error)
        price = try container.decodeIfPresent(MessagePrice.self, forKey: .price)
        contact = try container.decodeIfPresent(WhatsAppContact.self, forKey: .contact)
        callbackData = try container.decodeIfPresent(String.self, forKey: .callbackData)
    }
}
