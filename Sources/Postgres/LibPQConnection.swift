import CLibPQ
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Transaction state of an idle connection, from `PQtransactionStatus`.
enum TransactionStatus: Sendable {
    case idle
    case active
    case inTransaction
    case inFailedTransaction
    case unknown
}

/// Fields of an error or notice message, from `PQresultErrorField`.
struct ServerMessageFields: Sendable {
    /// Severity in English whatever `lc_messages` is: ERROR, FATAL, PANIC, WARNING, NOTICE, ...
    var severity: String?
    var sqlState: String?
    var primaryMessage: String?
    var constraintName: String?
}

/// Outcome of one command, copied out of its `PGresult` so that no libpq memory outlives the call.
struct CommandResult: Sendable {
    enum Status: Sendable {
        case commandOK
        case tuplesOK
        case emptyQuery
        /// The server switched to COPY mode, which this module does not drive.
        case copyNotSupported
        case failed
    }

    var status: Status
    var columnNames: [String] = []
    var rows: [[String?]] = []
    /// Row count from `PQcmdTuples`, or 0 for commands that report none.
    var affectedRowCount = 0
    /// Set when `status` is `.failed`.
    var errorFields: ServerMessageFields?
}

/// Result of ``LibPQConnection/open(parameters:noticeHandler:)``.
enum LibPQOpenResult {
    case opened(LibPQConnection)
    /// libpq's message, which names host and port but never the password.
    case failed(message: String)
}

/// One libpq connection (`PGconn`) and every libpq call this module makes.
///
/// libpq is thread-safe as long as one connection is used by one thread at a time, so an instance
/// stays on the thread that opened it. No pointer leaves this file.
final class LibPQConnection {
    private let handle: OpaquePointer
    private let noticeSink: NoticeSink
    /// Server-side prepared statements of this session, by SQL text.
    private var preparedStatements: [String: String] = [:]

    /// Most statements one session prepares; later ones run unprepared. The application has
    /// far fewer distinct statements, so this only bounds a caller that builds SQL text from
    /// values.
    static let maximumPreparedStatements = 500

    private init(handle: OpaquePointer, noticeSink: NoticeSink) {
        self.handle = handle
        self.noticeSink = noticeSink
        PQsetNoticeReceiver(
            handle,
            receiveNotice,
            Unmanaged.passUnretained(noticeSink).toOpaque()
        )
    }

    deinit {
        PQfinish(handle)
    }

    /// Returns whether libpq can parse `connectionString` as a URL or key=value string.
    ///
    /// Checked before connecting because libpq's parse errors quote parts of the string, which
    /// may contain a password.
    static func isParsableConnectionString(_ connectionString: String) -> Bool {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(connectionString, &errorMessage)
        if let errorMessage {
            PQfreemem(errorMessage)
        }
        guard let options else { return false }
        PQconninfoFree(options)
        return true
    }

