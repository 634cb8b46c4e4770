import Synchronization

/// A bounded, oldest-first list of JSON entries behind the inspection endpoints
/// `GET /simulator/requests` and `GET /simulator/reports`.
final class InspectionLog: Sendable {
    private let state = Mutex<[JSONValue]>([])
    private let capacity: Int

    /// - Parameter capacity: Entries kept; past it the oldest entry is dropped, so a sandbox that
    ///   runs for days does not grow without bound.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func append(_ entry: JSONValue) {
        state.withLock { entries in
            entries.append(entry)
            if entries.count > capacity {
                entries.removeFirst(entries.count - capacity)
            }
        }
    }

    /// The entries kept, oldest first.
    var entries: [JSONValue] {
        state.withLock { $0 }
    }

    func removeAll() {
        state.withLock { $0.removeAll() }
    }
}
