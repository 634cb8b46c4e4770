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
    /// The business portfolio the WABA joins; nil for a new portfolio of its own.
    var portfolioID: UUID?

    /// `wabas.name` has `CHECK (length(name) BETWEEN 1 AND 200)`. PostgreSQL's `length` counts
    /// code points, so the limit applies to Unicode scalars, not to grapheme clusters.
    static let maximumNameLength = 200

    init(_ body: JSONObjectReader) throws(Problem) {
        try body.rejectUnknownFields(allowed: [
            "name", "apiKey", "baseUrl", "wabaId", "portfolioId",
        ])
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
        apiKey = try Self.validatedAPIKey(key)
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
        portfolioID = try Self.portfolioID(body)
    }

    static func portfolioID(_ body: JSONObjectReader) throws(Problem) -> UUID? {
        guard let text = try body.optionalString("portfolioId") else { return nil }
        guard let id = UUID(uuidString: text) else {
            throw Problem.invalidField(
                "portfolioId",
                "portfolioId '\(text)' is not a portfolio id. Give an id returned by "
                    + "POST /portfolios, or leave it out to give the WABA a portfolio of its own."
            )
        }
        return id
    }

    /// Shortest accepted key, a floor that catches a truncated paste.
    static let minimumAPIKeyLength = 8

    /// Validates a pasted key and returns the part that goes into `Authorization: App <key>`.
    ///
    /// Surrounding whitespace and an `App ` prefix, pasted as Infobip's header shows it, are
    /// removed, so the header never carries the prefix twice. The rest must be at least
    /// ``minimumAPIKeyLength`` characters of printable ASCII, because a space, line break or
    /// control character inside it would change the HTTP request it is sent in. No message
    /// repeats the key, since it is a secret.
    static func validatedAPIKey(_ text: String) throws(Problem) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var key = trimmed
        // The prefix is looked for before trailing whitespace is trimmed, so that "App " alone
        // reads as a prefix with an empty key.
        let leading = text.drop { $0.isWhitespace }
        if leading.lowercased().hasPrefix("app ") {
            key = String(leading.dropFirst(4)).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else {
                throw Problem.invalidField(
                    "apiKey",
                    "apiKey contains only the App prefix. Give the key that follows App in "
                        + "Infobip's Authorization header."
                )
            }
        }
        for (offset, scalar) in key.unicodeScalars.enumerated()
        where !(0x21...0x7E).contains(scalar.value) {
            throw Problem.invalidField(
                "apiKey",
                "apiKey has a space, line break, control or non-ASCII character at position "
                    + "\(offset + 1). Paste the key alone, as the Infobip portal shows it."
            )
        }
        guard key.unicodeScalars.count >= Self.minimumAPIKeyLength else {
            throw Problem.invalidField(
                "apiKey",
                "apiKey has \(key.unicodeScalars.count) characters; WabaRouter accepts keys of at "
                    + "least \(Self.minimumAPIKeyLength). Copy the whole key from the Infobip "
                    + "portal."
            )
        }
        return key
    }
}