    /// Opens a connection with `PQconnectdbParams` and `expand_dbname` set.
    ///
    /// libpq applies `parameters` in order, so a later key overrides an earlier one, including the
    /// keys that a connection string given as `dbname` expands to. Blocks the calling thread until
    /// the connection is up or has failed. `noticeHandler` receives every notice and every error
    /// that arrives outside a command, on the thread that calls into this connection.
    static func open(
        parameters: [(key: String, value: String)],
        noticeHandler: @escaping (ServerMessageFields) -> Void
    ) -> LibPQOpenResult {
        let keys = parameters.map { strdup($0.key) }
        let values = parameters.map { strdup($0.value) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keyPointers = keys.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        let opened = keyPointers.withUnsafeBufferPointer { keyBuffer in
            valuePointers.withUnsafeBufferPointer { valueBuffer in
                PQconnectdbParams(keyBuffer.baseAddress, valueBuffer.baseAddress, 1)
            }
        }
        guard let handle = opened else {
            return .failed(message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = trimmedMessage(PQerrorMessage(handle)) ?? "connection failed"
            PQfinish(handle)
            return .failed(message: message)
        }
        let sink = NoticeSink(handler: noticeHandler)
        return .opened(LibPQConnection(handle: handle, noticeSink: sink))
    }

    /// False once the connection failed or the server announced with a FATAL message that it
    /// is closing the session, such as after `pg_terminate_backend`.
    var isUsable: Bool {
        PQstatus(handle) == CONNECTION_OK && !noticeSink.receivedFatalMessage
    }

    /// Primary message of the latest FATAL or PANIC message that arrived outside a command, such
    /// as `terminating connection due to administrator command`.
    var fatalMessage: String? {
        noticeSink.fatalMessage
    }

    /// libpq's latest connection-level error message, trimmed.
    var errorMessage: String {
        Self.trimmedMessage(PQerrorMessage(handle)) ?? "unknown libpq error"
    }

    /// Process ID of the server backend serving this connection.
    var backendProcessID: Int32 {
        PQbackendPID(handle)
    }

    var transactionStatus: TransactionStatus {
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: .idle
        case PQTRANS_ACTIVE: .active
        case PQTRANS_INTRANS: .inTransaction
        case PQTRANS_INERROR: .inFailedTransaction
        default: .unknown
        }
    }

    /// The socket's file descriptor, or -1 when the connection is closed.
    var socketDescriptor: Int32 {
        PQsocket(handle)
    }

    /// Returns whether the socket has data or a hang-up to read, without blocking.
    func hasReadableInput() -> Bool {
        let socket = socketDescriptor
        guard socket >= 0 else { return true }
        var entry = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    /// Reads what the server sent and parses it, which delivers notices and queues notifications.
    ///
    /// Returns false when reading failed, which closes the connection.
    func readPendingInput() -> Bool {
        guard PQconsumeInput(handle) != 0 else { return false }
        // PQisBusy parses the consumed bytes, so idle-time errors reach the notice receiver now.
        _ = PQisBusy(handle)
        return isUsable
    }

    /// Removes and returns the notifications libpq has queued, oldest first.
    func takeNotifications() -> [PostgresNotification] {
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            let channel = String(cString: notify.pointee.relname)
            let payload = notify.pointee.extra.map { String(cString: $0) } ?? ""
            notifications.append(PostgresNotification(channel: channel, payload: payload))
            PQfreemem(notify)
        }
        return notifications
    }

    /// Runs `sql`, which may hold several statements, with the simple query protocol (`PQexec`).
    func execute(_ sql: String) -> CommandResult {
        copyResult(PQexec(handle, sql))
    }

    /// Runs one statement with the extended query protocol (`PQexecParams`).
    ///
    /// Parameters and results use the text format, and the server infers parameter types. A
    /// `nil` parameter binds SQL NULL.
    ///
    /// The statement is prepared on the server the first time this session runs it, and
    /// executed by name afterwards, which saves the server parsing and planning it again: a
    /// tenth of the database's CPU under bulk traffic. When preparing fails, its error is the
    /// statement's result, as executing would have failed the same way.
    func execute(_ sql: String, parameters: [String?]) -> CommandResult {
        let copies = parameters.map { parameter in parameter.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        let count = Int32(pointers.count)
        var name: String?
        if preparedStatements.count < Self.maximumPreparedStatements
            || preparedStatements[sql] != nil
        {
            switch prepare(sql, parameterCount: count) {
            case .success(let prepared): name = prepared
            case .failure(let failure): return failure.result
            }
        }
        let result = pointers.withUnsafeBufferPointer { buffer in
            if let name {
                return PQexecPrepared(handle, name, count, buffer.baseAddress, nil, nil, 0)
            }
            return PQexecParams(handle, sql, count, nil, buffer.baseAddress, nil, nil, 0)
        }
        return copyResult(result)
    }

    /// A statement the server refused to prepare, with the server's answer.
    private struct PrepareFailure: Error {
        var result: CommandResult
    }

    /// Returns the name `sql` is prepared under, preparing it first when needed.
    private func prepare(_ sql: String, parameterCount: Int32) -> Result<String, PrepareFailure> {
        if let name = preparedStatements[sql] {
            return .success(name)
        }
        let name = "wabarouter_\(preparedStatements.count + 1)"
        let result = copyResult(PQprepare(handle, name, sql, parameterCount, nil))
        guard result.status == .commandOK else {
            return .failure(PrepareFailure(result: result))
        }
        preparedStatements[sql] = name
        return .success(name)
    }

    private func copyResult(_ result: OpaquePointer?) -> CommandResult {
        guard let result else {
            // libpq returns no result when it could not send the command at all.
            let fields = ServerMessageFields(primaryMessage: errorMessage)
            return CommandResult(status: .failed, errorFields: fields)
        }
        defer { PQclear(result) }

        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK:
            return CommandResult(status: .commandOK, affectedRowCount: affectedRowCount(of: result))
        case PGRES_TUPLES_OK:
            return copyTuples(of: result)
        case PGRES_EMPTY_QUERY:
            return CommandResult(status: .emptyQuery)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            return CommandResult(status: .copyNotSupported)
        default:
            var fields = Self.messageFields(of: result)
            if fields.primaryMessage == nil {
                fields.primaryMessage =
                    Self.trimmedMessage(PQresultErrorMessage(result)) ?? errorMessage
            }
            return CommandResult(status: .failed, errorFields: fields)
        }
    }

    private func copyTuples(of result: OpaquePointer) -> CommandResult {
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        let columnNames = (0..<columnCount).map { column in
            PQfname(result, column).map { String(cString: $0) } ?? ""
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
            rows.append(values)
        }
        return CommandResult(
            status: .tuplesOK,
            columnNames: columnNames,
            rows: rows,
            affectedRowCount: affectedRowCount(of: result)
        )
    }

    private func affectedRowCount(of result: OpaquePointer) -> Int {
        guard let text = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    fileprivate static func messageFields(of result: OpaquePointer) -> ServerMessageFields {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue,
                let value = PQresultErrorField(result, Int32(ascii))
            else { return nil }
            return String(cString: value)
        }
        return ServerMessageFields(
            severity: field("V"),  // PG_DIAG_SEVERITY_NONLOCALIZED
            sqlState: field("C"),  // PG_DIAG_SQLSTATE
            primaryMessage: field("M"),  // PG_DIAG_MESSAGE_PRIMARY
            constraintName: field("n")  // PG_DIAG_CONSTRAINT_NAME
        )
    }

    private static func trimmedMessage(_ message: UnsafePointer<CChar>?) -> String? {
        guard let message else { return nil }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

/// Receiver state passed to libpq as the notice receiver's context pointer.
private final class NoticeSink {
    let handler: (ServerMessageFields) -> Void
    var receivedFatalMessage = false
    var fatalMessage: String?

    init(handler: @escaping (ServerMessageFields) -> Void) {
        self.handler = handler
    }
}

/// libpq calls this on the thread that is inside a libpq call on the connection.
private func receiveNotice(context: UnsafeMutableRawPointer?, result: OpaquePointer?) {
    guard let context, let result else { return }
    let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
    let fields = LibPQConnection.messageFields(of: result)
    if fields.severity == "FATAL" || fields.severity == "PANIC" {
        sink.receivedFatalMessage = true
        sink.fatalMessage = fields.primaryMessage
    }
    sink.handler(fields)
}
