public import Foundation

/// Spacing of messages from one sender to one recipient. Meta allows one every 6 seconds, and a
/// burst of up to 45 in 6 seconds that borrows from later quota: after it, the pair must rest as
/// long as those messages would have taken.
///
/// This is the generic cell rate algorithm. Each pair keeps one instant, its theoretical
/// arrival time: when it would be fully rested. A message may go once that instant lies no
/// more than `(burst - 1) × interval` ahead, and each message pushes it `interval` further.
public struct PairPacing: Sendable, Equatable {
    /// Time one message uses up; 6 seconds by Meta's pair rate limit.
    public var interval: Duration
    /// Messages that may go back to back; at least 1.
    public var burst: Int

    public init(interval: Duration = .seconds(6), burst: Int = 45) {
        precondition(burst >= 1, "PairPacing.burst must be at least 1")
        self.interval = interval
        self.burst = burst
    }

    /// Returns when the next message of a pair may go: `now` or later.
    ///
    /// - Parameter theoretical: The pair's stored instant, or nil for a pair with no recent
    ///   message.
    public func earliest(theoretical: Date?, now: Date) -> Date {
        guard let theoretical else { return now }
        let tolerance = interval.seconds * Double(burst - 1)
        return max(now, theoretical.addingTimeInterval(-tolerance))
    }

    /// Returns the pair's new instant after a message sent at `sentAt`.
    public func advanced(theoretical: Date?, sentAt: Date) -> Date {
        max(theoretical ?? sentAt, sentAt).addingTimeInterval(interval.seconds)
    }

    /// Returns the wait before sending again after Meta's pair rate limit rejected a message:
    /// 4^retry seconds, as Meta's error code reference advises, at most `maximum`.
    public static func backoff(afterRejections retry: Int, maximum: Duration = .seconds(1024))
        -> Duration
    {
        let exponent = min(max(retry, 0), 10)
        let seconds = 1 << (2 * exponent)
        return min(.seconds(seconds), maximum)
    }
}
