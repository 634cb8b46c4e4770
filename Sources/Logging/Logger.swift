import Foundation

/// A structured logger: a label, a minimum level and metadata over a ``LogHandler``.
///
/// Messages are constant phrases; values go in metadata, so one event always reads the same and
/// can be searched for. Secrets never go in either.
public struct Logger: Sendable {
    /// Name of the subsystem that writes, such as `wabarouter.http`.
    public var label: String

    /// Records below this level are dropped before they reach the handler.
    public var level: Level

    /// Metadata attached to every record this logger writes.
    public var metadata: [String: String]

    private let handler: any LogHandler

    /// Creates a logger.
    ///
    /// - Parameters:
    ///   - label: Name of the subsystem.
    ///   - level: Minimum level written; defaults to ``Level/info``.
    ///   - handler: Where records go; defaults to one JSON object per line on standard error.
    public init(
        label: String,
        level: Level = .info,
        handler: any LogHandler = JSONLineLogHandler.standardError
    ) {
        self.label = label
        self.level = level
        self.metadata = [:]
        self.handler = handler
    }

    /// Returns a copy whose records all carry `key` set to `value`.
    public func with(_ key: String, _ value: String) -> Logger {
        var copy = self
        copy.metadata[key] = value
        return copy
    }

    /// Returns a copy with another label and the same level, metadata and handler.
    public func relabeled(_ label: String) -> Logger {
        var copy = self
        copy.label = label
        return copy
    }

    /// Writes one record when `level` is at or above the logger's level.
    public func log(_ level: Level, _ message: String, _ metadata: [String: String] = [:]) {
        guard level >= self.level else { return }
        let merged = self.metadata.merging(metadata) { _, new in new }
        handler.write(
            LogRecord(
                timestamp: Date(),
                level: level,
                label: label,
                message: message,
                metadata: merged
            )
        )
    }

    public func trace(_ message: String, _ metadata: [String: String] = [:]) {
        log(.trace, message, metadata)
    }

    public func debug(_ message: String, _ metadata: [String: String] = [:]) {
        log(.debug, message, metadata)
    }

    public func info(_ message: String, _ metadata: [String: String] = [:]) {
        log(.info, message, metadata)
    }

    public func warning(_ message: String, _ metadata: [String: String] = [:]) {
        log(.warning, message, metadata)
    }

    public func error(_ message: String, _ metadata: [String: String] = [:]) {
        log(.error, message, metadata)
    }
}

extension Logger {
    /// Severity of a record, from the most verbose to the most severe.
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace
        case debug
        case info
        case warning
        case error

        /// Parses the names used by `LOG_LEVEL`: trace, debug, info, warning, error.
        public init?(name: String) {
            guard let level = Self.allCases.first(where: { $0.description == name.lowercased() })
            else { return nil }
            self = level
        }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }
}
