import Dispatch
import Foundation
import Synchronization

/// A dedicated thread that owns one ``PostgresConnection`` and runs jobs on it one at a time, in
/// submission order.
///
/// The connection is created on the thread and never leaves it, so libpq's blocking calls never
/// run on Swift's cooperative thread pool.
final class ConnectionThread: Sendable {
    typealias Job = @Sendable (PostgresConnection) -> Void

    private let mailbox = Mailbox()

    /// Starts the thread, which runs `makeConnection` once before the first job.
    init(name: String, makeConnection: @escaping @Sendable () -> PostgresConnection) {
        let mailbox = self.mailbox
        let thread = Thread {
            let connection = makeConnection()
            while let job = mailbox.nextJob() {
                job(connection)
            }
            connection.close()
            mailbox.markStopped()
        }
        thread.name = name
        thread.start()
    }

    /// Runs `work` on the thread and returns its result, suspending the calling task meanwhile.
    ///
    /// - Throws: What `work` throws, or ``PostgresError`` with `.poolClosed` once ``stop()`` or
    ///   ``requestStop()`` was called.
    func run<T: Sendable>(
        _ work: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let isAccepted = mailbox.submit { connection in
                continuation.resume(with: Result { try work(connection) })
            }
            if !isAccepted {
                continuation.resume(throwing: PostgresError.poolClosed(operation: "run"))
            }
        }
    }

    /// Lets queued jobs finish, closes the connection, ends the thread and returns afterwards.
    func stop() async {
        await withCheckedContinuation { continuation in
            mailbox.addStopObserver(continuation)
            mailbox.requestStop()
        }
    }

    /// Like ``stop()`` without waiting, for a pool's `deinit`.
    func requestStop() {
        mailbox.requestStop()
    }
}

/// The job queue shared by a ``ConnectionThread`` and the tasks that submit to it.
private final class Mailbox: Sendable {
    private struct State {
        var jobs: [ConnectionThread.Job] = []
        var isStopping = false
        var isStopped = false
        var stopObservers: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    /// Signalled once per submitted job and once for the stop request, so each wake-up of the
    /// thread matches one queue entry.
    private let wakeup = DispatchSemaphore(value: 0)

    /// Queues `job` and returns true, or returns false when the thread is stopping.
    func submit(_ job: @escaping ConnectionThread.Job) -> Bool {
        let isAccepted = state.withLock { state in
            guard !state.isStopping else { return false }
            state.jobs.append(job)
            return true
        }
        if isAccepted {
            wakeup.signal()
        }
        return isAccepted
    }

    func requestStop() {
        let isFirstRequest = state.withLock { state in
            guard !state.isStopping else { return false }
            state.isStopping = true
            return true
        }
        if isFirstRequest {
            wakeup.signal()
        }
    }

    func addStopObserver(_ observer: CheckedContinuation<Void, Never>) {
        let hasStopped = state.withLock { state in
            if state.isStopped {
                return true
            }
            state.stopObservers.append(observer)
            return false
        }
        if hasStopped {
            observer.resume()
        }
    }

    /// Blocks the dedicated thread until a job is queued, and returns nil once the queue is empty
    /// and a stop was requested.
    func nextJob() -> ConnectionThread.Job? {
        while true {
            wakeup.wait()
            let next: ConnectionThread.Job?? = state.withLock { state in
                // The pool submits one job per connection at a time, so the queue stays short.
                if !state.jobs.isEmpty {
                    return .some(state.jobs.removeFirst())
                }
                return state.isStopping ? .some(nil) : nil
            }
            if let next {
                return next
            }
        }
    }

    func markStopped() {
        let observers = state.withLock { state in
            state.isStopped = true
            let observers = state.stopObservers
            state.stopObservers = []
            return observers
        }
        for observer in observers {
            observer.resume()
        }
    }
}
