public import Foundation
public import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// HTTP client for Infobip's WhatsApp API: template and text sends, template management, and
/// sender quality.
///
/// Each call takes the account's credentials, so one client serves every account. Calls
/// return a `Result` and never throw. ``InfobipFailure`` separates a definite server response
/// from an unknown outcome and from a request that was never sent. Request building and response
/// interpretation are static functions that need no network.
///
/// Logging: request start and finish at debug level, every failure at info level, each with
/// the endpoint path, the HTTP status and the message ids (at most
/// ``maxLoggedMessageIds``). The API key and the `Authorization` header are never logged.
public struct InfobipClient: Sendable {
    /// Maximum time for one request, from sending until the whole response is read.
    public let timeout: Duration

    /// Maximum number of message ids written to one log record. The rest are only counted.
    public static let maxLoggedMessageIds = 50

    /// Maximum sender numbers in one `GET /whatsapp/1/senders/quality`, as Infobip's spec
    /// allows.
    public static let maxSendersPerQualityRequest = 100

    private let http: HTTPSession
    private let logger: Logger

    /// Creates a client with its own `URLSession` that keeps no cache or cookies and does not
    /// follow redirects.
    ///
    /// - Parameters:
    ///   - timeout: Maximum time per request, 10 seconds by default.
    ///   - logger: Where request and failure records go.
    public init(timeout: Duration = .seconds(10), logger: Logger) {
        self.timeout = timeout
        self.http = HTTPSession(timeout: timeout)
        self.logger = logger
    }

    /// Sends template messages in one `POST /whatsapp/1/message/template`.
    ///
    /// Success means HTTP 2xx with a documented body, not that every message was accepted:
    /// each returned entry carries its own status (group 1 `PENDING` when accepted, 5
    /// `REJECTED` when refused), and the caller decides per entry. Entries are returned in
    /// Infobip's order, so match them to messages by `messageId`.
    ///
    /// - Parameter bulkId: Our id for the whole request, up to 100 characters, or nil.
    public func sendTemplates(
        _ messages: [TemplateMessage],
        bulkId: String?,
        credentials: InfobipCredentials
    ) async -> Result<[SentMessageInfo], InfobipFailure> {
        let endpoint = InfobipEndpoint.sendTemplates
        var context = logContext(endpoint, messageIds: messages.map(\.messageId))
        if let bulkId {
            context["bulkId"] = bulkId
        }

        let request: URLRequest
        do {
            request = try Self.makeSendRequest(
                messages,
                bulkId: bulkId,
                credentials: credentials,
                timeout: timeout
            )
        } catch {
            return logged(.failure(.notSent(reason: error.description)), context)
        }

        let (outcome, metadata) = await perform(request, context: context)
        let result = outcome.flatMap { response in
            Self.interpretSend(
                status: response.status,
                headers: response.headers,
                body: response.body
            )
        }
        if case .success(let entries) = result {
            logUnaccepted(entries, context: metadata)
        }
        return logged(result, metadata)
    }

    /// Sends one text message with `POST /whatsapp/1/message/text`.
    ///
    /// Infobip delivers text only inside the 24-hour window after the user's last message. The
    /// returned entry's status shows whether Infobip accepted the message.
    public func sendText(
        _ message: TextMessage,
        credentials: InfobipCredentials
    ) async -> Result<SentMessageInfo, InfobipFailure> {
        let context = logContext(.sendText, messageIds: [message.messageId])
        let request: URLRequest
        do {
            request = try Self.makeSendTextRequest(
                message,
                credentials: credentials,
                timeout: timeout
            )
        } catch {
            return logged(.failure(.notSent(reason: error.description)), context)
        }

        let (outcome, metadata) = await perform(request, context: context)
        let result = outcome.flatMap { response in
            Self.interpretSendText(
                status: response.status,
                headers: response.headers,
                body: response.body
            )
        }
        return logged(result, metadata)
    }

