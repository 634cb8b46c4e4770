public import Foundation

/// A template status, category or quality change that Infobip posts for a subscription.
///
/// `change.type` is `TEMPLATE_STATUS_UPDATE` (with `newStatus` and an optional `reason`),
/// `TEMPLATE_CATEGORY_UPDATE` (`previousCategory`, `newCategory`) or `TEMPLATE_QUALITY_UPDATE`
/// (`previousQualityScore`, `newQualityScore`). Every value stays a raw string.
public struct TemplateUpdateEvent: Sendable, Equatable {
    /// Infobip's template id. The spec sends a string and the PHP SDK a number, and both are
    /// read as decimal text.
    public var templateId: String
    public var templateName: String
    public var language: String
    public var timestamp: Date?

    /// `change.type`, such as `TEMPLATE_STATUS_UPDATE`.
    public var changeType: String

    /// New template status, such as `APPROVED`, `REJECTED` or `FLAGGED`.
    public var newStatus: String?

    /// Why the status changed: `ABUSIVE_CONTENT`, `INCORRECT_CATEGORY`, `INVALID_FORMAT`,
    /// `NONE`, `SCAM` or `UNKNOWN` in Infobip's spec.
    public var reason: String?
    public var previousCategory: String?
    public var newCategory: String?

    /// `change.previousQualityScore`.
    public var previousQuality: String?

    /// `change.newQualityScore`.
    public var newQuality: String?
    public var entityId: String?
    public var applicationId: String?

    /// Creates an event.
    public init(
        templateId: String,
        templateName: String,
        language: String,
        timestamp: Date? = nil,
        changeType: String,
        newStatus: String? = nil,
        reason: String? = nil,
        previousCategory: String? = nil,
        newCategory: String? = nil,
        previousQuality: String? = nil,
        newQuality: String? = nil,
        entityId: String? = nil,
        applicationId: String? = nil
    ) {
        self.templateId = templateId
        self.templateName = templateName
        self.language = language
        self.timestamp = timestamp
        self.changeType = changeType
        self.newStatus = newStatus
        self.reason = reason
        self.previousCategory = previousCategory
        self.newCategory = newCategory
        self.previousQuality = previousQuality
        self.newQuality = newQuality
        self.entityId = entityId
        self.applicationId = applicationId
    }
}

extension TemplateUpdateEvent: Decodable {
    private enum CodingKeys: String, CodingKey {
        case messageTemplateId, messageTemplateName, messageTemplateLanguage, timestamp, change
        case entityId, applicationId
    }

    private enum ChangeKeys: String, CodingKey {
        case type, newStatus, reason, previousCategory, newCategory
        case previousQualityScore, newQualityScore
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        templateId = try container.decode(StringOrNumber.self, forKey: .messageTemplateId).text
        templateName = try container.decode(String.self, forKey: .messageTemplateName)
        language = try container.decode(String.self, forKey: .messageTemplateLanguage)
        timestamp = try container.decodeIfPresent(String.self, forKey: .timestamp)
            .flatMap(InfobipTimestamp.parse)
        entityId = try container.decodeIfPresent(StringOrNumber.self, forKey: .entityId)?.text
        applicationId = try container.decodeIfPresent(StringOrNumber.self, forKey: .applicationId)?
            .text

        let change = try container.nestedContainer(keyedBy: ChangeKeys.self, forKey: .change)
        changeType = try change.decode(String.self, forKey: .type)
        newStatus = try change.decodeIfPresent(String.self, forKey: .newStatus)
        reason = try change.decodeIfPresent(String.self, forKey: .reason)
        previousCategory = try change.decodeIfPresent(String.self, forKey: .previousCategory)
        newCategory = try change.decodeIfPresent(String.self, forKey: .newCategory)
        previousQuality = try change.decodeIfPresent(String.self, forKey: .previousQualityScore)
        newQuality = try change.decodeIfPresent(String.self, forKey: .newQualityScore)
    }
}
