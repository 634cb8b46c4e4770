import Foundation

/// The simulator's behaviour towards one sender's messages, set with
/// `PUT /simulator/senders/{number}`.
struct SenderBehavior: Sendable, Equatable {
    /// The outcome of a message or of a whole request.
    enum Kind: String, Sendable, CaseIterable {
        /// 200 with `PENDING_ENROUTE`, then the configured reports.
        case accept
        /// 200 with the message's status `REJECTED_SENDER`; no reports.
        case senderFault
        /// 200 with the message's status `REJECTED_DESTINATION`; no reports.
        case recipientFault
        /// 200 with `PENDING_ENROUTE`, then one `UNDELIVERABLE_NOT_DELIVERED` report.
        case undeliverable
        /// The whole request gets 401.
        case unauthorized
        /// The whole request gets 429, with `Retry-After` when `retryAfterSeconds` is set.
        case tooManyRequests
        /// The whole request gets 500.
        case serverError
        /// The whole request waits `hangSeconds`, then this sender's messages are accepted.
        case hang

        /// Whether the behaviour decides the response of the whole request, not of one message.
        var isWholeRequest: Bool {
            switch self {
            case .unauthorized, .tooManyRequests, .serverError, .hang: true
            case .accept, .senderFault, .recipientFault, .undeliverable: false
            }
        }
    }

    /// A report that follows an accepted message.
    enum Report: String, Sendable, CaseIterable {
        /// Delivery report with `DELIVERED_TO_HANDSET`.
        case delivered = "DELIVERED"
        /// Seen report.
        case seen = "SEEN"
        /// Delivery report with `UNDELIVERABLE_NOT_DELIVERED` and error `EC_UNKNOWN_USER`.
        case undeliverable = "UNDELIVERABLE"
        /// Delivery report with `UNDELIVERABLE_NOT_DELIVERED` and error 7017
        /// `EC_TOO_MANY_REQUESTS`, standing in for Meta's pair rate limit (131056).
        case rateLimited = "RATE_LIMITED"
    }

    static let qualityRatings = ["HIGH", "MEDIUM", "LOW", "UNKNOWN"]
    static let senderStatuses = [
        "BANNED", "CONNECTED", "DELETED", "DISCONNECTED", "FLAGGED", "MIGRATED", "PENDING",
        "RATE_LIMITED", "RESTRICTED", "UNKNOWN", "UNVERIFIED",
    ]
    static let messagingLimits = [
        "LIMIT_NA", "LIMIT_250", "LIMIT_2K", "LIMIT_10K", "LIMIT_100K", "UNLIMITED",
    ]
    static let fieldNames = [
        "behavior", "times", "reports", "reportDelayMs", "hangSeconds", "delaySeconds",
        "retryAfterSeconds", "qualityRating", "status", "currentLimit",
    ]

    var kind: Kind = .accept
    /// How many more messages (or requests, for a whole-request kind) get `kind`; nil means
    /// no limit. When it reaches zero the sender falls back to ``Kind/accept``.
    var times: Int?
    var reports: [Report] = [.delivered, .seen]
    /// Delay before each report, after the previous one; nil means the simulator's default.
    var reportDelayMilliseconds: Int?
    var hangSeconds: Double = 30
    /// Seconds a 401, 429 or 500 of a whole-request kind waits before it is sent, so a client
    /// can be caught with a request in flight that Infobip never accepts.
    var delaySeconds: Double = 0
    var retryAfterSeconds: Int?
    var qualityRating = "HIGH"
    var status = "CONNECTED"
    var currentLimit = "LIMIT_100K"
    /// When the document was last set; the quality endpoint returns it as `lastUpdated`.
    var updatedAt: Date

    init(updatedAt: Date) {
        self.updatedAt = updatedAt
    }

