import Foundation
public import Logging
import Synchronization

/// A fixed-size pool of PostgreSQL connections. Each connection owns one dedicated `Thread` that
/// runs every libpq call, so blocking database work never occupies Swift's cooperative threads.
///
/// Connections open lazily, on the first body that needs them, and reopen when they broke. The
/// logger receives connection opens, failures and reconnects with the `application_name`. No log
/// record contains the connection string or a bind value.
public final class PostgresPool: Sendable {
    private let threads: [ConnectionThread]
    private let state: Mutex<PoolState>
    private let logger: Logger

    /// Creates the pool's threads. No connection opens until a body needs one.
    ///
    /// - Precondition: `configuration.poolSize` is at least 1.
    public init(configuration: PostgresConfiguration, logger: Logger) {
        precondition(configuration.poolSize >= 1, "PostgresConfiguration.poolSize must be >= 1")
        let poolLogger = logger.with("application_name", configuration.applicationName)
        self.logger = poolLogger
        self.threads = (0..<configuration.poolSize).map { index in
            let connectionLogger = poolLogger.with("pool_connection", String(index))
            return ConnectionThread(name: "postgres-\(configuration.applicationName)-\(index)") {
                PostgresConnection(configuration: configuration, logger: connectionLogger)
            }
        }
        // Reversed, so that popLast hands out connection 0 first.
        self.state = Mutex(PoolState(freeIndices: Array((0..<configuration.poolSize).reversed())))
    }

    deinit {
        for thread in threads {
            thread.requestStop()
        }
    }

    /// Runs `body` synchronously on a free connection's own thread and returns its result.
    ///
    /// Suspends, without blocking a thread, while all connections are busy, and serves waiting
    /// callers in arrival order. A connection that broke since its last use is reopened first, and
    /// a transaction that `body` left open is rolled back afterwards.
    ///
    /// NOTE: cancelling the calling task ends a wait for a free connection but does not
    /// interrupt a running body. `statementTimeout` bounds each statement instead.
    ///
    /// - Throws: What `body` throws. ``PostgresError`` with `.connectionFailed` when the
    ///   connection cannot be opened, or with `.poolClosed` after ``shutdown()``.
    ///   `CancellationError` when the task is cancelled while waiting.
    @discardableResult
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let index = try await acquire()
        defer { release(index) }
        return try await threads[index].run { connection in
            try connection.prepareForUse()
            defer { connection.finishUse() }
            return try body(connection)
        }
    }

    /// Runs `body` like ``withConnection(_:)`` between BEGIN and COMMIT.
    ///
    /// When `body` throws, the transaction is rolled back, the connection stays usable and the
    /// error is rethrown. When a statement failed inside `body` but `body` returned anyway, the
    /// transaction is rolled back and the call throws `.queryFailed` with SQLSTATE 25P02.
    ///
    /// When the server aborts the transaction to break a deadlock (SQLSTATE 40P01) or a
    /// serialization failure (40001), `body` runs again in a new transaction, up to
    /// ``transactionAttempts`` times in all, after 5 to 50 ms. The server rolled everything
    /// back, so `body` must only have effects inside the database, which every caller's does.
    @discardableResult
    public func withTransaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await withConnection { connection in
            var attempt = 1
            while true {
                do {
                    return try connection.runTransaction(body)
                } catch let error as PostgresError
                    where error.isRetryableConflict && attempt < Self.transactionAttempts
                {
                    logger.warning(
                        "transaction retried after a conflict",
                        ["sqlstate": error.sqlState ?? "", "attempt": String(attempt)]
                    )
                    attempt += 1
                    Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.05))
                }
            }
        }
    }

    /// Times a transaction runs before a deadlock or serialization failure is rethrown.
    public static let transactionAttempts = 3

    /// Fails waiting callers, lets running bodies finish, then closes every connection.
    ///
    /// Later calls throw ``PostgresError`` with `.poolClosed`.
    public func shutdown() async {
        let waiters = state.withLock { state in
            state.isClosed = true
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError.poolClosed(operation: "acquire"))
        }
        for thread in threads {
            await thread.stop()
        }
        logger.info("pool shut down", ["pool_size": String(threads.count)])
    }

    // MARK: - Free connections

    private func acquire() async throws -> Int {
        let waiterID = state.withLock { state in state.makeWaiterID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                state.withLock { state in
                    if state.isClosed {
                        continuation.resume(
                            throwing: PostgresError.poolClosed(operation: "acquire")
                        )
                    } else if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else if let index = state.freeIndices.popLast() {
                        continuation.resume(returning: index)
                    } else {
                        state.waiters.append(Waiter(id: waiterID, continuation: continuation))
                    }
                }
            }
        } onCancel: {
            // This handler runs before the waiter is queued when the task was cancelled
            // already, and the Task.isCancelled check above covers that order.
            let waiter = state.withLock { state in state.removeWaiter(id: waiterID) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func release(_ index: Int) {
        let waiter = state.withLock { state in
            if state.waiters.isEmpty {
                state.freeIndices.append(index)
                return nil as Waiter?
            }
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: index)
    }
}

/// A task waiting for a free connection.
private struct Waiter {
    var id: UInt64
    var continuation: CheckedContinuation<Int, any Error>
}

/// Free connections and the tasks waiting for one.
private struct PoolState {
    var freeIndices: [Int]
    var waiters: [Waiter] = []
    var nextWaiterID: UInt64 = 0
    var isClosed = false

    mutating func makeWaiterID() -> UInt64 {
        nextWaiterID += 1
        return nextWaiterID
    }

    mutating func removeWaiter(id: UInt64) -> Waiter? {
        guard let position = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: position)
    }
}
