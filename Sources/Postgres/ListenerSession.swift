import Foundation
import Logging
import Synchronization

/// The dedicated thread and connection behind a ``PostgresListener``.
///
/// The thread opens a connection, issues LISTEN for every channel, then waits with `poll` on the
/// connection's socket and yields each notification. After a lost connection it reconnects at
/// once, and after a failed attempt it waits 100 ms, doubling up to 2 s.
final class ListenerSession: Sendable {
    /// Maximum notifications kept for a slow consumer. Beyond it the oldest are dropped and
    /// counted.
    static let maximumBufferedNotifications = 10_000

    private static let firstRetryDelayMilliseconds: Int32 = 100
    private static let maximumRetryDelayMilliseconds: Int32 = 2_000
    private static let fallbackApplicationName = "wabarouter-listener"

    private let connectionString: String
    private let channels: [String]
    private let logger: Logger
    private let continuation: AsyncStream<PostgresNotification>.Continuation
    private let wakeup = WakeupPipe()
    private let isStopRequested = Mutex(false)

    init(
        connectionString: String,
        channels: [String],
        logger: Logger,
        continuation: AsyncStream<PostgresNotification>.Continuation
    ) {
        self.connectionString = connectionString
        self.channels = channels
        self.logger = logger.with("channels", channels.joined(separator: ","))
        self.continuation = continuation
    }

    func start() {
        let thread = Thread { self.run() }
        thread.name = "postgres-listener"
        thread.start()
    }

    /// Asks the thread to end, from any thread. The stream finishes when it has ended.
    func requestStop() {
        isStopRequested.withLock { $0 = true }
        wakeup.wake()
    }

    private var shouldStop: Bool {
        isStopRequested.withLock { $0 }
    }

    private func run() {
        var failedAttempts = 0
        var hasConnected = false
        var dropCounter = DropCounter()
        while !shouldStop {
            switch connectAndListen() {
            case .failure(let error):
                failedAttempts += 1
                let delay = Self.retryDelayMilliseconds(afterFailures: failedAttempts)
                // At the 2 s cap, every 30th attempt is one record a minute during an outage.
                if failedAttempts <= 3 || failedAttempts % 30 == 0 {
                    logger.warning(
                        "listener connection failed",
                        [
                            "error": error.description,
                            "attempt": String(failedAttempts),
                            "retry_in_ms": String(delay),
                        ]
                    )
                }
                _ = wakeup.wait(forReadable: -1, timeoutMilliseconds: delay)
            case .success(let connection):
                logger.info(
                    hasConnected ? "listener reconnected" : "listener connected",
                    [
                        "backend_pid": String(connection.backendProcessID),
                        "failed_attempts": String(failedAttempts),
                    ]
                )
                hasConnected = true
                failedAttempts = 0
                if let reason = receive(on: connection, dropCounter: &dropCounter) {
                    logger.warning("listener connection lost, reconnecting", ["error": reason])
                }
            }
        }
        continuation.finish()
        logger.info("listener stopped")
    }

    private func connectAndListen() -> Result<LibPQConnection, PostgresError> {
        guard LibPQConnection.isParsableConnectionString(connectionString) else {
            return .failure(
                PostgresError(
                    code: .connectionFailed,
                    operation: "connect",
                    message: "the connection string is invalid; libpq could not parse it "
                        + "(its text is left out because it may contain a password)"
                )
            )
        }
        let parameters = ConnectionParameters.make(
            connectionString: connectionString,
            applicationName: nil,
            fallbackApplicationName: Self.fallbackApplicationName
        )
        let noticeLogger = logger
        let opened = LibPQConnection.open(parameters: parameters) { fields in
            noticeLogger.debug(
                "server message",
                [
                    "severity": fields.severity ?? "",
                    "sqlstate": fields.sqlState ?? "",
                    "notice": fields.primaryMessage ?? "",
                ]
            )
        }
        switch opened {
        case .failed(let message):
            return .failure(
                PostgresError(code: .connectionFailed, operation: "connect", message: message)
            )
        case .opened(let connection):
            let sql = channels.map { "LISTEN " + Self.quotedIdentifier($0) }
                .joined(separator: "; ")
            let result = connection.execute(sql)
            guard result.status == .commandOK else {
                return .failure(
                    PostgresError(
                        serverFields: result.errorFields,
                        operation: "listen",
                        connectionLost: !connection.isUsable
                    )
                )
            }
            return .success(connection)
        }
    }

    /// Yields notifications until the connection is lost, returning the reason, or a stop was
    /// requested, returning nil.
    private func receive(on connection: LibPQConnection, dropCounter: inout DropCounter) -> String?
    {
        while true {
            if shouldStop {
                return nil
            }
            let result = wakeup.wait(
                forReadable: connection.socketDescriptor,
                timeoutMilliseconds: -1
            )
            guard result == .readable else { continue }
            let isReadable = connection.readPendingInput()
            for notification in connection.takeNotifications() {
                if case .dropped = continuation.yield(notification) {
                    dropCounter.recordDrop(logger: logger)
                }
            }
            if !isReadable || !connection.isUsable {
                return connection.fatalMessage ?? connection.errorMessage
            }
        }
    }

    private static func retryDelayMilliseconds(afterFailures failures: Int) -> Int32 {
        let doublings = Int32(min(failures - 1, 10))
        return min(maximumRetryDelayMilliseconds, firstRetryDelayMilliseconds << doublings)
    }

    /// Double-quotes a channel name, so it matches `pg_notify(name, ...)` exactly, case included.
    static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Counts notifications dropped because the consumer fell behind, and logs the first drop and
/// every 1000th after it.
private struct DropCounter {
    private var total = 0

    mutating func recordDrop(logger: Logger) {
        total += 1
        if total == 1 || total % 1000 == 0 {
            logger.warning(
                "notifications dropped, consumer too slow",
                [
                    "dropped_total": String(total),
                    "buffer_limit": String(ListenerSession.maximumBufferedNotifications),
                ]
            )
        }
    }
}
