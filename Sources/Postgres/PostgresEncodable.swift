public import Foundation

/// A Swift value that can be sent as a bind parameter in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    /// The value as the server's input function for the target type reads it.
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    public var postgresText: String { self }
}

extension Int: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int16: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Double: PostgresEncodable {
    /// Shortest text that reads back as the same value, with infinities and NaN spelled as
    /// `float8in` expects.
    public var postgresText: String {
        if isNaN {
            return "NaN"
        }
        if isInfinite {
            return self < 0 ? "-Infinity" : "Infinity"
        }
        return description
    }
}

extension Bool: PostgresEncodable {
    public var postgresText: String { self ? "true" : "false" }
}

extension UUID: PostgresEncodable {
    /// Lowercase hyphenated form, as the server prints it.
    public var postgresText: String { uuidString.lowercased() }
}
