/// A failure to start an ``HTTPServer``.
///
/// The description names the address and the cause and is safe to log.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// A configuration value is out of range or the host is not a numeric address.
        case invalidConfiguration
        /// libmicrohttpd could not start, most often because the address is in use.
        case startFailed
        /// ``HTTPServer/start()`` was called on a server that was already started.
        case alreadyStarted
    }

    /// The kind of failure.
    public var code: Code

    /// The operation that failed, such as `start`.
    public var operation: String

    /// The configured listen address.
    public var host: String

    /// The configured port.
    public var port: Int

    /// The cause, such as libmicrohttpd's message for a failed bind.
    public var detail: String

    /// Creates an error.
    public init(code: Code, operation: String, host: String, port: Int, detail: String) {
        self.code = code
        self.operation = operation
        self.host = host
        self.port = port
        self.detail = detail
    }

    public var description: String {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "HTTP server \(operation) failed on \(address) (\(code.rawValue)): \(detail)"
    }
}
