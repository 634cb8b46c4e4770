import Synchronization

/// A bounded, oldest-first list of entries behind the inspection endpoints
/// `GET /simulator/requests` and `GET /simulator/reports`.
///
/// The entries sit in a ring buffer, so an append at capacity replaces the oldest entry in
/// constant time instead of shifting every entry.
final class InspectionLog<Entry: Sendable>: Sendable {
    private struct Ring {
        var storage: [Entry] = []
        /// Index of the oldest entry once `storage` is full.
        var oldest = 0
    }

    private let state = Mutex(Ring())
    private let capacity: Int

    /// - Parameter capacity: Entries kept; past it the oldest entry is dropped, so a sandbox that
    ///   runs for days does not grow without bound.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func append(_ entry: Entry) {
        state.withLock { ring in
            if ring.storage.count < capacity {
                ring.storage.append(entry)
            } else {
                ring.storage[ring.oldest] = entry
                ring.oldest = (ring.oldest + 1) % capacity
            }
        }
    }

    /// The entries kept, oldest first.
    var entries: [Entry] {
        state.withLock { ring in
            Array(ring.storage[ring.oldest...] + ring.storage[..<ring.oldest])
        }
    }

    func removeAll() {
        state.withLock { $0 = Ring() }
    }
}
