import Foundation
import Testing

@testable import Domain

@Suite struct MessageStatusTests {
    /// Every allowed move, written out by hand: forward along QUEUED < SENT < DELIVERED < SEEN,
    /// and to FAILED only before DELIVERED.
    private static let allowedMoves: [MessageStatus: Set<MessageStatus>] = [
        .queued: [.sent, .delivered, .seen, .failed],
        .sent: [.delivered, .seen, .failed],
        .delivered: [.seen],
        .seen: [],
        .failed: [],
    ]

    @Test(arguments: MessageStatus.allCases, MessageStatus.allCases)
    func moveFollowsForwardOnlyRule(current: MessageStatus, next: MessageStatus) throws {
        let allowed = try #require(Self.allowedMoves[current])
        #expect(current.canMove(to: next) == allowed.contains(next))
    }

    @Test(arguments: MessageStatus.allCases)
    func repeatedStatusChangesNothing(status: MessageStatus) {
        #expect(!status.canMove(to: status))
    }

    @Test(arguments: MessageStatus.allCases)
    func nothingFollowsFailed(next: MessageStatus) {
        #expect(!MessageStatus.failed.canMove(to: next))
    }

    @Test(arguments: [MessageStatus.delivered, .seen])
    func failureAfterDeliveryIsStale(status: MessageStatus) {
        #expect(!status.canMove(to: .failed))
    }

    @Test(arguments: [
        (MessageStatus.queued, false),
        (.sent, false),
        (.delivered, false),
        (.seen, true),
        (.failed, true),
    ])
    func finalStatusesAreSeenAndFailed(status: MessageStatus, isFinal: Bool) {
        #expect(status.isFinal == isFinal)
    }

    @Test(arguments: MessageStatus.allCases)
    func finalStatusAllowsNoMove(status: MessageStatus) {
        let reachable = MessageStatus.allCases.filter { status.canMove(to: $0) }
        #expect(status.isFinal == reachable.isEmpty)
    }

    @Test(arguments: [
        (MessageStatus.queued, "QUEUED"),
        (.sent, "SENT"),
        (.delivered, "DELIVERED"),
        (.seen, "SEEN"),
        (.failed, "FAILED"),
    ])
    func statusEncodesAsRawName(status: MessageStatus, name: String) throws {
        let data = try JSONEncoder().encode([status])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(name)\"]")
        #expect(MessageStatus(rawValue: name) == status)
    }
}
