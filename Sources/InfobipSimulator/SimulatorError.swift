/// A failure of the simulator: a bad command-line flag, a server that would not start, or an
/// invalid simulator control request.
///
/// `description` names the operation and the value at fault and is safe to log: it never
/// contains an API key.
public struct SimulatorError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// A command-line flag is unknown, lacks its value or has an invalid value.
        case invalidArgument
        /// The HTTP server could not listen on the requested host and port.
        case serverStartFailed
        /// A simulator control document, such as a sender behaviour, is invalid.
        case invalidDocument
    }

    /// The kind of failure.
    public var code: Code

    /// The operation that failed, such as `parse arguments`.
    public var operation: String

    /// The cause of the failure and the fix.
    public var message: String

    public init(code: Code, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    public var description: String {
        "\(operation) failed (\(code.rawValue)): \(message)"
    }
}
