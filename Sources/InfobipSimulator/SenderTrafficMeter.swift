import Foundation
import Synchronization

/// Template messages received per sender and their peak rate, for the `senders` member of
/// `GET /simulator/stats`.
///
/// Senders are keyed like behaviours (see ``SenderRegistry/key(_:)``), so `+44 113 496 0000`
/// and `441134960000` count together. Each request adds one arrival per sender with that
/// sender's message count, so memory grows with the number of senders and with one second of
/// requests, not with the length of a run.
final class SenderTrafficMeter: Sendable {
    private struct Traffic {
        var messages = 0
        var window = SlidingWindowPeak()
        var firstAt: Date
        var lastAt: Date
    }

    private let traffic = Mutex<[String: Traffic]>([:])

    /// Records the messages of one request at the current instant.
    ///
    /// The monotonic instant and the wall-clock time are both read under the lock, so
    /// concurrent requests are recorded in instant order, as ``SlidingWindowPeak`` requires.
    ///
    /// - Parameter senders: The `from` of each message in the request.
    func recordRequest(senders: [String]) {
        var counts: [String: Int] = [:]
        for sender in senders {
            counts[SenderRegistry.key(sender), default: 0] += 1
        }
        traffic.withLock { traffic in
            let instant = ContinuousClock.now
            let now = Date()
            for (key, count) in counts {
                var entry = traffic[key] ?? Traffic(firstAt: now, lastAt: now)
                entry.messages += count
                entry.window.record(count, at: instant)
                entry.lastAt = now
                traffic[key] = entry
            }
        }
    }

    /// `{"<sender>": {"messages", "maxPerSecond", "firstAt", "lastAt"}}`, with the times in
    /// Infobip's `+0000` form.
    var json: JSONValue {
        let snapshot = traffic.withLock { $0 }
        return .object(
            snapshot.mapValues { entry in
                [
                    "messages": .integer(entry.messages),
                    "maxPerSecond": .integer(entry.window.peak),
                    "firstAt": .string(InfobipTimestamp.offsetForm(entry.firstAt)),
                    "lastAt": .string(InfobipTimestamp.offsetForm(entry.lastAt)),
                ]
            }
        )
    }
}
