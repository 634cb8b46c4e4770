/// A failure of a PostgreSQL connection, command or value conversion.
///
/// No field contains a bind value or the connection string, so ``description`` is safe to log.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// Category of a ``PostgresError``.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: Sendable, Hashable {
            case connectionFailed
            case queryFailed
            case decodingFailed
            case poolClosed
            case timedOut
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// The connection could not be opened, or it broke while in use.
        public static let connectionFailed = Code(.connectionFailed)
        /// The server rejected a command, for the reason given by ``PostgresError/sqlState``.
        public static let queryFailed = Code(.queryFailed)
        /// A column value could not be converted to the requested Swift type.
        public static let decodingFailed = Code(.decodingFailed)
        /// The pool was shut down.
        public static let poolClosed = Code(.poolClosed)
        /// The server cancelled a statement that ran past `statement_timeout` (SQLSTATE 57014).
        public static let timedOut = Code(.timedOut)

        public var description: String {
            switch kind {
            case .connectionFailed: "connectionFailed"
            case .queryFailed: "queryFailed"
            case .decodingFailed: "decodingFailed"
            case .poolClosed: "poolClosed"
            case .timedOut: "timedOut"
            }
        }
    }

    /// Category of the failure.
    public var code: Code

    /// The step that failed: `connect`, `query`, `execute`, `begin`, `commit`, `decode`, ...
    public var operation: String

    /// The server's five-character SQLSTATE, such as `23505`, or nil for client-side failures.
    public var sqlState: String?

    /// The server's primary message, or libpq's or this module's own message.
    ///
    /// Messages of SQLSTATE class 22 (data exception) quote the rejected input, so their quoted
    /// parts are replaced with `"…"`.
    public var message: String

    /// The violated constraint's name (`PG_DIAG_CONSTRAINT_NAME`), when the server sent one.
    public var constraint: String?

    /// Whether the server rejected a duplicate key (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// Whether the server aborted the transaction to resolve a conflict with another one, a
    /// deadlock (40P01) or a serialization failure (40001), so running it again may succeed.
    public var isRetryableConflict: Bool { sqlState == "40P01" || sqlState == "40001" }

    /// Creates an error from its fields.
    public init(
        code: Code,
        operation: String,
        message: String,
        sqlState: String? = nil,
        constraint: String? = nil
    ) {
        self.code = code
        self.operation = operation
        self.message = message
        self.sqlState = sqlState
        self.constraint = constraint
    }

    /// One line naming the operation, the code, SQLSTATE and constraint when known, and the
    /// message.
    public var description: String {
        var details = [code.description]
        if let sqlState {
            details.append("SQLSTATE \(sqlState)")
        }
        if let constraint {
            details.append("constraint \(constraint)")
        }
        return "postgres \(operation) failed (\(details.joined(separator: ", "))): \(message)"
    }
}

extension PostgresError {
    /// Creates the error for any call on a pool after ``PostgresPool/shutdown()``.
    static func poolClosed(operation: String) -> PostgresError {
        PostgresError(
            code: .poolClosed,
            operation: operation,
            message: "the pool was shut down; create a new PostgresPool"
        )
    }

    /// Creates the error for a value that a ``PostgresDecodable`` type cannot parse.
    static func decoding(_ message: String) -> PostgresError {
        PostgresError(code: .decodingFailed, operation: "decode", message: message)
    }

    /// Maps a failed command's fields to an error.
    ///
    /// `connectionLost` marks failures after which the connection is unusable, which makes the
    /// code `.connectionFailed` whatever the SQLSTATE is.
    init(serverFields fields: ServerMessageFields?, operation: String, connectionLost: Bool) {
        let sqlState = fields?.sqlState
        let code: Code
        if connectionLost {
            code = .connectionFailed
        } else if sqlState == "57014" {
            code = .timedOut
        } else if sqlState?.hasPrefix("08") == true {
            code = .connectionFailed
        } else {
            code = .queryFailed
        }
        var message = fields?.primaryMessage ?? "the server returned an error without a message"
        if sqlState?.hasPrefix("22") == true {
            message = Self.redactingQuotedText(in: message)
        }
        self.init(
            code: code,
            operation: operation,
            message: message,
            sqlState: sqlState,
            constraint: fields?.constraintName
        )
    }

    /// Replaces each double-quoted span with `"…"`.
    ///
    /// NOTE: a heuristic. PostgreSQL 15 quotes the offending input in class 22 messages, such as
    /// `invalid input syntax for type integer: "abc"`, but a message may carry a value unquoted.
    private static func redactingQuotedText(in message: String) -> String {
        var result = ""
        var isInsideQuotes = false
        for character in message {
            if character == "\"" {
                result.append(isInsideQuotes ? "…\"" : "\"")
                isInsideQuotes.toggle()
            } else if !isInsideQuotes {
                result.append(character)
            }
        }
        if isInsideQuotes {
            result.append("…")
        }
        return result
    }
}
