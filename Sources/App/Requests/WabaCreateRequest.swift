import Domain
import Foundation

/// The body of `POST /wabas`, validated.
struct WabaCreateRequest: Sendable {
    var name: String
    /// The Infobip API key without an `App ` prefix.
    var apiKey: String
    var baseURL: InfobipBaseURL
    /// Meta's numeric id of the WhatsApp Business Account.
    var businessAccountID: String

    /// `wabas.name` has `CHECK (length(name) BETWEEN 1 AND 200)`. PostgreSQL's `length` counts
    /// code points, so the limit applies to Unicode scalars, not to grapheme clusters.
    static let maximumNameLength = 200

    init(_ body: JSONObjectReader) throws(Problem) {
        try body.rejectUnknownFields(allowed: ["name", "apiKey", "baseUrl", "wabaId"])
        name = try body.string("name", hint: "Give a name for this WABA, such as Acme Brasil.")
        let nameLength = name.unicodeScalars.count
        guard nameLength <= Self.maximumNameLength else {
            throw Problem.invalidField(
                "name",
                "name has \(nameLength) characters; the maximum is \(Self.maximumNameLength). "
                    + "Give a shorter name, such as Acme Brasil."
            )
        }
        let key = try body.string(
            "apiKey",
            hint: "Give the Infobip API key of the account that serves this WABA."
        )
        apiKey = Self.strippingAppPrefix(key)
        let baseText = try body.string(
            "baseUrl",
            hint: "Give the account's Infobip base URL, such as https://xyz.api.infobip.com."
        )
        do {
            baseURL = try InfobipBaseURL(parsing: baseText)
        } catch {
            throw Problem.invalidField("baseUrl", error.description)
        }

        businessAccountID = try body.string(
            "wabaId",
            hint: "Give Meta's id of the WhatsApp Business Account (digits)."
        )
        guard businessAccountID.count <= 64,
            businessAccountID.allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw Problem.invalidField(
                "wabaId",
                "wabaId '\(businessAccountID)' must be Meta's numeric WhatsApp Business Account "
                    + "id, such as 104857362918273."
            )
        }
    }

    /// Removes the `App ` prefix of a key pasted as Infobip's header shows it, so the
    /// `Authorization` header never carries it twice.
    static func strippingAppPrefix(_ key: String) -> String {
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("app ") {
            return String(trimmed.dropFirst(4)).trimmingCharacters(in: .whitespaces)
        }
        return trimmed
    }
}
