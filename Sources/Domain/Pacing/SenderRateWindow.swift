public import Foundation

/// The recent batches of one sender, which enforce its throughput limit across instances.
///
/// The rule: no more than `rate` messages in any window of `length`. A batch claimed at `now`
/// counts every batch of the last `length` before it; later batches count it in turn, so every
/// window of that length contains at most `rate` messages. Choosing `length` a little above one
/// second absorbs the delay between the claim and the request's arrival at Infobip.
public struct SenderRateWindow: Sendable, Equatable {
    /// One claimed batch: when it was claimed and how many messages it carries.
    public struct Entry: Sendable, Equatable {
        public var at: Date
        public var size: Int

        public init(at: Date, size: Int) {
            self.at = at
            self.size = size
        }
    }

    /// Batches, oldest first.
    public private(set) var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries.sorted { $0.at < $1.at }
    }

    /// Returns how many more messages may go at `now`; never negative.
    public func capacity(at now: Date, rate: Int, length: Duration) -> Int {
        max(0, rate - used(at: now, length: length))
    }

    /// Returns the first instant, `now` or later, at which `count` messages fit.
    ///
    /// - Precondition: `count` is at most `rate`, or no instant would fit.
    public func nextAvailable(
        at now: Date,
        count: Int,
        rate: Int,
        length: Duration
    ) -> Date {
        precondition(count <= rate, "a batch of \(count) cannot fit a rate of \(rate)")
        var used = self.used(at: now, length: length)
        guard used + count > rate else { return now }
        // Entries leave the window one by one, oldest first, `length` after their claim.
        for entry in entries where now.timeIntervalSince(entry.at) < length.seconds {
            used -= entry.size
            if used + count <= rate {
                return entry.at.addingTimeInterval(length.seconds)
            }
        }
        return now
    }

    /// Records a batch of `size` claimed at `now` and drops batches outside the window.
    public mutating func record(size: Int, at now: Date, length: Duration) {
        entries.removeAll { now.timeIntervalSince($0.at) >= length.seconds }
        entries.append(Entry(at: now, size: size))
    }

    private func used(at now: Date, length: Duration) -> Int {
        entries.reduce(0) { total, entry in
            now.timeIntervalSince(entry.at) < length.seconds ? total + entry.size : total
        }
    }
}

extension Duration {
    /// The duration in seconds, as `Date` arithmetic takes it.
    public var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
