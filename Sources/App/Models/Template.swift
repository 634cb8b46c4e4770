import Foundation

/// A message template of a WABA, with the status Infobip last reported.
struct Template: Sendable, Equatable, Encodable {
    var id: UUID
    var wabaId: UUID
    var infobipId: String?
    var name: String
    var language: String
    /// Infobip's category, kept as sent (MARKETING, UTILITY, AUTHENTICATION or a newer value).
    var category: String
    /// Infobip's status, kept as sent (APPROVED, PENDING, REJECTED, ...).
    var status: String
    var quality: String?
    /// Infobip's `structure` object: header, body, footer and buttons.
    var components: JSONValue
    var createdAt: Date
    var updatedAt: Date

    static let approvedStatus = "APPROVED"
}
