import Foundation
import Synchronization

/// The WABAs with queued messages that one instance's dispatch loops take turns on, each with
/// the instant before which claiming is pointless.
final class WabaScheduler: Sendable {
    private struct State {
        var notBefore: [UUID: Date] = [:]
        var order: [UUID] = []
        var cursor = 0
    }

    private let state = Mutex(State())

    /// Returns the next WABA, round robin, whose instant has come, or nil when none has.
    func next(now: Date) -> UUID? {
        state.withLock { state in
            guard !state.order.isEmpty else { return nil }
            for step in 0..<state.order.count {
                let index = (state.cursor + step) % state.order.count
                let id = state.order[index]
                if let instant = state.notBefore[id], instant <= now {
                    state.cursor = index + 1
                    return id
                }
            }
            return nil
        }
    }

    /// The earliest instant any WABA becomes due, for an idle loop's sleep.
    func earliest() -> Date? {
        state.withLock { $0.notBefore.values.min() }
    }

    /// Makes the WABA due at once, adding it when it is new.
    func markReady(_ id: UUID) {
        set(id, Date.distantPast)
    }

    /// Makes the WABA due at `until`.
    func postpone(_ id: UUID, until: Date) {
        set(id, until)
    }

    /// Replaces the list with what the database holds: each WABA with queued messages and
    /// when its earliest one is due. A WABA postponed further keeps its later instant.
    func replace(with discovered: [(id: UUID, dueAt: Date)]) {
        state.withLock { state in
            var next: [UUID: Date] = [:]
            for (id, dueAt) in discovered {
                let postponed = state.notBefore[id].map { max($0, dueAt) } ?? dueAt
                next[id] = postponed > Date() ? postponed : dueAt
            }
            state.notBefore = next
            state.order = discovered.map(\.id)
            state.cursor = 0
        }
    }

    private func set(_ id: UUID, _ instant: Date) {
        state.withLock { state in
            if state.notBefore[id] == nil {
                state.order.append(id)
            }
            state.notBefore[id] = instant
        }
    }
}
