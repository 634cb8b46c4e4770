import Foundation
import Synchronization

/// Wakes every task waiting in ``wait(timeout:)`` at once, such as idle dispatch loops when a
/// notification announces work.
final class WakeSignal: Sendable {
    private struct State {
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Waiters resumed before they registered, so they return at once when they do.
        var released: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Returns after ``signal()`` or `timeout`, whichever comes first, or at once when the
    /// task is cancelled.
    func wait(timeout: Duration) async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLock { state in
                        if state.released.remove(id) != nil {
                            return true
                        }
                        state.waiters[id] = continuation
                        return false
                    }
                    if resumeNow {
                        continuation.resume()
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
            }
            await group.next()
            release(id)
            group.cancelAll()
        }
    }

    /// Wakes every current waiter.
    func signal() {
        let waiters = state.withLock { state in
            let waiters = state.waiters
            state.waiters = [:]
            return waiters
        }
        for continuation in waiters.values {
            continuation.resume()
        }
    }

    private func release(_ id: UInt64) {
        let continuation = state.withLock { state in
            guard let continuation = state.waiters.removeValue(forKey: id) else {
                state.released.insert(id)
                return nil as CheckedContinuation<Void, Never>?
            }
            return continuation
        }
        continuation?.resume()
    }
}
