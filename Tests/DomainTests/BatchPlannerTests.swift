import Foundation
import Testing

@testable import Domain

@Suite struct BatchPlannerTests {
    private let now = Date(timeIntervalSince1970: 3_000_000)
    private let high = UUID()
    private let medium = UUID()
    private let paused = UUID()

    private func slot(_ id: UUID, _ capacity: Int, accepts: Bool = true) -> BatchPlanner.SenderSlot
    {
        BatchPlanner.SenderSlot(
            id: id,
            capacity: capacity,
            nextFreeAt: now.addingTimeInterval(1),
            acceptsNewMessages: accepts
        )
    }

    private func candidate(
        _ recipient: String,
        pinned: UUID? = nil,
        excluded: Set<UUID> = []
    ) -> BatchPlanner.Candidate {
        BatchPlanner.Candidate(
            recipient: recipient,
            pinnedSenderID: pinned,
            excludedSenderIDs: excluded
        )
    }

    @Test func firstSenderFillsBeforeNext() {
        let plan = BatchPlanner.plan(
            ["a", "b", "c"].map { candidate($0) },
            senders: [slot(high, 2), slot(medium, 5)],
            pairs: [:],
            pacing: PairPacing(),
            now: now
        )
        #expect(
            plan.decisions == [
                .send(senderID: high), .send(senderID: high), .send(senderID: medium),
            ]
        )
        #expect(plan.pairs.count == 3)
    }

    @Test func excludedSenderIsSkipped() {
        let plan = BatchPlanner.plan(
            [candidate("a", excluded: [high])],
            senders: [slot(high, 2), slot(medium, 2)],
            pairs: [:],
            pacing: PairPacing(),
            now: now
        )
        #expect(plan.decisions == [.send(senderID: medium)])
    }

    @Test func pausedSenderTakesOnlyPinnedMessages() {
        let plan = BatchPlanner.plan(
            [candidate("a"), candidate("b", pinned: paused)],
            senders: [slot(paused, 5, accepts: false), slot(medium, 5)],
            pairs: [:],
            pacing: PairPacing(),
            now: now
        )
        #expect(plan.decisions == [.send(senderID: medium), .send(senderID: paused)])
    }

    /// A pair that needs rest keeps its sender: the message waits pinned to it, and the next
    /// sender, which is free for that recipient, is not used to dodge the limit.
    @Test func restingPairWaitsOnSameSender() {
        let rested = now.addingTimeInterval(6)
        let pair = BatchPlanner.Pair(senderID: high, recipient: "a")
        let plan = BatchPlanner.plan(
            [candidate("a")],
            senders: [slot(high, 5), slot(medium, 5)],
            pairs: [pair: rested],
            pacing: PairPacing(interval: .seconds(6), burst: 1),
            now: now
        )
        #expect(plan.decisions == [.wait(until: rested, pinnedSenderID: high, reason: .pairPacing)])
        #expect(plan.pairs.isEmpty)
    }

    @Test func samePairTwiceInOneClaimIsSpaced() {
        let plan = BatchPlanner.plan(
            [candidate("a"), candidate("a")],
            senders: [slot(high, 5)],
            pairs: [:],
            pacing: PairPacing(interval: .seconds(6), burst: 1),
            now: now
        )
        let later = now.addingTimeInterval(6)
        #expect(plan.decisions[0] == .send(senderID: high))
        #expect(plan.decisions[1] == .wait(until: later, pinnedSenderID: high, reason: .pairPacing))
        #expect(plan.pairs[BatchPlanner.Pair(senderID: high, recipient: "a")] == later)
    }

    @Test func fullSendersMakeMessageWait() {
        let plan = BatchPlanner.plan(
            [candidate("a"), candidate("b", pinned: medium)],
            senders: [slot(high, 0), slot(medium, 0)],
            pairs: [:],
            pacing: PairPacing(),
            now: now
        )
        let free = now.addingTimeInterval(1)
        #expect(
            plan.decisions[0] == .wait(until: free, pinnedSenderID: nil, reason: .senderCapacity)
        )
        #expect(
            plan.decisions[1] == .wait(until: free, pinnedSenderID: medium, reason: .senderCapacity)
        )
    }

    @Test func pinToUnreservedSenderWaits() {
        let other = UUID()
        let plan = BatchPlanner.plan(
            [candidate("a", pinned: other)],
            senders: [slot(high, 5)],
            pairs: [:],
            pacing: PairPacing(),
            now: now
        )
        let retry = now.addingTimeInterval(0.2)
        #expect(
            plan.decisions == [
                .wait(until: retry, pinnedSenderID: other, reason: .noReservedSender)
            ]
        )
    }
}
