import CMicroHTTPD
import Foundation
import Logging
import Synchronization

/// The state one libmicrohttpd daemon shares with its callbacks, which run on its threads.
///
/// libmicrohttpd receives an unmanaged, retained reference as the `cls` argument of every
/// callback, and ``HTTPServer`` releases it after `MHD_stop_daemon` returns. The registry of
/// suspended connections makes sure that each suspended connection is resumed exactly once
/// and that no resume call runs after the daemon stops.
final class DaemonContext: Sendable {
    struct State {
        /// Requests between their first access handler call and the completed callback.
        var activeRequests = 0
        /// Suspended requests whose connection has not been resumed yet.
        var suspended: [ObjectIdentifier: RequestContext] = [:]
        /// Access handler calls between registering a request and `MHD_suspend_connection`.
        var suspensionsInProgress = 0
        /// Handler tasks between leaving the registry and returning from `MHD_resume_connection`.
        var resumesInProgress = 0
        /// Cleared during stop, after which requests get 503 instead of being suspended.
        var acceptsSuspensions = true
        /// Set when stop begins, after which every response closes its connection.
        var isStopping = false
        /// Library messages are collected instead of logged until `MHD_start_daemon_va` returns.
        var isStarting = true
        var startupMessages: [String] = []
        var messageLimiter = MessageRateLimiter()
    }

    let handler: @Sendable (HTTPRequest) async -> HTTPResponse
    let bodyPolicy: @Sendable (_ method: String, _ path: String) -> HTTPServer.BodyPolicy
    /// The directory where spooled request bodies are created.
    let spoolDirectory: URL
    let refusalResponse: @Sendable (HTTPServer.Refusal) -> HTTPResponse
    let logger: Logger
    let state = Mutex(State())

    init(
        bodyPolicy: @escaping @Sendable (_ method: String, _ path: String) -> HTTPServer.BodyPolicy,
        spoolDirectory: URL,
        refusalResponse: @escaping @Sendable (HTTPServer.Refusal) -> HTTPResponse,
        logger: Logger,
        handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse
    ) {
        self.bodyPolicy = bodyPolicy
        self.spoolDirectory = spoolDirectory
        self.refusalResponse = refusalResponse
        self.logger = logger
        self.handler = handler
    }

    var isStopping: Bool {
        state.withLock { $0.isStopping }
    }

    func requestStarted() {
        state.withLock { $0.activeRequests += 1 }
    }

    func requestCompleted() {
        state.withLock { $0.activeRequests -= 1 }
    }

    // MARK: Library messages

    /// Collects or logs one libmicrohttpd message, such as a failed bind or accept.
    func recordLibraryMessage(_ message: String) {
        let decision = state.withLock { state -> MessageRateLimiter.Decision? in
            if state.isStarting {
                state.startupMessages.append(message)
                return nil
            }
            return state.messageLimiter.admit(at: .now)
        }
        guard let decision else { return }
        if decision.suppressedBefore > 0 {
            logger.warning(
                "libmicrohttpd messages suppressed",
                ["count": String(decision.suppressedBefore)]
            )
        }
        if decision.admitted {
            logger.warning("libmicrohttpd reported an error", ["detail": message])
        }
    }

    /// Ends the start phase and returns the messages libmicrohttpd wrote during it.
    func finishStarting() -> [String] {
        state.withLock { state in
            state.isStarting = false
            let messages = state.startupMessages
            state.startupMessages = []
            return messages
        }
    }

    // MARK: Suspension registry

    /// Registers `context` before its connection is suspended.
    ///
    /// - Returns: `false` once stop has begun to abandon handlers. The caller must then respond
    ///   to the request without suspending it.
    func beginSuspension(of context: RequestContext) -> Bool {
        state.withLock { state in
            guard state.acceptsSuspensions else { return false }
            state.suspended[ObjectIdentifier(context)] = context
            state.suspensionsInProgress += 1
            return true
        }
    }

    func endSuspension() {
        state.withLock { $0.suspensionsInProgress -= 1 }
    }

    /// Stores the handler's response and resumes the connection, unless stop has already
    /// taken the request over.
    func handlerFinished(_ context: RequestContext, response: HTTPResponse) {
        context.storeResponse(response)
        let ownsResume = state.withLock { state in
            guard state.suspended.removeValue(forKey: ObjectIdentifier(context)) != nil else {
                return false
            }
            state.resumesInProgress += 1
            return true
        }
        guard ownsResume else { return }
        MHD_resume_connection(context.connection.pointer)
        state.withLock { $0.resumesInProgress -= 1 }
    }

    // MARK: Stop

    /// Makes every response from now on close its connection.
    func beginStopping() {
        state.withLock { $0.isStopping = true }
    }

    /// Waits for in-flight requests, then resumes the ones still suspended with a 503 response,
    /// so that `MHD_stop_daemon` may run.
    ///
    /// Call it after ``beginStopping()`` and `MHD_quiesce_daemon`. Cancelling the calling task
    /// ends the wait for handlers early but not the bookkeeping that makes stopping safe.
    ///
    /// - Parameter timeout: How long to wait for running handlers.
    /// - Returns: The number of requests that got 503 because their handler was still
    ///   running.
    func drain(timeout: Duration) async -> Int {
        await waitUntil(deadline: .now + timeout) { $0.activeRequests == 0 }

        // From here on no connection gets suspended, so the registry only shrinks.
        state.withLock { $0.acceptsSuspensions = false }
        await waitUntil(deadline: nil) { $0.suspensionsInProgress == 0 }
        let abandoned = state.withLock { state in
            let contexts = Array(state.suspended.values)
            state.suspended.removeAll()
            return contexts
        }
        for context in abandoned {
            context.storeResponse(stoppingResponse(path: context.path))
            MHD_resume_connection(context.connection.pointer)
        }
        await waitUntil(deadline: nil) { $0.resumesInProgress == 0 }

        if !abandoned.isEmpty {
            // Gives the threads a moment to send the 503 responses before the sockets close.
            await waitUntil(deadline: .now + .seconds(1)) { $0.activeRequests == 0 }
        }
        return abandoned.count
    }

    /// Polls `condition` every 5 ms until it holds, or until `deadline` when there is one.
    ///
    /// Without a deadline the condition must become true within a few library calls, and the
    /// loop yields instead of sleeping when the task is cancelled.
    private func waitUntil(
        deadline: ContinuousClock.Instant?,
        _ condition: (State) -> Bool
    ) async {
        while !state.withLock({ condition($0) }) {
            if let deadline, ContinuousClock.now >= deadline || Task.isCancelled {
                return
            }
            do {
                try await Task.sleep(for: .milliseconds(5))
            } catch {
                await Task.yield()
            }
        }
    }

    /// The response to requests that the server cannot hand to the handler while it stops.
    func stoppingResponse(path: String) -> HTTPResponse {
        refusalResponse(
            HTTPServer.Refusal(
                status: 503,
                message: "The server is shutting down. Retry on another instance.",
                path: path
            )
        )
    }
}
