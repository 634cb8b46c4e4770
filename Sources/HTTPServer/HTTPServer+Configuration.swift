import Foundation

extension HTTPServer {
    /// Settings for one ``HTTPServer``.
    public struct Configuration: Sendable {
        /// The numeric IPv4 or IPv6 address to listen on. `0.0.0.0` listens on every IPv4
        /// interface, `127.0.0.1` on loopback only, and an IPv6 address listens on IPv6 only.
        public var host: String

        /// The TCP port to listen on, from 0 to 65535. Port 0 lets the system pick a free port,
        /// which ``HTTPServer/port`` returns after ``HTTPServer/start()``.
        public var port: Int

        /// The maximum request body size in bytes for the default ``bodyPolicy``. Larger bodies
        /// get status 413.
        public var maxBodyBytes: Int

        /// Chooses how each request's body is received, from the method and the percent-decoded
        /// path.
        ///
        /// The server calls it on a libmicrohttpd thread when a request head arrives, so it must
        /// return quickly and must not block. Until it is set, it returns
        /// ``BodyPolicy/buffer(maxBytes:)`` with the current ``maxBodyBytes``.
        public var bodyPolicy: @Sendable (_ method: String, _ path: String) -> BodyPolicy {
            get {
                customBodyPolicy ?? { [maxBodyBytes] _, _ in .buffer(maxBytes: maxBodyBytes) }
            }
            set { customBodyPolicy = newValue }
        }

        private var customBodyPolicy: (@Sendable (_ method: String, _ path: String) -> BodyPolicy)?

        /// The directory for spooled request bodies, the system's temporary directory unless a
        /// test points it elsewhere.
        var spoolDirectory: URL = FileManager.default.temporaryDirectory

        /// How long a connection may stay idle, such as between keep-alive requests, before
        /// the server closes it. It is rounded up to whole seconds, and zero disables the limit.
        public var connectionTimeout: Duration

        /// The number of libmicrohttpd threads that do socket I/O, at least 1.
        public var threadCount: Int

        /// The maximum number of open client connections, at least ``threadCount``.
        ///
        /// Without this option libmicrohttpd stops accepting at `FD_SETSIZE` - 4 connections
        /// (1,020 on Linux) even when it polls with epoll, so a thousand idle clients would
        /// lock everyone else out. Past the limit, new connections wait in the listen backlog
        /// until an open one closes. Each worker thread takes an equal share. When the
        /// process's soft limit on open files is below twice this number plus 256 (a spooled
        /// body uses a second descriptor), ``HTTPServer/start()`` raises it as far as the
        /// hard limit allows. When the hard limit is lower, the server lowers this limit to
        /// fit and logs it at info level.
        public var connectionLimit: Int

        /// Builds the responses the server sends on its own: a body over its limit (413), a
        /// body that could not be spooled (500 or 507) and a request that arrives while the
        /// server stops (503). Plain text by default; an application can return its own error
        /// format. It runs on libmicrohttpd's threads, so it must not block.
        public var refusalResponse: @Sendable (Refusal) -> HTTPResponse

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - host: Numeric address to listen on, by default every IPv4 interface.
        ///   - port: TCP port, by default 8080. Port 0 picks a free port.
        ///   - maxBodyBytes: Maximum request body in bytes, by default 16 MiB.
        ///   - connectionTimeout: Idle limit per connection, by default 30 seconds.
        ///   - threadCount: Number of libmicrohttpd threads, by default 2.
        ///   - connectionLimit: Maximum open client connections, by default 10,000.
        ///   - bodyPolicy: Body policy per method and path. By default every body is buffered
        ///     up to `maxBodyBytes`.
        ///   - refusalResponse: Builds the server's own refusals; plain text by default.
        public init(
            host: String = "0.0.0.0",
            port: Int = 8080,
            maxBodyBytes: Int = 16 << 20,
            connectionTimeout: Duration = .seconds(30),
            threadCount: Int = 2,
            connectionLimit: Int = 10_000,
            bodyPolicy: (@Sendable (_ method: String, _ path: String) -> BodyPolicy)? = nil,
            refusalResponse: @escaping @Sendable (Refusal) -> HTTPResponse = Refusal.plainText
        ) {
            self.refusalResponse = refusalResponse
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.connectionTimeout = connectionTimeout
            self.threadCount = threadCount
            self.connectionLimit = connectionLimit
            self.customBodyPolicy = bodyPolicy
        }
    }
}
