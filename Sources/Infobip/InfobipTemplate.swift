public import Foundation

/// A WhatsApp template as Infobip returns it (`TemplateApiResponse`).
///
/// Status, category and quality stay raw strings, because Infobip and Meta add values over
/// time. Infobip's OpenAPI spec 3.210.0 lists these statuses: `APPROVED`, `IN_APPEAL`,
/// `PENDING`, `REJECTED`, `PENDING_DELETION`, `DELETED`, `REINSTATED`, `FLAGGED`,
/// `FIRST_PAUSED`, `SECOND_PAUSED` and `DISABLED`. Its categories are `MARKETING`, `UTILITY`
/// and `AUTHENTICATION`, and its quality values `HIGH`, `MEDIUM`, `LOW` and `UNKNOWN`.
public struct InfobipTemplate: Sendable, Equatable {
    /// Infobip's template id, a decimal number sent as a string (a number is accepted too).
    public var id: String

    /// Id of the WhatsApp Business Account that owns the template.
    public var businessAccountId: Int64?

    public var name: String
    public var language: String
    public var status: String
    public var category: String
    public var quality: String?

    /// The `structure` object (header, body, footer, buttons) as JSON with sorted keys.
    public var structure: Data

    /// Nil when absent or not in ``InfobipTimestamp`` format.
    public var createdAt: Date?

    /// Nil when absent or not in ``InfobipTimestamp`` format.
    public var lastUpdatedAt: Date?

    /// Creates a template value.
    public init(
        id: String,
        businessAccountId: Int64? = nil,
        name: String,
        language: String,
        status: String,
        category: String,
        quality: String? = nil,
        structure: Data,
        createdAt: Date? = nil,
        lastUpdatedAt: Date? = nil
    ) {
        self.id = id
        self.businessAccountId = businessAccountId
        self.name = name
        self.language = language
        self.status = status
        self.category = category
        self.quality = quality
        self.structure = structure
        self.createdAt = createdAt
        self.lastUpdatedAt = lastUpdatedAt
    }
}

extension InfobipTemplate: Decodable {
    private enum CodingKeys: String, CodingKey {
        case id, businessAccountId, name, language, status, category, quality, structure
        case createdAt, lastUpdatedAt
    }

    /// Decodes a `TemplateApiResponse`.
    ///
    /// `id`, `name`, `language`, `status`, `category` and an object `structure` are required.
    /// `businessAccountId` may be a number or a numeric string. Unknown fields are ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(StringOrNumber.self, forKey: .id).text
        let accountId = try container.decodeIfPresent(
            StringOrNumber.self,
            forKey: .businessAccountId
        )
        businessAccountId = accountId.flatMap { Int64($0.text) }
        name = try container.decode(String.self, forKey: .name)
        language = try container.decode(String.self, forKey: .language)
        status = try container.decode(String.self, forKey: .status)
        category = try container.decode(String.self, forKey: .category)
        quality = try container.decodeIfPresent(String.self, forKey: .quality)

        let structureValue = try container.decode(JSONValue.self, forKey: .structure)
        guard structureValue.isObject else {
            throw DecodingError.dataCorruptedError(
                forKey: .structure,
                in: container,
                debugDescription: "structure is not an object"
            )
        }
        structure = try structureValue.data()

        let created = try container.decodeIfPresent(String.self, forKey: .createdAt)
        createdAt = created.flatMap(InfobipTimestamp.parse)
        let updated = try container.decodeIfPresent(String.self, forKey: .lastUpdatedAt)
        lastUpdatedAt = updated.flatMap(InfobipTimestamp.parse)
    }
}
