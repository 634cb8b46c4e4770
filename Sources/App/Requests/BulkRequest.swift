import Domain
import Foundation

/// The members of a `POST /messages/bulk` body other than `messages`, validated.
struct BulkRequest: Sendable {
    /// Most messages one bulk may carry.
    static let maximumMessages = 100_000

    var wabaReference: String
    var templateName: String
    /// `nil` when the request leaves the choice to the template's only language.
    var language: String?
    /// When sending may start; nil for at once.
    var sendAt: Date?
    /// When unsent messages become EXPIRED; nil for never.
    var expiresAt: Date?

    /// Top-level members a bulk body may have.
    static let members: Set<String> = [
        "wabaId", "templateName", "language", "messages", "sendAt", "expiresAt",
    ]

    /// Reads the members other than `messages`.
    init(_ body: JSONObjectReader, now: Date) throws(Problem) {
        try body.rejectUnknownFields(allowed: Self.members)
        (wabaReference, templateName, language) = try SendRequest.templateFields(body)
        sendAt = try Self.instant(body, "sendAt")
        expiresAt = try Self.instant(body, "expiresAt")
        if let expiresAt, expiresAt <= max(sendAt ?? now, now) {
            throw Problem.invalidField(
                "expiresAt",
                "expiresAt must be later than sendAt and than now; messages not sent by then "
                    + "become EXPIRED."
            )
        }
    }

    /// The accepted range of `sendAt` and `expiresAt`. Dates before 1970 or near the year
    /// 10000 mean a mistake, and responses format instants before 1582 in the Julian calendar
    /// and instants rounded into the year 10000 with five digits, which no client expects.
    private static let earliestInstant = Date(timeIntervalSince1970: 0)
    private static let latestInstant = Date(timeIntervalSince1970: 253_370_764_800)

    /// Reads an RFC 3339 instant with its offset, such as `2026-12-24T09:00:00Z`.
    private static func instant(_ body: JSONObjectReader, _ key: String) throws(Problem) -> Date? {
        guard let text = try body.optionalString(key) else { return nil }
        guard let date = RFC3339.parse(text) else {
            throw Problem.invalidField(
                key,
                "\(key) '\(text)' is not a valid RFC 3339 instant. Send a real date and time "
                    + "with its offset, like 2026-12-24T09:00:00Z or "
                    + "2026-12-24T09:00:00.000-03:00."
            )
        }
        guard (Self.earliestInstant..<Self.latestInstant).contains(date) else {
            throw Problem.invalidField(
                key,
                "\(key) '\(text)' is outside the accepted range. Send an instant from "
                    + "1970-01-01T00:00:00Z up to, not including, 9999-01-01T00:00:00Z."
            )
        }
        return date
    }
}

/// One item of a bulk's `messages`, validated on its own so that a bad item never rejects
/// the others.
struct BulkItem: Sendable {
    var to: PhoneNumber
    var params: TemplateParameters
    var callbackData: String?

    /// Reads item `index`; the thrown ``Problem`` names the field as `messages[index].…`.
    init(_ value: JSONValue, index: Int, structure: TemplateStructure) throws(Problem) {
        let path = "messages[\(index)]"
        let item = try JSONObjectReader(value, path: path)
        try item.rejectUnknownFields(allowed: ["to", "params", "callbackData"])
        let toText = try item.string(
            "to",
            hint: "Give the recipient's number in international format, such as +5511987654321."
        )
        do {
            to = try PhoneNumber(parsing: toText)
        } catch {
            throw Problem.invalidField("\(path).to", error.description)
        }
        params = try SendRequest.parameters(try item.optionalObject("params"))
        callbackData = try item.optionalString("callbackData")
        if let callbackData, callbackData.count > SendRequest.maximumCallbackDataLength {
            throw Problem.invalidField(
                "\(path).callbackData",
                "\(path).callbackData has \(callbackData.count) characters; Infobip accepts at "
                    + "most \(SendRequest.maximumCallbackDataLength)."
            )
        }
        do {
            try params.validate(against: structure)
        } catch {
            throw Problem(
                .parameterMismatch,
                status: 422,
                title: "Parameters do not match the template",
                detail: error.detail,
                field: "\(path).\(error.field)"
            )
        }
    }
}
