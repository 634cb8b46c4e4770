import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure to create, write or read the temporary file of a ``SpooledBody``.
///
/// The description names the operation, the file and the cause, and is safe to log.
public struct SpooledBodyError: Error, Sendable, CustomStringConvertible {
    /// The file operation that failed.
    public enum Operation: String, Sendable {
        case create
        case write
        case open
        case read
    }

    /// The file operation that failed.
    public var operation: Operation

    /// The temporary file's path, or the file name template when creating it failed.
    public var path: String

    /// The `errno` value of the failed system call, or `nil` when the file ended before
    /// ``SpooledBody/byteCount`` bytes.
    public var errorNumber: Int32?

    /// Creates an error.
    public init(operation: Operation, path: String, errorNumber: Int32?) {
        self.operation = operation
        self.path = path
        self.errorNumber = errorNumber
    }

    public var description: String {
        let cause = errorNumber.map { String(cString: strerror($0)) } ?? "the file ended early"
        return "spooled request body \(operation.rawValue) failed for \(path): \(cause)"
    }

    /// Whether the file system ran out of space or quota.
    var isOutOfSpace: Bool {
        errorNumber == ENOSPC || errorNumber == EDQUOT
    }
}
