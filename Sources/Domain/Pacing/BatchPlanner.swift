public import Foundation

/// Decides, for the messages of one claim, which reserved sender carries each one and which
/// must wait. Pure, so the rules are testable without a database.
///
/// Rules, in order:
/// - A message pinned to a sender goes only through that sender.
/// - Otherwise it goes through the first sender, in the order given (best quality, then least
///   recently used), that has capacity left, accepts new messages and did not fail it before.
/// - A sender-recipient pair that needs rest makes the message wait for that sender, pinned to
///   it: another sender is not tried instead, since rotating senders to dodge Meta's pair rate
///   limit is what Meta penalises.
public enum BatchPlanner {
    /// A sender reserved for this claim.
    public struct SenderSlot: Sendable, Equatable {
        public var id: UUID
        /// Messages it may still take in this claim.
        public var capacity: Int
        /// When it has room again, for messages that find it full.
        public var nextFreeAt: Date
        /// False for a PAUSED sender, which only repeats attempts it already made.
        public var acceptsNewMessages: Bool

        public init(id: UUID, capacity: Int, nextFreeAt: Date, acceptsNewMessages: Bool) {
            self.id = id
            self.capacity = capacity
            self.nextFreeAt = nextFreeAt
            self.acceptsNewMessages = acceptsNewMessages
        }
    }

    /// A ready message.
    public struct Candidate: Sendable, Equatable {
        public var recipient: String
        public var pinnedSenderID: UUID?
        /// Senders that failed this message before.
        public var excludedSenderIDs: Set<UUID>

        public init(recipient: String, pinnedSenderID: UUID?, excludedSenderIDs: Set<UUID>) {
            self.recipient = recipient
            self.pinnedSenderID = pinnedSenderID
            self.excludedSenderIDs = excludedSenderIDs
        }
    }

    /// The reason a message waits.
    public enum Wait: Sendable, Equatable {
        /// Its sender, or every sender it may use, is at its throughput limit.
        case senderCapacity
        /// Its sender sent to this recipient too recently.
        case pairPacing
        /// None of the reserved senders may carry it; other instances hold the rest.
        case noReservedSender
    }

    public enum Decision: Sendable, Equatable {
        case send(senderID: UUID)
        /// Wait until the instant, pinned to `pinnedSenderID` when it is set.
        case wait(until: Date, pinnedSenderID: UUID?, reason: Wait)
    }

    /// One pair's key in ``plan(_:senders:pairs:pacing:now:)``.
    public struct Pair: Hashable, Sendable {
        public var senderID: UUID
        public var recipient: String

        public init(senderID: UUID, recipient: String) {
            self.senderID = senderID
            self.recipient = recipient
        }
    }

    /// Returns one decision per candidate, in order, and the pairs' new theoretical instants
    /// for the messages that go.
    ///
    /// - Parameters:
    ///   - pairs: Stored theoretical instants of the pairs involved; a missing pair is rested.
    ///   - retryDelay: How long a message waits when no reserved sender may carry it.
    public static func plan(
        _ candidates: [Candidate],
        senders: [SenderSlot],
        pairs: [Pair: Date],
        pacing: PairPacing,
        now: Date,
        retryDelay: Duration = .milliseconds(200)
    ) -> (decisions: [Decision], pairs: [Pair: Date]) {
        var slots = senders
        var instants = pairs
        var updated: [Pair: Date] = [:]
        var decisions: [Decision] = []
        decisions.reserveCapacity(candidates.count)

        for candidate in candidates {
            guard let index = slotIndex(for: candidate, in: slots) else {
                decisions.append(waitWithoutSlot(candidate, slots: slots, now: now, retryDelay))
                continue
            }
            let slot = slots[index]
            let pair = Pair(senderID: slot.id, recipient: candidate.recipient)
            let earliest = pacing.earliest(theoretical: instants[pair], now: now)
            if earliest > now {
                decisions.append(
                    .wait(until: earliest, pinnedSenderID: slot.id, reason: .pairPacing)
                )
                continue
            }
            let next = pacing.advanced(theoretical: instants[pair], sentAt: now)
            instants[pair] = next
            updated[pair] = next
            slots[index].capacity -= 1
            decisions.append(.send(senderID: slot.id))
        }
        return (decisions, updated)
    }

    private static func slotIndex(for candidate: Candidate, in slots: [SenderSlot]) -> Int? {
        if let pinned = candidate.pinnedSenderID {
            return slots.firstIndex { $0.id == pinned && $0.capacity > 0 }
        }
        return slots.firstIndex { slot in
            slot.acceptsNewMessages && slot.capacity > 0
                && !candidate.excludedSenderIDs.contains(slot.id)
        }
    }

    private static func waitWithoutSlot(
        _ candidate: Candidate,
        slots: [SenderSlot],
        now: Date,
        _ retryDelay: Duration
    ) -> Decision {
        let usable = slots.filter { slot in
            if let pinned = candidate.pinnedSenderID {
                return slot.id == pinned
            }
            return slot.acceptsNewMessages && !candidate.excludedSenderIDs.contains(slot.id)
        }
        guard let soonest = usable.map(\.nextFreeAt).min() else {
            return .wait(
                until: now.addingTimeInterval(retryDelay.seconds),
                pinnedSenderID: candidate.pinnedSenderID,
                reason: .noReservedSender
            )
        }
        return .wait(
            until: max(soonest, now),
            pinnedSenderID: candidate.pinnedSenderID,
            reason: .senderCapacity
        )
    }
}
