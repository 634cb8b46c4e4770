/// Settings of one ``InfobipSimulator``.
public struct SimulatorConfiguration: Sendable {
    /// Accepted API keys. When empty, any well-formed `Authorization: App <key>` is accepted.
    public var apiKeys: Set<String>

    /// Default delay in milliseconds before each report of an accepted message, counted from
    /// the previous report (the first from acceptance). A sender's `reportDelayMs` overrides it.
    public var reportDelayMilliseconds: Int

    /// `status` given to every template created through the simulator, such as `APPROVED` or
    /// `PENDING`.
    public var templateStatus: String

    /// Retries of a report POST that failed or got a non-2xx response, after the first attempt.
    public var reportRetries: Int

    /// Wait in milliseconds before the first retry of a report POST; each further retry waits
    /// twice as long as the one before.
    public var reportFirstBackoffMilliseconds: Int

    /// Time in milliseconds allowed for one report POST.
    public var reportTimeoutMilliseconds: Int

    /// Entries kept in each inspection log (requests and report attempts); the oldest go first.
    public var inspectionLogCapacity: Int

    /// Whether `GET /simulator/requests` keeps each request's body. Without bodies an entry
    /// keeps the method, path, query, headers, arrival time, and for a template send the message
    /// count and senders, so a long benchmark keeps its memory flat.
    public var logsRequestBodies: Bool

    /// Template statuses of Infobip's `TemplateApiResponse`.
    public static let templateStatuses = [
        "APPROVED", "IN_APPEAL", "PENDING", "REJECTED", "PENDING_DELETION", "DELETED",
        "REINSTATED", "FLAGGED", "FIRST_PAUSED", "SECOND_PAUSED", "DISABLED",
    ]

    public init(
        apiKeys: Set<String> = [],
        reportDelayMilliseconds: Int = 200,
        templateStatus: String = "APPROVED",
        reportRetries: Int = 3,
        reportFirstBackoffMilliseconds: Int = 250,
        reportTimeoutMilliseconds: Int = 5_000,
        inspectionLogCapacity: Int = 10_000,
        logsRequestBodies: Bool = true
    ) {
        self.apiKeys = apiKeys
        self.reportDelayMilliseconds = reportDelayMilliseconds
        self.templateStatus = templateStatus
        self.reportRetries = reportRetries
        self.reportFirstBackoffMilliseconds = reportFirstBackoffMilliseconds
        self.reportTimeoutMilliseconds = reportTimeoutMilliseconds
        self.inspectionLogCapacity = inspectionLogCapacity
        self.logsRequestBodies = logsRequestBodies
    }
}
