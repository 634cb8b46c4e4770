import Logging

/// One pooled server session, handed to the body of ``PostgresPool/withConnection(_:)`` or
/// ``PostgresPool/withTransaction(_:)``.
///
/// Use it only inside that body. Every call blocks the connection's own thread, on which the body
/// runs, until the server has replied. Each session starts with `TimeZone` set to `UTC`,
/// `DateStyle` to `ISO`, and `statement_timeout`, `idle_in_transaction_session_timeout` and
/// `application_name` taken from the pool's ``PostgresConfiguration``.
public final class PostgresConnection {
    /// Maximum number of bind parameters in one statement, set by the 16-bit count in the
    /// protocol's Bind message.
    static let maximumBindCount = 65_535

    private let configuration: PostgresConfiguration
    private let logger: Logger
    private var libpq: LibPQConnection?
    private var hasBeenOpened = false
    /// Failed open attempts since the last successful one, for rate-limiting their log records.
    private var consecutiveFailures = 0

    init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs one statement with its interpolated values bound as `$1, $2, ...` and returns its
    /// rows, or an empty array for a statement without rows.
    ///
    /// - Throws: ``PostgresError`` with `.queryFailed`, `.timedOut` or `.connectionFailed`.
    public func query(_ query: PostgresQuery) throws -> [PostgresRow] {
        let result = try run(query, operation: "query")
        let layout = ColumnLayout(names: result.columnNames)
        return result.rows.map { PostgresRow(layout: layout, values: $0) }
    }

