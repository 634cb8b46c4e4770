import Foundation
import Testing

@testable import Domain

@Suite struct MessageStatusTests {
    /// Every allowed move, written out by hand: forward along QUEUED < SENDING < SENT <
    /// DELIVERED < SEEN, to FAILED only before DELIVERED, and to EXPIRED or CANCELLED only from
    /// QUEUED.
    private static let allowedMoves: [MessageStatus: Set<MessageStatus>] = [
        .queued: [.sending, .sent, .delivered, .seen, .failed, .expired, .cancelled],
        .sending: [.sent, .delivered, .seen, .failed],
        .sent: [.delivered, .seen, .failed],
        .delivered: [.seen],
        .seen: [],
        .failed: [],
        .expired: [],
        .cancelled: [],
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
        (.sending, false),
        (.sent, false),
        (.delivered, false),
        (.seen, true),
        (.failed, true),
        (.expired, true),
        (.cancelled, true),
    ])
    func finalStatusesEndMessage(status: MessageStatus, isFinal: Bool) {
        #expect(status.isFinal == isFinal)
    }

    @Test(arguments: MessageStatus.allCases)
    func finalStatusAllowsNoMove(status: MessageStatus) {
        let reachable = MessageStatus.allCases.filter { status.canMove(to: $0) }
        #expect(status.isFinal == reachable.isEmpty)
    }

    @Test(arguments: [
        (MessageStatus.queued, "QUEUED"),
        (.sending, "SENDING"),
        (.sent, "SENT"),
        (.delivered, "DELIVERED"),
        (.seen, "SEEN"),
        (.failed, "FAILED"),
        (.expired, "EXPIRED"),
        (.cancelled, "CANCELLED"),
    ])
    func statusEncodesAsRawName(status: MessageStatus, name: String) throws {
        let data = try JSONEncoder().encode([status])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(name)\"]")
        #expect(MessageStatus(rawValue: name) == status)
    }
}
