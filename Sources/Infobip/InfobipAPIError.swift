public import Foundation

/// Error body of a non-2xx Infobip response.
///
/// Infobip uses two shapes. WhatsApp sends and `/whatsapp/2` template calls use the legacy
/// `{"requestError":{"serviceException":{"messageId","text","validationErrors"}}}`. Newer
/// endpoints use `{"errorCode":"E400","description","action","violations","resources"}`.
/// ``parse(_:status:)`` reads both, and also the legacy `policyException` variant and the
/// `{"error":"..."}` body of the mark-as-read endpoint.
public struct InfobipAPIError: Sendable, Equatable {
    /// The code as Infobip sent it: a legacy `messageId` such as `UNAUTHORIZED`, or an
    /// `errorCode` such as `E401`.
    public var code: String

    /// The code in the `E4xx`/`E5xx` form, whichever shape the body had.
    ///
    /// Legacy codes map as Infobip's Java client maps them: `BAD_REQUEST` E400,
    /// `UNAUTHORIZED` E401, `FORBIDDEN` E403, `NOT_FOUND` E404, `TOO_MANY_REQUESTS` E429 and
    /// `GENERAL_ERROR` E500. Another legacy code becomes `E<status>` when the HTTP status is
    /// known, and stays as it is otherwise.
    public var normalizedCode: String

    /// Human-readable text: the legacy `text` or the newer `description`. Match on the code,
    /// because the text varies: a 401 reads `Unauthorized` or `Invalid login details`.
    public var text: String

    /// Suggested fix from the newer shape's `action`.
    public var action: String?

    /// Rejected fields: field path, such as `content.templateData.header.mediaUrl`, to the
    /// messages about it. Filled from `validationErrors` or from `violations`.
    public var validationErrors: [String: [String]]

    /// Creates an error body.
    public init(
        code: String,
        normalizedCode: String,
        text: String,
        action: String? = nil,
        validationErrors: [String: [String]] = [:]
    ) {
        self.code = code
        self.normalizedCode = normalizedCode
        self.text = text
        self.action = action
        self.validationErrors = validationErrors
    }

    /// Parses an error body, or returns nil when it has neither known shape (an HTML page from
    /// a proxy, an empty body).
    ///
    /// - Parameter status: HTTP status of the response, used for ``normalizedCode`` when the
    ///   legacy code is not one of the six documented ones.
    public static func parse(_ body: Data, status: Int? = nil) -> InfobipAPIError? {
        guard let wire = try? JSONDecoder().decode(ErrorBody.self, from: body) else {
            return nil
        }
        if let exception = wire.requestError?.serviceException
            ?? wire.requestError?.policyException,
            let code = exception.messageId
        {
            return InfobipAPIError(
                code: code,
                normalizedCode: normalize(legacyCode: code, status: status),
                text: exception.text ?? "",
                validationErrors: exception.validationErrors ?? [:]
            )
        }
        if let code = wire.errorCode {
            var validationErrors: [String: [String]] = [:]
            for violation in wire.violations ?? [] {
                let property = violation.property ?? ""
                validationErrors[property, default: []].append(violation.violation ?? "")
            }
            return InfobipAPIError(
                code: code,
                normalizedCode: code,
                text: wire.description ?? "",
                action: wire.action,
                validationErrors: validationErrors
            )
        }
        if let text = wire.error {
            let code = status.map { "E\($0)" } ?? "UNKNOWN"
            return InfobipAPIError(code: code, normalizedCode: code, text: text)
        }
        return nil
    }

    /// Maps a legacy `messageId` to its `E` code.
    static func normalize(legacyCode: String, status: Int?) -> String {
        switch legacyCode {
        case "BAD_REQUEST": return "E400"
        case "UNAUTHORIZED": return "E401"
        case "FORBIDDEN": return "E403"
        case "NOT_FOUND": return "E404"
        case "TOO_MANY_REQUESTS": return "E429"
        case "GENERAL_ERROR": return "E500"
        default: return status.map { "E\($0)" } ?? legacyCode
        }
    }
}

/// Union of both error shapes. Every field is optional, so one decoder reads either.
private struct ErrorBody: Decodable {
    struct RequestError: Decodable {
        var serviceException: ServiceException?
        var policyException: ServiceException?
    }

    struct ServiceException: Decodable {
        var messageId: String?
        var text: String?
        var validationErrors: [String: [String]]?
    }

    struct Violation: Decodable {
        var property: String?
        var violation: String?
    }

    var requestError: RequestError?
    var errorCode: String?
    var description: String?
    var action: String?
    var violations: [Violation]?
    var error: String?
}
