public import Foundation

/// One seen (read) report, an item of the `results` array Infobip posts to `notifyUrl`.
///
/// Only `messageId` is required. Infobip's schema calls `to` the business number and `from`
/// the sending number, but its own example puts the recipient in `to`, so join on
/// `messageId` and do not rely on either side.
public struct SeenReport: Sendable, Equatable {
    public var messageId: String
    public var from: String?
    public var to: String?
    public var sentAt: Date?
    public var seenAt: Date?
    public var applicationId: String?
    public var entityId: String?
    public var contact: WhatsAppContact?

    /// Creates a report.
    public init(
        messageId: String,
        from: String? = nil,
        to: String? = nil,
        sentAt: Date? = nil,
        seenAt: Date? = nil,
        applicationId: String? = nil,
        entityId: String? = nil,
        contact: WhatsAppContact? = nil
    ) {
        self.messageId = messageId
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.seenAt = seenAt
        self.applicationId = applicationId
        self.entityId = entityId
        self.contact = contact
    }
}

extension SeenReport: Decodable {
    private enum CodingKeys: String, CodingKey {
        case messageId, from, to, sentAt, seenAt, applicationId, entityId, contact
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageId = try container.decode(String.self, forKey: .messageId)
        from = try container.decodeIfPresent(String.self, forKey: .from)
        to = try container.decodeIfPresent(String.self, forKey: .to)
        sentAt = try container.decodeIfPresent(String.self, forKey: .sentAt)
            .flatMap(InfobipTimestamp.parse)
        seenAt = try container.decodeIfPresent(String.self, forKey: .seenAt)
            .flatMap(InfobipTimestamp.parse)
        applicationId = try container.decodeIfPresent(StringOrNumber.self, forKey: .applicationId)?
            .text
        entityId = try container.decodeIfPresent(StringOrNumber.self, forKey: .entityId)?.text
        contact = try container.decodeIfPresent(WhatsAppContact.self, forKey: .contact)
    }
}
