import Foundation

/// A WhatsApp Business Account with the Infobip account that serves it.
struct Waba: Sendable, Equatable {
    var id: UUID
    var tenantID: UUID
    var name: String
    /// Meta's id of the account, given as `wabaId` in the API.
    var businessAccountID: String
    /// Normalised to `scheme://host[:port]`.
    var baseURL: String
    /// The Infobip API key, sealed under the instance's secret key.
    var apiKeySealed: Data
    /// The key's last four characters, or empty for a key under 12 characters.
    var apiKeyLast4: String
    /// The business portfolio whose messaging limit the WABA shares.
    var portfolioID: UUID
    var createdAt: Date

    /// The API representation: everything but the sealed key.
    struct Representation: Encodable {
        var id: UUID
        var name: String
        var wabaId: String
        var baseUrl: String
        /// Nil for a key under 12 characters, whose last four would give away too much.
        var apiKeyLast4: String?
        var portfolioId: UUID
        var createdAt: Date
    }

    var representation: Representation {
        Representation(
            id: id,
            name: name,
            wabaId: businessAccountID,
            baseUrl: baseURL,
            apiKeyLast4: apiKeyLast4.isEmpty ? nil : apiKeyLast4,
            portfolioId: portfolioID,
            createdAt: createdAt
        )
    }
}
