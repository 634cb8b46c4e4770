import Foundation
import Synchronization

/// The behaviour of every sender, keyed by the sender's digits so that `+44 113 496 0000` and
/// `441134960000` are the same sender.
final class SenderRegistry: Sendable {
    private let behaviors = Mutex<[String: SenderBehavior]>([:])
    private let createdAt: Date

    init(createdAt: Date) {
        self.createdAt = createdAt
    }

    /// Returns the registry key of `sender`: its ASCII digits, or for a sender without digits
    /// (an alphanumeric name) the trimmed, lowercased text.
    static func key(_ sender: String) -> String {
        // Byte scan: this runs several times per message on the send path.
        let digits = sender.utf8.filter { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        if digits.isEmpty {
            return sender.trimmingCharacters(in: .whitespaces).lowercased()
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// Returns the stored behaviour of `sender`, or the default one.
    func behavior(of sender: String) -> SenderBehavior {
        behaviors.withLock { $0[Self.key(sender)] } ?? SenderBehavior(updatedAt: createdAt)
    }

    func set(_ behavior: SenderBehavior, for sender: String) {
        behaviors.withLock { $0[Self.key(sender)] = behavior }
    }

    func reset(_ sender: String) {
        _ = behaviors.withLock { $0.removeValue(forKey: Self.key(sender)) }
    }

    /// Finds the first of `senders` whose current behaviour is a whole-request one, uses up one
    /// of its `times`, and returns the behaviour as it was before.
    func takeWholeRequestBehavior(senders: [String]) -> SenderBehavior? {
        behaviors.withLock { behaviors in
            for sender in senders {
                let key = Self.key(sender)
                guard let behavior = behaviors[key], behavior.kind.isWholeRequest else { continue }
                behaviors[key] = Self.consumed(behavior)
                return behavior
            }
            return nil
        }
    }

    /// Returns the behaviour for one message of `sender` and uses up one of its `times` when
    /// it is a per-message fault.
    func takeMessageBehavior(sender: String) -> SenderBehavior {
        behaviors.withLock { behaviors in
            let key = Self.key(sender)
            guard let behavior = behaviors[key] else {
                return SenderBehavior(updatedAt: createdAt)
            }
            if behavior.kind != .accept && !behavior.kind.isWholeRequest {
                behaviors[key] = Self.consumed(behavior)
            }
            return behavior
        }
    }

    /// Returns `behavior` after one use: one fewer `times`, and `accept` once none are left.
    private static func consumed(_ behavior: SenderBehavior) -> SenderBehavior {
        guard let times = behavior.times else { return behavior }
        var next = behavior
        if times <= 1 {
            next.kind = .accept
            next.times = nil
        } else {
            next.times = times - 1
        }
        return next
    }
}