    /// Reads a behaviour document. Every member is optional; an unknown member is an error, so
    /// a misspelt name such as `behaviour` does not pass unnoticed.
    init(document: JSONValue, updatedAt: Date) throws(SimulatorError) {
        guard let members = document.objectValue else {
            throw Self.invalid("the body must be a JSON object")
        }
        let unknown = members.keys.filter { !Self.fieldNames.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw Self.invalid(
                "unknown member \(unknown.joined(separator: ", ")); known members are "
                    + Self.fieldNames.joined(separator: ", ")
            )
        }

        self.init(updatedAt: updatedAt)
        if let value = members["behavior"] {
            guard let name = value.stringValue, let kind = Kind(rawValue: name) else {
                throw Self.invalid(
                    "behavior must be one of "
                        + Kind.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            self.kind = kind
        }

        times = try Self.integer(members["times"], name: "times", minimum: 1)
        if let value = members["reports"] {
            reports = try Self.reports(value)
        }
        reportDelayMilliseconds = try Self.integer(
            members["reportDelayMs"],
            name: "reportDelayMs",
            minimum: 0
        )
        if let value = members["hangSeconds"] {
            guard let seconds = value.doubleValue, seconds >= 0, seconds <= 3600 else {
                throw Self.invalid("hangSeconds must be a number from 0 to 3600")
            }
            hangSeconds = seconds
        }
        if let value = members["delaySeconds"] {
            guard let seconds = value.doubleValue, seconds >= 0, seconds <= 3600 else {
                throw Self.invalid("delaySeconds must be a number from 0 to 3600")
            }
            delaySeconds = seconds
        }
        retryAfterSeconds = try Self.integer(
            members["retryAfterSeconds"],
            name: "retryAfterSeconds",
            minimum: 0
        )
        qualityRating =
            try Self.choice(
                members["qualityRating"],
                name: "qualityRating",
                allowed: Self.qualityRatings
            ) ?? qualityRating
        status =
            try Self.choice(members["status"], name: "status", allowed: Self.senderStatuses)
            ?? status
        currentLimit =
            try Self.choice(
                members["currentLimit"],
                name: "currentLimit",
                allowed: Self.messagingLimits
            ) ?? currentLimit
    }

    /// The document as `GET /simulator/senders/{number}` returns it, with the effective
    /// report delay.
    func json(sender: String, defaultReportDelayMilliseconds: Int) -> JSONValue {
        var members: [String: JSONValue] = [
            "sender": .string(sender),
            "behavior": .string(kind.rawValue),
            "reports": .array(reports.map { .string($0.rawValue) }),
            "reportDelayMs": .integer(reportDelayMilliseconds ?? defaultReportDelayMilliseconds),
            "hangSeconds": .number(hangSeconds),
            "delaySeconds": .number(delaySeconds),
            "qualityRating": .string(qualityRating),
            "status": .string(status),
            "currentLimit": .string(currentLimit),
        ]
        if let times {
            members["times"] = .integer(times)
        }
        if let retryAfterSeconds {
            members["retryAfterSeconds"] = .integer(retryAfterSeconds)
        }
        return .object(members)
    }

    private static func invalid(_ message: String) -> SimulatorError {
        SimulatorError(code: .invalidDocument, operation: "set sender behaviour", message: message)
    }

    private static func integer(
        _ value: JSONValue?,
        name: String,
        minimum: Int
    ) throws(SimulatorError) -> Int? {
        guard let value, !value.isNull else { return nil }
        guard let integer = value.intValue, integer >= minimum else {
            throw invalid("\(name) must be an integer of at least \(minimum)")
        }
        return integer
    }

    private static func choice(
        _ value: JSONValue?,
        name: String,
        allowed: [String]
    ) throws(SimulatorError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue, allowed.contains(text) else {
            throw invalid("\(name) must be one of \(allowed.joined(separator: ", "))")
        }
        return text
    }

    private static func reports(_ value: JSONValue) throws(SimulatorError) -> [Report] {
        let allowed = Report.allCases.map(\.rawValue).joined(separator: ", ")
        guard let elements = value.arrayValue else {
            throw invalid("reports must be an array of \(allowed)")
        }
        var reports: [Report] = []
        for element in elements {
            guard let name = element.stringValue, let report = Report(rawValue: name) else {
                throw invalid("reports must contain only \(allowed)")
            }
            reports.append(report)
        }
        return reports
    }
}
