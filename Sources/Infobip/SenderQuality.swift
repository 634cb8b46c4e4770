public import Foundation

/// Quality, status and messaging limit of one WhatsApp sender, an item of
/// `GET /whatsapp/1/senders/quality`.
///
/// The enumerated fields stay raw strings, so a value Infobip adds later passes through. These
/// are the values of Infobip's OpenAPI spec 3.210.0:
/// - `qualityRating`: `HIGH`, `MEDIUM`, `LOW`, `UNKNOWN`
/// - `status`: `BANNED`, `CONNECTED`, `DELETED`, `DISCONNECTED`, `FLAGGED`, `MIGRATED`,
///   `PENDING`, `RATE_LIMITED`, `RESTRICTED`, `UNKNOWN`, `UNVERIFIED`
/// - `currentLimit`: `LIMIT_NA`, `LIMIT_250`, `LIMIT_2K`, `LIMIT_10K`, `LIMIT_100K`,
///   `UNLIMITED`
public struct SenderQuality: Sendable, Equatable {
    /// The sender number as Infobip returns it.
    public var sender: String
    public var qualityRating: String
    public var status: String
    /// Meta's messaging tier, which ``messagingLimit`` reads as a number of recipients.
    public var currentLimit: String
    /// When Infobip last updated these values. Nil when absent or not in ``InfobipTimestamp``
    /// format.
    public var lastUpdated: Date?

    /// Creates a sender quality value.
    public init(
        sender: String,
        qualityRating: String,
        status: String,
        currentLimit: String,
        lastUpdated: Date? = nil
    ) {
        self.sender = sender
        self.qualityRating = qualityRating
        self.status = status
        self.currentLimit = currentLimit
        self.lastUpdated = lastUpdated
    }

    /// ``currentLimit`` as a limit, or nil for `LIMIT_NA` and unknown values.
    public var messagingLimit: MessagingLimit? {
        MessagingLimit(currentLimit: currentLimit)
    }
}

extension SenderQuality: Decodable {
    private enum CodingKeys: String, CodingKey {
        case sender, qualityRating, status, currentLimit, lastUpdated
    }

    /// Decodes one result. `sender`, `qualityRating`, `status` and `currentLimit` are required,
    /// as in Infobip's Java client 6.x model `WhatsAppSenderQuality`. Unknown fields are ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sender = try container.decode(String.self, forKey: .sender)
        qualityRating = try container.decode(String.self, forKey: .qualityRating)
        status = try container.decode(String.self, forKey: .status)
        currentLimit = try container.decode(String.self, forKey: .currentLimit)
        lastUpdated = try container.decodeIfPresent(String.self, forKey: .lastUpdated)
            .flatMap(InfobipTimestamp.parse)
    }
}
