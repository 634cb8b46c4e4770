import Foundation
import Logging
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends planned reports to their `notifyUrl` as Infobip's webhooks do, and records every
/// attempt in the report log behind `GET /simulator/reports`.
///
/// Reports of one request that are due at the same time for the same URL and of the same
/// payload go in one POST with several `results`. POSTs to one URL leave one at a time in due
/// order, so a receiver gets a message's DELIVERED report before its SEEN report even when a
/// retry intervenes. Only loopback URLs are contacted (see ``LoopbackAddress``).
final class ReportDispatcher: Sendable {
    /// Reports for one URL that leave in one POST.
    struct Batch: Sendable {
        var url: String
        var payload: PlannedReport.Payload
        var results: [JSONValue]

        var body: JSONValue { ["results": .array(results)] }
    }

    /// Retry policy for one POST.
    struct RetryPolicy: Sendable {
        /// Attempts after the first one; a POST is tried at most `retries + 1` times.
        var retries: Int
        /// Wait before the first retry; each later retry waits twice as long as the previous.
        var firstBackoff: Duration
        /// Time allowed for one POST, from connecting to the end of the response.
        var requestTimeout: Duration
    }

    private struct State {
        var lanes: [String: AsyncStream<Batch>.Continuation] = [:]
        var schedules: [Int: Task<Void, Never>] = [:]
        var nextScheduleId = 0
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let attemptLog: InspectionLog<JSONValue>
    private let policy: RetryPolicy
    private let logger: Logger
    private let session: URLSession

    init(attemptLog: InspectionLog<JSONValue>, policy: RetryPolicy, logger: Logger) {
        self.attemptLog = attemptLog
        self.policy = policy
        self.logger = logger
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.requestTimeout.timeInterval
        configuration.timeoutIntervalForResource = policy.requestTimeout.timeInterval
        // An empty proxy dictionary keeps loopback traffic off any configured proxy.
        configuration.connectionProxyDictionary = [:]
        self.session = URLSession(
            configuration: configuration,
            delegate: RedirectRefusal(),
            delegateQueue: nil
        )
    }

    /// Sends `reports`, each `due` after `start`.
    func schedule(_ reports: [PlannedReport], from start: ContinuousClock.Instant) {
        let batches = Self.group(reports)
        guard !batches.isEmpty else { return }
        state.withLock { current in
            guard !current.isShutDown else { return }
            let id = current.nextScheduleId
            current.nextScheduleId += 1
            current.schedules[id] = Task { [self] in
                for (due, batch) in batches {
                    do {
                        try await Task.sleep(until: start + due, clock: .continuous)
                    } catch {
                        break
                    }
                    enqueue(batch)
                }
                _ = state.withLock { $0.schedules.removeValue(forKey: id) }
            }
        }
    }

    /// Stops sending: scheduled reports are dropped and every URL's queue ends after the POST
    /// under way.
    func shutdown() {
        let (schedules, lanes) = state.withLock { state in
            state.isShutDown = true
            let taken = (Array(state.schedules.values), Array(state.lanes.values))
            state.schedules.removeAll()
            state.lanes.removeAll()
            return taken
        }
        schedules.forEach { $0.cancel() }
        lanes.forEach { $0.finish() }
        session.invalidateAndCancel()
    }

    /// Groups reports by due time, URL and payload, keeping request order inside each group
    /// and ordering the groups by due time.
    private static func group(_ reports: [PlannedReport]) -> [(Duration, Batch)] {
        var order: [String] = []
        var groups: [String: (Duration, Batch)] = [:]
        for report in reports {
            let key = "\(report.due.components)|\(report.payload.rawValue)|\(report.url)"
            if groups[key] == nil {
                order.append(key)
                groups[key] = (
                    report.due, Batch(url: report.url, payload: report.payload, results: [])
                )
            }
            groups[key]?.1.results.append(report.result)
        }
        let ordered = order.compactMap { groups[$0] }
        // Groups due at the same time keep request order through the index.
        return ordered.enumerated()
            .sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
            .map(\.element)
    }

    private func enqueue(_ batch: Batch) {
        let continuation: AsyncStream<Batch>.Continuation? = state.withLock { state in
            guard !state.isShutDown else { return nil }
            if let lane = state.lanes[batch.url] {
                return lane
            }
            let (stream, continuation) = AsyncStream<Batch>.makeStream()
            state.lanes[batch.url] = continuation
            Task { [self] in
                for await queued in stream {
                    await deliver(queued)
                }
            }
            return continuation
        }
        continuation?.yield(batch)
    }

    private func deliver(_ batch: Batch) async {
        let body = batch.body
        guard let url = URL(string: batch.url), LoopbackAddress.allows(url) else {
            logger.warning(
                "report skipped: notifyUrl host is not a loopback address",
                ["host": Self.host(of: batch.url), "payload": batch.payload.rawValue]
            )
            record(batch, outcome: ["error": "skipped: notifyUrl host is not loopback"], attempt: 0)
            return
        }
        let attempts = policy.retries + 1
        var backoff = policy.firstBackoff
        for attempt in 1...attempts {
            let metadata = [
                "url": Self.redacted(url), "payload": batch.payload.rawValue,
                "attempt": String(attempt), "results": String(batch.results.count),
            ]
            let failure: String
            do {
                let status = try await post(body, to: url)
                record(batch, outcome: ["status": .integer(status)], attempt: attempt)
                if (200..<300).contains(status) {
                    logger.debug("report delivered", metadata)
                    return
                }
                failure = "HTTP \(status)"
            } catch {
                record(
                    batch,
                    outcome: ["error": .string(String(describing: error))],
                    attempt: attempt
                )
                failure = String(describing: error)
            }
            guard attempt < attempts else {
                logger.error(
                    "report dropped after last attempt",
                    metadata.merging(["error": failure]) { $1 }
                )
                return
            }
            logger.warning("report failed, retrying", metadata.merging(["error": failure]) { $1 })
            do {
                try await Task.sleep(for: backoff)
            } catch {
                return
            }
            backoff *= 2
        }
    }

    private func post(_ body: JSONValue, to url: URL) async throws -> Int {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body.serialized()
        let (_, response) = try await session.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    private func record(_ batch: Batch, outcome: [String: JSONValue], attempt: Int) {
        var entry: [String: JSONValue] = [
            "url": .string(batch.url),
            "body": batch.body,
            "attempt": .integer(attempt),
            "sentAt": .string(InfobipTimestamp.offsetForm(Date())),
        ]
        entry.merge(outcome) { $1 }
        attemptLog.append(.object(entry))
    }

    /// Scheme, host, port and path of `url`, without a query that may carry a token.
    private static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            return "(unparsable)"
        }
        components.query = nil
        components.user = nil
        components.password = nil
        return components.string ?? "(unparsable)"
    }

    private static func host(of text: String) -> String {
        URLComponents(string: text)?.host ?? "(unparsable)"
    }
}

/// Refuses HTTP redirects, so a loopback receiver cannot send a report on to another host.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