    /// Creates a template with `POST /whatsapp/2/senders/{sender}/templates` and returns it as
    /// Infobip stored it (HTTP 201).
    ///
    /// - Parameters:
    ///   - sender: A sender number of the WhatsApp Business Account that will own the
    ///     template. It is percent-encoded into the path.
    ///   - body: A `TemplatePublicApiRequest` JSON object (`name`, `language`, `category`,
    ///     `structure`), sent unchanged. A body that is not a JSON object is not sent.
    public func createTemplate(
        sender: String,
        body: Data,
        credentials: InfobipCredentials
    ) async -> Result<InfobipTemplate, InfobipFailure> {
        let endpoint = InfobipEndpoint.createTemplate(sender: sender)
        let context = logContext(endpoint, sender: sender)
        let isObject = (try? JSONDecoder().decode(JSONValue.self, from: body))?.isObject ?? false
        guard isObject else {
            let reason = "the template body is not a JSON object"
            return logged(.failure(.notSent(reason: reason)), context)
        }

        let request = Self.makeRequest(
            endpoint,
            body: body,
            credentials: credentials,
            timeout: timeout
        )
        let (outcome, metadata) = await perform(request, context: context)
        let result = outcome.flatMap { response in
            Self.interpretCreateTemplate(
                status: response.status,
                headers: response.headers,
                body: response.body
            )
        }
        return logged(result, metadata)
    }

    /// Lists every template of the sender's WhatsApp Business Account with
    /// `GET /whatsapp/2/senders/{sender}/templates`. Infobip does not page this list.
    public func listTemplates(
        sender: String,
        credentials: InfobipCredentials
    ) async -> Result<[InfobipTemplate], InfobipFailure> {
        let endpoint = InfobipEndpoint.listTemplates(sender: sender)
        let context = logContext(endpoint, sender: sender)
        let request = Self.makeRequest(
            endpoint,
            body: nil,
            credentials: credentials,
            timeout: timeout
        )
        let (outcome, metadata) = await perform(request, context: context)
        let result = outcome.flatMap { response in
            Self.interpretListTemplates(
                status: response.status,
                headers: response.headers,
                body: response.body
            )
        }
        return logged(result, metadata)
    }

    /// Reads one page of the account-wide template search, `GET /whatsapp/1/templates`.
    ///
    /// - Parameters:
    ///   - page: Zero-based page number.
    ///   - size: Templates per page, which Infobip accepts from 1 to 100.
    public func searchTemplates(
        page: Int,
        size: Int,
        credentials: InfobipCredentials
    ) async -> Result<InfobipTemplatePage, InfobipFailure> {
        let endpoint = InfobipEndpoint.searchTemplates(page: page, size: size)
        let context = logContext(endpoint)
        let request = Self.makeRequest(
            endpoint,
            body: nil,
            credentials: credentials,
            timeout: timeout
        )
        let (outcome, metadata) = await perform(request, context: context)
        let result = outcome.flatMap { response in
            Self.interpretTemplatePage(
                status: response.status,
                headers: response.headers,
                body: response.body
            )
        }
        return logged(result, metadata)
    }

    /// Reads the quality, status and messaging limit of `senders` with
    /// `GET /whatsapp/1/senders/quality`, in calls of at most ``maxSendersPerQualityRequest``
    /// numbers each, and returns the results of all calls in order.
    ///
    /// The calls run one after another, and the first failure is returned without the results
    /// gathered before it. An empty list returns no results and sends nothing. Infobip returns
    /// only senders of the account, so the result can be shorter than `senders`.
    ///
    /// NOTE: Infobip's spec limits this endpoint to 10 requests per second. The calls are not
    /// paced, so a list of more than 1,000 senders can run into that limit.
    ///
    /// - Parameter senders: Sender numbers, such as `441134960000`. A number that is empty or
    ///   contains a comma is not sent, because the numbers travel as one comma-separated list.
    public func senderQuality(
        _ senders: [String],
        credentials: InfobipCredentials
    ) async -> Result<[SenderQuality], InfobipFailure> {
        if let index = senders.firstIndex(where: { $0.isEmpty || $0.contains(",") }) {
            let context = logContext(.senderQuality(senders: []))
            let reason = "sender number at index \(index) is empty or contains a comma"
            return logged(.failure(.notSent(reason: reason)), context)
        }

        var results: [SenderQuality] = []
        var start = senders.startIndex
        while start < senders.endIndex {
            let end = min(start + Self.maxSendersPerQualityRequest, senders.endIndex)
            let chunk = Array(senders[start..<end])
            switch await senderQualityCall(chunk, credentials: credentials) {
            case .success(let chunkResults):
                results += chunkResults
            case .failure(let failure):
                return .failure(failure)
            }
            start = end
        }
        return .success(results)
    }

