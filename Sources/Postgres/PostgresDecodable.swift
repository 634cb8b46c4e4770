public import Foundation

/// A Swift type that can be read from a column value in PostgreSQL's text format.
public protocol PostgresDecodable {
    /// Parses the server's text output for one non-NULL value.
    ///
    /// - Throws: ``PostgresError`` with `.decodingFailed` when `postgresText` is not a valid
    ///   value of the type.
    init(postgresText: String) throws
}

extension String: PostgresDecodable {
    public init(postgresText: String) {
        self = postgresText
    }
}

extension Int: PostgresDecodable {
    public init(postgresText: String) throws {
        self = try parseInteger(postgresText)
    }
}

extension Int64: PostgresDecodable {
    public init(postgresText: String) throws {
        self = try parseInteger(postgresText)
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText: String) throws {
        self = try parseInteger(postgresText)
    }
}

extension Int16: PostgresDecodable {
    public init(postgresText: String) throws {
        self = try parseInteger(postgresText)
    }
}

extension Double: PostgresDecodable {
    /// Reads `float8` and `numeric` output, including `Infinity`, `-Infinity` and `NaN`.
    public init(postgresText: String) throws {
        switch postgresText {
        case "Infinity":
            self = .infinity
        case "-Infinity":
            self = -.infinity
        case "NaN":
            self = .nan
        default:
            guard let value = Double(postgresText) else {
                throw PostgresError.decoding("invalid text for Double")
            }
            self = value
        }
    }
}

extension Bool: PostgresDecodable {
    /// Reads `t` and `f`, as the server prints `boolean`, and also `true` and `false`.
    public init(postgresText: String) throws {
        switch postgresText {
        case "t", "true":
            self = true
        case "f", "false":
            self = false
        default:
            throw PostgresError.decoding("invalid text for Bool; expected t or f")
        }
    }
}

extension UUID: PostgresDecodable {
    public init(postgresText: String) throws {
        guard let value = UUID(uuidString: postgresText) else {
            throw PostgresError.decoding("invalid text for UUID")
        }
        self = value
    }
}

/// Parses base-10 integer text such as `int2`, `int4` and `int8` output.
private func parseInteger<Value: FixedWidthInteger>(_ text: String) throws -> Value {
    guard let value = Value(text, radix: 10) else {
        throw PostgresError.decoding("invalid text for \(Value.self), or out of its range")
    }
    return value
}
