/// A SQL statement and its bind parameters, built from a string literal whose interpolated
/// values become `$1, $2, ...` in order.
///
/// ```swift
/// let query: PostgresQuery = "SELECT * FROM t WHERE id = \(id) AND n = \(name)"
/// // sql: "SELECT * FROM t WHERE id = $1 AND n = $2", binds: [id, name]
/// ```
///
/// Values never become part of the SQL text. An interpolated `Optional` that is nil binds SQL
/// NULL. The literal parts are sent as written, so they must not contain placeholders of their
/// own when values are interpolated. The server infers each parameter's type from its context,
/// so add a cast such as `\(value)::int8` where the context does not fix it.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// SQL text with `$n` placeholders.
    public var sql: String

    /// Bind parameters for `$1, $2, ...`, where nil binds SQL NULL.
    public var binds: [(any PostgresEncodable)?]

    /// Creates a query from SQL text that the caller built. Interpolate values instead wherever
    /// possible.
    public init(unsafeSQL: String, binds: [(any PostgresEncodable)?] = []) {
        self.sql = unsafeSQL
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// The SQL text alone, without bind values, so it is safe to log.
    public var description: String { sql }

    /// Collects literal SQL and turns each interpolated value into the next placeholder.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql: String
        var binds: [(any PostgresEncodable)?]

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql.append(literal)
        }

        /// Binds `value` as the next parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(value)
            sql.append("$\(binds.count)")
        }

        /// Binds `value` as the next parameter, or SQL NULL when it is nil.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value)
            sql.append("$\(binds.count)")
        }
    }
}