    private func senderQualityCall(
        _ senders: [String],
        credentials: InfobipCredentials
    ) async -> Result<[SenderQuality], InfobipFailure> {
        let endpoint = InfobipEndpoint.senderQuality(senders: senders)
        var context = logContext(endpoint)
        context["senderCount"] = String(senders.count)
        let request = Self.makeRequest(
            endpoint,
            body: nil,
            credentials: credentials,
            timeout: timeout
        )
        let (outcome, metadata) = await perform(request, context: context)
        let result = outcome.flatMap { response in
            Self.interpretSenderQuality(
                status: response.status,
                headers: response.headers,
                body: response.body
            )
        }
        return logged(result, metadata)
    }

    // MARK: - Transport

    private struct HTTPResponse {
        var status: Int
        var headers: [String: String]
        var body: Data
    }

    /// Sends a request and returns the response, with the log context extended by the status
    /// and duration, or by the transport error.
    private func perform(
        _ request: URLRequest,
        context: [String: String]
    ) async -> (Result<HTTPResponse, InfobipFailure>, [String: String]) {
        logger.debug("Infobip request started", context)
        let clock = ContinuousClock()
        let start = clock.now

        let data: Data
        let response: URLResponse
        do {
            guard let answer = try await dataWithDeadline(for: request) else {
                var metadata = context
                metadata["error"] = "no answer within the timeout"
                return (.failure(.timedOut), metadata)
            }
            (data, response) = answer
        } catch {
            var metadata = context
            metadata["error"] = String(describing: error)
            if let urlError = error as? URLError {
                metadata["urlErrorCode"] = String(urlError.code.rawValue)
            }
            return (.failure(.fromTransportError(error)), metadata)
        }

        guard let httpResponse = response as? HTTPURLResponse else {
            let reason = "the response is not an HTTP response"
            return (.failure(.invalidResponse(reason: reason)), context)
        }
        var headers: [String: String] = [:]
        for (name, value) in httpResponse.allHeaderFields {
            headers[String(describing: name)] = String(describing: value)
        }

        var metadata = context
        metadata["status"] = String(httpResponse.statusCode)
        let elapsed = clock.now - start
        let milliseconds = elapsed.components.attoseconds / 1_000_000_000_000_000
        metadata["durationMs"] = String(elapsed.components.seconds * 1000 + milliseconds)
        logger.debug("Infobip request finished", metadata)
        let result = HTTPResponse(status: httpResponse.statusCode, headers: headers, body: data)
        return (.success(result), metadata)
    }

