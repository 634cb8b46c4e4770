/// Limits how many libmicrohttpd messages reach the log, so that a burst of failing
/// connections cannot flood it.
///
/// At most ``maxPerWindow`` messages are admitted per ``window``. The first admitted message
/// of a window carries the count suppressed in the windows before it.
struct MessageRateLimiter {
    struct Decision {
        var admitted: Bool
        var suppressedBefore: Int
    }

    var window: Duration = .seconds(60)
    var maxPerWindow = 20
    private var windowStart: ContinuousClock.Instant?
    private var admittedInWindow = 0
    private var suppressed = 0

    mutating func admit(at now: ContinuousClock.Instant) -> Decision {
        if let start = windowStart, now - start < window {
            guard admittedInWindow < maxPerWindow else {
                suppressed += 1
                return Decision(admitted: false, suppressedBefore: 0)
            }
        } else {
            windowStart = now
            admittedInWindow = 0
        }
        admittedInWindow += 1
        let decision = Decision(admitted: true, suppressedBefore: suppressed)
        suppressed = 0
        return decision
    }
}
