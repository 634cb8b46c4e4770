import Foundation
public import HTTPServer
public import Logging
import Synchronization

/// A stand-in for Infobip's WhatsApp API: it validates template sends and template creation the
/// way Infobip documents them, responds in Infobip's formats, and posts delivery and seen
/// reports to loopback `notifyUrl`s.
///
/// Infobip endpoints:
/// - `POST /whatsapp/1/message/template`
/// - `POST` and `GET /whatsapp/2/senders/{sender}/templates`
/// - `GET /whatsapp/1/senders/quality?senders=a,b`
///
/// Simulator endpoints, without authentication:
/// - `PUT`, `GET` and `DELETE /simulator/senders/{number}`: a sender's behaviour
///   (see ``SenderBehavior``)
/// - `GET` and `DELETE /simulator/requests` (optional `?path=`): requests to Infobip endpoints,
///   with their bodies unless ``SimulatorConfiguration/logsRequestBodies`` is false
/// - `GET` and `DELETE /simulator/reports`: every report POST attempted, and skipped ones
///   with `attempt` 0
/// - `GET /simulator/stats`: template request, acceptance and duplicate counts, and per sender
///   the messages received and their peak rate in any one-second window
///
/// Any other request gets 404 with Infobip's `NOT_FOUND` body.
public final class InfobipSimulator: Sendable {
    let configuration: SimulatorConfiguration
    let logger: Logger
    let senders: SenderRegistry
    let ledger = MessageLedger()
    let senderTraffic = SenderTrafficMeter()
    let templates: TemplateStore
    let requestLog: InspectionLog<RequestLogEntry>
    let reportLog: InspectionLog<JSONValue>
    let dispatcher: ReportDispatcher
    /// Set by ``shutdown()``; a `hang` in progress ends early once it is set.
    let isShutDown = Atomic<Bool>(false)

    /// Creates a simulator with empty state.
    ///
    /// - Parameters:
    ///   - configuration: API keys, report timing and template status.
    ///   - logger: Receives one line per handled Infobip request and per report problem.
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.senders = SenderRegistry(createdAt: Date())
        self.templates = TemplateStore(status: configuration.templateStatus)
        self.requestLog = InspectionLog(capacity: configuration.inspectionLogCapacity)
        self.reportLog = InspectionLog(capacity: configuration.inspectionLogCapacity)
        self.dispatcher = ReportDispatcher(
            attemptLog: reportLog,
            policy: ReportDispatcher.RetryPolicy(
                retries: max(0, configuration.reportRetries),
                firstBackoff: .milliseconds(max(0, configuration.reportFirstBackoffMilliseconds)),
                requestTimeout: .milliseconds(max(1, configuration.reportTimeoutMilliseconds))
            ),
            logger: logger
        )
    }

    /// Handles one HTTP request and returns its response. This is the handler to give
    /// ``HTTPServer``.
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false)
            .dropFirst()
            .map { String($0).removingPercentEncoding ?? String($0) }
        if segments.first == "simulator" {
            return handleControl(request, segments: Array(segments.dropFirst()))
        }
        // Parsed once here for both the request log and the endpoint.
        let document = request.body.isEmpty ? nil : JSONValue(parsing: request.body)
        let entry = RequestLogEntry(
            request,
            document: document,
            keepsBody: configuration.logsRequestBodies,
            receivedAt: Date()
        )
        requestLog.append(entry)
        return await handleInfobip(request, document: document, segments: segments)
    }

    /// Stops report delivery and ends every `hang` wait early. Reports not yet sent are
    /// dropped.
    public func shutdown() {
        isShutDown.store(true, ordering: .sequentiallyConsistent)
        dispatcher.shutdown()
    }

    /// Routes a request to an Infobip endpoint. `document` is the body parsed as JSON.
    private func handleInfobip(
        _ request: HTTPRequest,
        document: JSONValue?,
        segments: [String]
    ) async -> HTTPResponse {
        let method = request.method.uppercased()
        let route: (@Sendable (String) async -> HTTPResponse)?
        if method == "POST" && segments == ["whatsapp", "1", "message", "template"] {
            route = { _ in await self.sendTemplateMessages(document) }
        } else if Self.matches(segments, ["whatsapp", "2", "senders", "*", "templates"]) {
            switch method {
            case "POST": route = { apiKey in self.createTemplate(request, apiKey: apiKey) }
            case "GET": route = { apiKey in self.listTemplates(apiKey: apiKey) }
            default: route = nil
            }
        } else if method == "GET" && segments == ["whatsapp", "1", "senders", "quality"] {
            route = { _ in self.senderQuality(request) }
        } else {
            route = nil
        }
        guard let route else {
            logger.info("request to unknown endpoint", ["method": method, "path": request.path])
            return .json(404, LegacyErrorBody.notFound)
        }
        guard let apiKey = authenticatedKey(request) else {
            logger.info("request rejected: missing or unknown API key", ["path": request.path])
            return .json(401, LegacyErrorBody.unauthorized)
        }
        return await route(apiKey)
    }

    /// Returns whether `segments` equal `pattern`, where a `*` in `pattern` matches any one
    /// segment.
    static func matches(_ segments: [String], _ pattern: [String]) -> Bool {
        segments.count == pattern.count
            && zip(segments, pattern).allSatisfy { segment, expected in
                expected == "*" || segment == expected
            }
    }

    /// Returns the API key of an `Authorization: App <key>` header when the key is accepted.
    private func authenticatedKey(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"] else { return nil }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        // Authentication schemes are case-insensitive (RFC 9110, section 11.1).
        guard trimmed[..<space].lowercased() == "app" else { return nil }
        let key = trimmed[space...].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return nil }
        if !configuration.apiKeys.isEmpty && !configuration.apiKeys.contains(key) {
            return nil
        }
        return key
    }
}