    /// Runs the request and returns `nil` when ``timeout`` passes first.
    ///
    /// URLSession's own timeouts are set too, but on Linux they were seen to fire late when
    /// both cores were busy, and a late timeout turns an unknown outcome into a send that
    /// looks prompt. This deadline is kept by a Dispatch timer that cancels the request.
    ///
    /// NOTE: with swift-corelibs-foundation 6.3 on Linux, URLSession keeps a core busy while it
    /// waits for a response: a request answered after 3 s used 2.3 to 3.0 CPU seconds, with
    /// or without a body. Infobip normally answers in milliseconds, but a slow Infobip costs
    /// CPU for every request in flight.
    ///
    /// The request deliberately ignores the cancellation of the calling task. Cancelling a
    /// URLSession task from a Swift cancellation handler was seen to deadlock
    /// swift-corelibs-foundation: the handler holds the task's status lock while
    /// `URLSessionTask.cancel` waits for the session's queue, whose thread waits for that lock
    /// to resume the request's continuation. The timer cancels from a plain Dispatch thread.
    private func dataWithDeadline(for request: URLRequest) async throws -> (Data, URLResponse)? {
        let session = http.session
        let timeout = self.timeout
        let completion = DeadlineCompletion()
        return try await withCheckedThrowingContinuation { continuation in
            completion.install(continuation)
            let task = session.dataTask(with: request) { data, response, error in
                if let error {
                    completion.finish(.failure(error))
                } else if let response {
                    completion.finish(.success((data ?? Data(), response)))
                } else {
                    completion.finish(.failure(URLError(.badServerResponse)))
                }
            }
            task.resume()
            let deadline = DispatchTime.now() + timeout.timeInterval
            // The timer references the task weakly: a strong reference kept every finished task, with
            // its request body, alive until its deadline, which grew the resident set by tens of
            // MiB while a bulk was sent. The session keeps a task until it completes.
            DispatchQueue.global().asyncAfter(deadline: deadline) { [weak task] in
                if completion.finish(.success(nil)) {
                    task?.cancel()
                }
            }
        }
    }

    // MARK: - Logging

    private func logContext(
        _ endpoint: InfobipEndpoint,
        messageIds: [String] = [],
        sender: String? = nil
    ) -> [String: String] {
        var context = ["method": endpoint.method, "path": endpoint.path]
        if !messageIds.isEmpty {
            let logged = messageIds.prefix(Self.maxLoggedMessageIds)
            context["messageIds"] = logged.joined(separator: ",")
            context["messageCount"] = String(messageIds.count)
        }
        if let sender {
            context["sender"] = sender
        }
        return context
    }

    /// Logs a failed result at info level and returns the result unchanged.
    private func logged<T>(
        _ result: Result<T, InfobipFailure>,
        _ context: [String: String]
    ) -> Result<T, InfobipFailure> {
        if case .failure(let failure) = result {
            var metadata = context
            metadata["failure"] = failure.code
            metadata["reason"] = failure.description
            if case .http(let status, let error, _) = failure {
                metadata["status"] = String(status)
                if let error {
                    metadata["errorCode"] = error.code
                }
            }
            logger.info("Infobip request failed", metadata)
        }
        return result
    }

    /// Logs the entries of a 200 response that Infobip did not accept (any group but 1
    /// `PENDING`) at info level.
    private func logUnaccepted(_ entries: [SentMessageInfo], context: [String: String]) {
        let unaccepted = entries.filter { $0.status.groupId != 1 }
        guard !unaccepted.isEmpty else { return }
        var metadata = context
        let logged = unaccepted.prefix(Self.maxLoggedMessageIds)
        metadata["messageIds"] = logged.map(\.messageId).joined(separator: ",")
        metadata["statuses"] = logged.map(\.status.name).joined(separator: ",")
        metadata["messageCount"] = String(unaccepted.count)
        logger.info("Infobip did not accept some messages", metadata)
    }
}

/// Resumes a request's continuation exactly once: with the answer, or with nil when the
/// deadline came first.
private final class DeadlineCompletion: @unchecked Sendable {
    // The lock guards `continuation`; URLResponse is immutable once received and crosses from
    // URLSession's queue to the awaiting task only once.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<(Data, URLResponse)?, any Error>?
    private var isFinished = false

    func install(_ continuation: CheckedContinuation<(Data, URLResponse)?, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    /// Returns whether this call resumed the continuation; later calls do nothing.
    @discardableResult
    func finish(_ result: Result<(Data, URLResponse)?, any Error>) -> Bool {
        let continuation: CheckedContinuation<(Data, URLResponse)?, any Error>? = lock.withLock {
            guard !isFinished else { return nil }
            isFinished = true
            defer { self.continuation = nil }
            return self.continuation
        }
        guard let continuation else { return false }
        continuation.resume(with: result)
        return true
    }
}
