import Foundation
public import HTTPServer

/// An RFC 9457 problem document: the body of every error response.
///
/// `type` is stable and machine-readable; `detail` says what is wrong with which value and what
/// to do; `field` is the path of the request field at fault, when one is.
public struct Problem: Error, Sendable, Equatable {
    public var type: ProblemType
    public var status: Int
    public var title: String
    public var detail: String
    public var field: String?
    /// Extra members, such as the languages a template exists in.
    public var extensions: [String: JSONValue]
    /// Header fields the status calls for, such as `Allow` on a 405.
    public var headerFields: [String: String] = [:]

    public init(
        _ type: ProblemType,
        status: Int,
        title: String,
        detail: String,
        field: String? = nil,
        extensions: [String: JSONValue] = [:]
    ) {
        self.type = type
        self.status = status
        self.title = title
        self.detail = detail
        self.field = field
        self.extensions = extensions
    }

    /// The problem as an `application/problem+json` response.
    public func response(instance: String? = nil) -> HTTPResponse {
        var object: [String: JSONValue] = extensions
        object["type"] = .string(type.uri)
        object["title"] = .string(title)
        object["status"] = .number(Double(status))
        object["detail"] = .string(detail)
        if let field {
            object["field"] = .string(field)
        }
        if let instance {
            object["instance"] = .string(instance)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/problem+json")
        for (name, value) in headerFields.sorted(by: { $0.key < $1.key }) {
            headers.add(name: name, value: value)
        }
        return HTTPResponse(
            status: status,
            headers: headers,
            body: JSONValue.object(object).encoded()
        )
    }
}

/// The stable identifier of a kind of problem.
public struct ProblemType: Sendable, Hashable {
    /// The last segment of the type URI, such as `missing-field`.
    public let slug: String

    public var uri: String {
        "urn:wabarouter:problem:\(slug)"
    }

    private init(_ slug: String) {
        self.slug = slug
    }

    public static let malformedJSON = ProblemType("malformed-json")
    public static let malformedRequest = ProblemType("malformed-request")
    public static let missingField = ProblemType("missing-field")
    public static let invalidField = ProblemType("invalid-field")
    public static let unknownField = ProblemType("unknown-field")
    public static let unsupportedMediaType = ProblemType("unsupported-media-type")
    public static let unauthorized = ProblemType("unauthorized")
    public static let notFound = ProblemType("not-found")
    public static let wabaNotFound = ProblemType("waba-not-found")
    public static let methodNotAllowed = ProblemType("method-not-allowed")
    public static let conflict = ProblemType("conflict")
    public static let noActiveSender = ProblemType("no-active-sender")
    public static let templateNotFound = ProblemType("template-not-found")
    public static let templateNotApproved = ProblemType("template-not-approved")
    public static let languageNotAvailable = ProblemType("language-not-available")
    public static let languageRequired = ProblemType("language-required")
    public static let parameterMismatch = ProblemType("parameter-mismatch")
    public static let infobipRejected = ProblemType("infobip-rejected")
    public static let infobipUnavailable = ProblemType("infobip-unavailable")
    public static let databaseUnavailable = ProblemType("database-unavailable")
    public static let internalError = ProblemType("internal-error")
    public static let idempotencyKeyReused = ProblemType("idempotency-key-reused")
    public static let payloadTooLarge = ProblemType("payload-too-large")
    public static let insufficientStorage = ProblemType("insufficient-storage")
    public static let serviceUnavailable = ProblemType("service-unavailable")
}

extension Problem {
    static func missingField(_ field: String, hint: String) -> Problem {
        Problem(
            .missingField,
            status: 400,
            title: "Missing field",
            detail: "\(field) is missing. \(hint)",
            field: field
        )
    }

    static func invalidField(_ field: String, _ detail: String) -> Problem {
        Problem(.invalidField, status: 400, title: "Invalid field", detail: detail, field: field)
    }

    static func notFound(_ what: String, id: String, field: String? = nil) -> Problem {
        Problem(
            .notFound,
            status: 404,
            title: "Not found",
            detail: "No \(what) with id '\(id)' exists for this API key.",
            field: field
        )
    }

    /// The problem document for a request the HTTP server refused before the handler ran.
    static func refusal(_ refusal: HTTPServer.Refusal) -> Problem {
        switch refusal.status {
        case 400:
            Problem(
                .malformedRequest,
                status: 400,
                title: "Malformed request",
                detail: refusal.message + " Fix the request and send it again."
            )
        case 413:
            Problem(
                .payloadTooLarge,
                status: 413,
                title: "Request body too large",
                detail: refusal.message + " Send a smaller body; a bulk carries at most "
                    + "100000 messages."
            )
        case 503:
            Problem(
                .serviceUnavailable,
                status: 503,
                title: "Service unavailable",
                detail: refusal.message
            )
        case 507:
            Problem(
                .insufficientStorage,
                status: 507,
                title: "Insufficient storage",
                detail: refusal.message
            )
        default:
            Problem(
                .internalError,
                status: refusal.status,
                title: "Internal error",
                detail: refusal.message + " Retry later."
            )
        }
    }

    static let internalError = Problem(
        .internalError,
        status: 500,
        title: "Internal error",
        detail: "The request failed because of an internal error. It was logged with the "
            + "request id in the X-Request-Id header; retry later or report that id."
    )
}
