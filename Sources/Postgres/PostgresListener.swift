public import Logging

/// A dedicated connection that LISTENs to channels and yields their notifications.
///
/// A thread of its own runs the connection and waits with `poll` on its socket, never on Swift's
/// cooperative thread pool. After a lost connection it reconnects, with a backoff of 100 ms
/// doubling up to 2 s between failed attempts, issues LISTEN again and logs the reconnect.
/// Notifications sent while it was disconnected are lost, so a consumer that must not miss work
/// should also poll for it. Without `application_name` in the connection string, the session
/// shows as `wabarouter-listener` in `pg_stat_activity`.
public final class PostgresListener: Sendable {
    private let session: ListenerSession
    private let stream: AsyncStream<PostgresNotification>

    /// Starts listening at once. Notifications that arrive before a consumer iterates
    /// ``notifications()`` are buffered, up to 10,000 of them, after which the oldest are dropped.
    ///
    /// - Parameters:
    ///   - connectionString: A libpq URL or key=value string, which is never logged.
    ///   - channels: At least one channel name, matched exactly and case-sensitively.
    ///   - logger: Receives connects, failures, reconnects and stops.
    /// - Precondition: `channels` is not empty and no name is empty or contains U+0000.
    public init(connectionString: String, channels: [String], logger: Logger) {
        precondition(!channels.isEmpty, "PostgresListener needs at least one channel")
        for channel in channels {
            precondition(
                !channel.isEmpty && !channel.utf8.contains(0),
                "PostgresListener channel names must be non-empty and free of U+0000"
            )
        }
        let (stream, continuation) = AsyncStream.makeStream(
            of: PostgresNotification.self,
            bufferingPolicy: .bufferingNewest(ListenerSession.maximumBufferedNotifications)
        )
        let session = ListenerSession(
            connectionString: connectionString,
            channels: channels,
            logger: logger,
            continuation: continuation
        )
        continuation.onTermination = { [weak session] _ in
            session?.requestStop()
        }
        self.session = session
        self.stream = stream
        session.start()
    }

    deinit {
        session.requestStop()
    }

    /// Returns the stream of notifications in arrival order, for a single consumer.
    ///
    /// The stream finishes after ``stop()`` or when the listener is deallocated. Cancelling the
    /// consuming task also stops the listener.
    public func notifications() -> AsyncStream<PostgresNotification> {
        stream
    }

    /// Stops listening, closes the connection and finishes the stream. Calling it again has no
    /// effect.
    ///
    /// Returns at once. The thread ends as soon as its `poll` wakes, except during a connection
    /// attempt, which libpq runs to its end: at most `connect_timeout`, 10 s unless the
    /// connection string sets it.
    public func stop() {
        session.requestStop()
    }
}
