public import Foundation
import Synchronization

/// One log event as handed to a ``LogHandler``.
public struct LogRecord: Sendable {
    public var timestamp: Date
    public var level: Logger.Level
    public var label: String
    public var message: String
    public var metadata: [String: String]

    public init(
        timestamp: Date,
        level: Logger.Level,
        label: String,
        message: String,
        metadata: [String: String]
    ) {
        self.timestamp = timestamp
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
    }

    /// The record as one JSON object with `time`, `level`, `label`, `message` and the metadata.
    ///
    /// Metadata keys that collide with those four fields are prefixed with `meta.`.
    public func jsonLine() -> String {
        var object: [String: String] = [:]
        for (key, value) in metadata {
            let reserved = ["time", "level", "label", "message"].contains(key)
            object[reserved ? "meta.\(key)" : key] = value
        }
        object["time"] = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(timestamp)
        object["level"] = level.description
        object["label"] = label
        object["message"] = message
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}

/// Receives the records a ``Logger`` lets through.
public protocol LogHandler: Sendable {
    func write(_ record: LogRecord)
}

/// Writes each record as one JSON object per line to a file descriptor.
public final class JSONLineLogHandler: LogHandler {
    /// Handler for the process's standard error.
    public static let standardError = JSONLineLogHandler(fileDescriptor: 2)

    private let output: FileHandle
    private let lock = Mutex(())

    public init(fileDescriptor: Int32) {
        self.output = FileHandle(fileDescriptor: fileDescriptor, closeOnDealloc: false)
    }

    public func write(_ record: LogRecord) {
        let line = Data((record.jsonLine() + "\n").utf8)
        // One write per line under a lock, so lines from several threads never interleave.
        lock.withLock { _ in
            output.write(line)
        }
    }
}

/// Keeps records in memory so tests can assert on what was logged.
public final class InMemoryLogHandler: LogHandler {
    private let storage = Mutex<[LogRecord]>([])

    public init() {}

    public func write(_ record: LogRecord) {
        storage.withLock { $0.append(record) }
    }

    /// Every record written so far, oldest first.
    public var records: [LogRecord] {
        storage.withLock { $0 }
    }
}