    /// Runs one statement like ``query(_:)`` and returns the affected row count (`PQcmdTuples`),
    /// which is 0 for commands that report none.
    ///
    /// - Throws: ``PostgresError`` with `.queryFailed`, `.timedOut` or `.connectionFailed`.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try run(query, operation: "execute").affectedRowCount
    }

    /// Runs SQL text that may hold several statements, with the simple query protocol and no
    /// bind parameters, as migration files need.
    ///
    /// Without an explicit `BEGIN`, the server runs all statements in one implicit transaction
    /// and stops at the first failure.
    ///
    /// - Throws: ``PostgresError`` with `.queryFailed`, `.timedOut` or `.connectionFailed`.
    public func execute(unsafeSQL sql: String) throws {
        try runSimple(sql, operation: "execute")
    }

    // MARK: - Pool hooks, called on the connection's thread

    /// Opens the connection, or reopens it when it broke since its last use.
    func prepareForUse() throws {
        if let libpq {
            // A FATAL message or a hang-up from the server may wait unread on an idle socket.
            if libpq.hasReadableInput() {
                _ = libpq.readPendingInput()
                _ = libpq.takeNotifications()
            }
            if libpq.isUsable {
                return
            }
            logger.warning(
                "connection lost, reconnecting",
                ["error": libpq.fatalMessage ?? libpq.errorMessage]
            )
            close()
        }
        try open()
    }

    /// Rolls back a transaction that a body left open, so the next body starts outside one.
    func finishUse() {
        // A broken connection stays until the next prepareForUse, which logs and replaces it.
        guard let libpq, libpq.isUsable else { return }
        switch libpq.transactionStatus {
        case .idle:
            return
        case .inTransaction, .inFailedTransaction:
            logger.warning("transaction left open by the caller, rolling back")
            rollBackQuietly()
        case .active, .unknown:
            logger.warning("connection in an unexpected state, closing it")
            close()
        }
    }

    /// Runs `body` between BEGIN and COMMIT, and rolls back when it throws or COMMIT fails.
    func runTransaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try runSimple("BEGIN", operation: "begin")
        do {
            let value = try body(self)
            try commit()
            return value
        } catch {
            rollBackQuietly()
            throw error
        }
    }

    /// Closes the server session, so that the next ``prepareForUse()`` opens a new one.
    func close() {
        libpq = nil
    }

    // MARK: - Commands

    private func run(_ query: PostgresQuery, operation: String) throws -> CommandResult {
        let connection = try openConnection(for: operation)
        guard query.binds.count <= Self.maximumBindCount else {
            throw PostgresError(
                code: .queryFailed,
                operation: operation,
                message: "\(query.binds.count) bind parameters exceed the maximum of "
                    + "\(Self.maximumBindCount); split the statement"
            )
        }
        try rejectNULCharacters(in: query.sql, what: "the SQL text", operation: operation)
        var parameters: [String?] = []
        parameters.reserveCapacity(query.binds.count)
        for (offset, bind) in query.binds.enumerated() {
            guard let bind else {
                parameters.append(nil)
                continue
            }
            let text = bind.postgresText
            try rejectNULCharacters(
                in: text,
                what: "bind parameter $\(offset + 1)",
                operation: operation
            )
            parameters.append(text)
        }
        return try checked(
            connection.execute(query.sql, parameters: parameters),
            connection: connection,
            operation: operation
        )
    }

    @discardableResult
    private func runSimple(_ sql: String, operation: String) throws -> CommandResult {
        let connection = try openConnection(for: operation)
        try rejectNULCharacters(in: sql, what: "the SQL text", operation: operation)
        return try checked(connection.execute(sql), connection: connection, operation: operation)
    }

    private func openConnection(for operation: String) throws -> LibPQConnection {
        guard let libpq else {
            throw PostgresError(
                code: .connectionFailed,
                operation: operation,
                message: "the connection is closed; use it only inside its withConnection body"
            )
        }
        return libpq
    }

    private func checked(
        _ result: CommandResult,
        connection: LibPQConnection,
        operation: String
    ) throws -> CommandResult {
        switch result.status {
        case .commandOK, .tuplesOK, .emptyQuery:
            return result
        case .copyNotSupported:
            // Leaving COPY mode needs the COPY sub-protocol, so the session is dropped instead.
            close()
            throw PostgresError(
                code: .queryFailed,
                operation: operation,
                message: "COPY FROM STDIN and COPY TO STDOUT are not supported; "
                    + "the connection was closed"
            )
        case .failed:
            throw PostgresError(
                serverFields: result.errorFields,
                operation: operation,
                connectionLost: !connection.isUsable
            )
        }
    }

    /// PostgreSQL text cannot contain U+0000, and libpq would cut the string there.
    private func rejectNULCharacters(in text: String, what: String, operation: String) throws {
        guard text.utf8.contains(0) else { return }
        throw PostgresError(
            code: .queryFailed,
            operation: operation,
            message: "\(what) contains a NUL character (U+0000), which PostgreSQL text cannot hold"
        )
    }

    private func commit() throws {
        if libpq?.transactionStatus == .inFailedTransaction {
            // COMMIT would succeed with the tag ROLLBACK, hiding the earlier failure.
            throw PostgresError(
                code: .queryFailed,
                operation: "commit",
                message: "the transaction was aborted by an earlier failed statement; "
                    + "it was rolled back",
                sqlState: "25P02"
            )
        }
        try runSimple("COMMIT", operation: "commit")
    }

    private func rollBackQuietly() {
        guard let libpq, libpq.isUsable, libpq.transactionStatus != .idle else { return }
        let result = libpq.execute("ROLLBACK")
        if result.status != .commandOK {
            let error = PostgresError(
                serverFields: result.errorFields,
                operation: "rollback",
                connectionLost: !libpq.isUsable
            )
            logger.error("rollback failed, closing the connection", ["error": error.description])
            close()
        }
    }

    // MARK: - Connecting

    private func open() throws {
        let isReconnect = hasBeenOpened
        guard LibPQConnection.isParsableConnectionString(configuration.connectionString) else {
            let error = PostgresError(
                code: .connectionFailed,
                operation: "connect",
                message: "the connection string is invalid; libpq could not parse it "
                    + "(its text is left out because it may contain a password)"
            )
            logFailure(error)
            throw error
        }

        let parameters = ConnectionParameters.make(
            connectionString: configuration.connectionString,
            applicationName: configuration.applicationName,
            fallbackApplicationName: configuration.applicationName
        )
        let noticeLogger = logger
        let opened = LibPQConnection.open(parameters: parameters) { fields in
            Self.logNotice(fields, logger: noticeLogger)
        }
        switch opened {
        case .failed(let message):
            let error = PostgresError(
                code: .connectionFailed,
                operation: "connect",
                message: message
            )
            logFailure(error)
            throw error
        case .opened(let connection):
            do {
                try applySessionSettings(on: connection)
            } catch {
                logFailure(error)
                throw error
            }
            libpq = connection
            hasBeenOpened = true
            logger.info(
                "connection opened",
                [
                    "backend_pid": String(connection.backendProcessID),
                    "reconnect": String(isReconnect),
                    "failed_attempts": String(consecutiveFailures),
                ]
            )
            consecutiveFailures = 0
        }
    }

    /// Logs the first three consecutive failures and every 100th after them, because every
    /// body that needs the connection retries while the server is down.
    private func logFailure(_ error: any Error) {
        consecutiveFailures += 1
        guard consecutiveFailures <= 3 || consecutiveFailures % 100 == 0 else { return }
        logger.error(
            "connection failed",
            [
                "error": String(describing: error),
                "consecutive_failures": String(consecutiveFailures),
            ]
        )
    }

    private func applySessionSettings(on connection: LibPQConnection) throws {
        let statementTimeout = configuration.statementTimeout.timeoutMilliseconds
        let idleTimeout = configuration.idleInTransactionTimeout.timeoutMilliseconds
        // PostgresTimestamp parses timestamptz output in this time zone and DateStyle.
        let sql = """
            SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO'; \
            SET statement_timeout TO \(statementTimeout); \
            SET idle_in_transaction_session_timeout TO \(idleTimeout)
            """
        let result = connection.execute(sql)
        guard result.status == .commandOK else {
            throw PostgresError(
                serverFields: result.errorFields,
                operation: "connect",
                connectionLost: true
            )
        }
    }

    /// Server warnings go to the log at warning level and other notices at debug level, because
    /// statements such as `CREATE TABLE IF NOT EXISTS` send a NOTICE on every run.
    private static func logNotice(_ fields: ServerMessageFields, logger: Logger) {
        let severity = fields.severity ?? "NOTICE"
        let metadata = [
            "severity": severity,
            "sqlstate": fields.sqlState ?? "",
            "notice": fields.primaryMessage ?? "",
        ]
        switch severity {
        case "WARNING", "ERROR", "FATAL", "PANIC":
            logger.warning("server message", metadata)
        default:
            logger.debug("server message", metadata)
        }
    }
}
