import Foundation
import Testing

@testable import Domain

@Suite struct PairPacingTests {
    private let now = Date(timeIntervalSince1970: 2_000_000)

    @Test func restedPairSendsNow() {
        let pacing = PairPacing()
        #expect(pacing.earliest(theoretical: nil, now: now) == now)
        #expect(pacing.earliest(theoretical: now.addingTimeInterval(-60), now: now) == now)
    }

    @Test func withoutBurstMessagesAreSixSecondsApart() {
        let pacing = PairPacing(interval: .seconds(6), burst: 1)
        let after = pacing.advanced(theoretical: nil, sentAt: now)
        #expect(after == now.addingTimeInterval(6))
        #expect(pacing.earliest(theoretical: after, now: now) == now.addingTimeInterval(6))
    }

    /// A burst of `burst` messages goes at once; the next waits until the pair has rested
    /// as long as the burst would have taken at one message per interval.
    @Test func burstBorrowsFromLaterQuota() {
        let pacing = PairPacing(interval: .seconds(6), burst: 45)
        var theoretical: Date? = nil
        for _ in 0..<45 {
            #expect(pacing.earliest(theoretical: theoretical, now: now) == now)
            theoretical = pacing.advanced(theoretical: theoretical, sentAt: now)
        }
        #expect(pacing.earliest(theoretical: theoretical, now: now) == now.addingTimeInterval(6))
        #expect(theoretical == now.addingTimeInterval(270))
    }

    @Test(arguments: [(0, 1), (1, 4), (2, 16), (3, 64), (5, 1_024), (9, 1_024)])
    func pairRateBackoffGrowsByFour(retry: Int, seconds: Int) {
        #expect(PairPacing.backoff(afterRejections: retry) == .seconds(seconds))
    }
}
