import CMicroHTTPD
import Foundation
public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 server on libmicrohttpd that produces each response with an async handler.
///
/// libmicrohttpd's threads do all socket I/O. When a request is complete, its connection is
/// suspended and the handler runs in a Swift task, so a slow handler holds neither a
/// libmicrohttpd thread nor a thread of the cooperative pool. Call ``stop()`` before
/// releasing a started server, because the daemon keeps running otherwise.
public final class HTTPServer: Sendable {
    private enum Phase {
        case idle
        case running(RunningDaemon)
        case stopped
    }

    private struct State {
        var phase = Phase.idle
        var boundPort: Int?
    }

    /// How long ``stop()`` waits for running handlers before their requests get status 503.
    static let drainTimeout: Duration = .seconds(10)

    private let configuration: Configuration
    private let logger: Logger
    private let handler: @Sendable (HTTPRequest) async -> HTTPResponse
    private let state = Mutex(State())

    /// Creates a server that does not listen until ``start()``.
    ///
    /// - Parameters:
    ///   - configuration: Address, limits and threads.
    ///   - logger: Receives start, stop and libmicrohttpd errors, but no per-request records.
    ///   - handler: Produces the response for every request, including unknown methods. It
    ///     runs in a task of its own per request, so it may await.
    public init(
        configuration: Configuration,
        logger: Logger,
        handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse
    ) {
        self.configuration = configuration
        self.logger = logger
        self.handler = handler
    }

    /// The bound TCP port, which is the port the system picked when the configuration sets
    /// port 0. Before ``start()`` succeeds it is the configured port.
    public var port: Int {
        state.withLock { $0.boundPort } ?? configuration.port
    }

    /// Binds the configured address and starts serving on libmicrohttpd's threads.
    ///
    /// A server starts at most once. To serve again after ``stop()``, create a new server.
    ///
    /// - Throws: ``HTTPServerError`` with code ``HTTPServerError/Code/invalidConfiguration``
    ///   for an invalid configuration, ``HTTPServerError/Code/startFailed`` when the bind
    ///   fails or libmicrohttpd cannot start, and ``HTTPServerError/Code/alreadyStarted``.
    public func start() throws {
        try state.withLock { (state: inout State) throws(HTTPServerError) in
            guard case .idle = state.phase else {
                throw makeError(.alreadyStarted, "the server was already started")
            }
            let daemon = try DaemonLauncher(configuration: configuration, logger: logger)
                .launch(handler: handler)
            state.phase = .running(daemon)
            state.boundPort = daemon.port
        }
        logger.info(
            "HTTP server started",
            [
                "host": configuration.host,
                "port": String(port),
                "threads": String(configuration.threadCount),
            ]
        )
    }

    /// Stops accepting connections, lets running handlers finish, and stops the daemon.
    ///
    /// Handlers get up to 10 seconds. Requests whose handler is still running after that get
    /// status 503, and their handlers' results are dropped. Responses sent while stopping
    /// close their connection. Calling it again, or on a server that never started, does
    /// nothing.
    public func stop() async {
        await stop(drainTimeout: Self.drainTimeout)
    }

    /// Stops the server, waiting up to `drainTimeout` for running handlers.
    func stop(drainTimeout: Duration) async {
        let daemon = state.withLock { state -> RunningDaemon? in
            guard case .running(let daemon) = state.phase else { return nil }
            state.phase = .stopped
            return daemon
        }
        guard let daemon else { return }

        daemon.context.beginStopping()
        logger.info("HTTP server stopping", ["host": configuration.host, "port": String(port)])
        let listenSocket = MHD_quiesce_daemon(daemon.handle.pointer)
        let abandoned = await daemon.context.drain(timeout: drainTimeout)
        if abandoned > 0 {
            logger.warning(
                "HTTP server stopped before all handlers finished",
                ["abandonedRequests": String(abandoned), "port": String(daemon.port)]
            )
        }
        await daemon.stopOnDedicatedThread()
        if listenSocket != MHD_INVALID_SOCKET {
            // After a quiesce the listen socket belongs to the caller.
            close(listenSocket)
        }
        Unmanaged.passUnretained(daemon.context).release()
        logger.info("HTTP server stopped", ["host": configuration.host, "port": String(port)])
    }

    private func makeError(_ code: HTTPServerError.Code, _ detail: String) -> HTTPServerError {
        HTTPServerError(
            code: code,
            operation: "start",
            host: configuration.host,
            port: configuration.port,
            detail: detail
        )
    }
}
