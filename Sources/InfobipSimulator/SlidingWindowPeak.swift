/// The largest number of events that fall in any one-second window, computed as arrivals come.
///
/// The peak is the maximum over arrivals `i` of the events that arrived in `[t_i, t_i + 1 s)`.
/// That equals the maximum over arrivals `j` of the events in `(t_j - 1 s, t_j]`, which needs
/// only the arrivals of the last second: memory stays bounded by one second of traffic however
/// long a run lasts. Two arrivals exactly one second apart never share a window.
struct SlidingWindowPeak: Sendable {
    /// Length of the window.
    static let window: Duration = .seconds(1)

    /// Arrivals of the window that ends at the latest one, from `head` on. Those before `head`
    /// have left the window.
    private var arrivals: [(instant: ContinuousClock.Instant, count: Int)] = []
    private var head = 0
    private var countInWindow = 0

    /// The largest count seen in one window so far.
    private(set) var peak = 0

    /// Records `count` events that arrived at `instant`.
    ///
    /// An instant earlier than the latest one is counted as arriving at the latest one, so
    /// callers should record in instant order.
    mutating func record(_ count: Int, at instant: ContinuousClock.Instant) {
        var instant = instant
        if let latest = arrivals.last?.instant, instant < latest {
            instant = latest
        }
        arrivals.append((instant, count))
        countInWindow += count
        let windowStart = instant - Self.window
        while arrivals[head].instant <= windowStart {
            countInWindow -= arrivals[head].count
            head += 1
        }
        peak = max(peak, countInWindow)
        // Drop departed arrivals once they are the larger part, so appends stay amortised O(1).
        if head >= 64 && head * 2 >= arrivals.count {
            arrivals.removeFirst(head)
            head = 0
        }
    }
}
