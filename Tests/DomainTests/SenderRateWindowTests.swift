import Foundation
import Testing

@testable import Domain

@Suite struct SenderRateWindowTests {
    private let start = Date(timeIntervalSince1970: 1_000_000)
    private let length = Duration.milliseconds(1_100)

    private func at(_ milliseconds: Int) -> Date {
        start.addingTimeInterval(Double(milliseconds) / 1000)
    }

    @Test func emptyWindowHasFullCapacity() {
        let window = SenderRateWindow(entries: [])
        #expect(window.capacity(at: start, rate: 80, length: length) == 80)
        #expect(window.nextAvailable(at: start, count: 80, rate: 80, length: length) == start)
    }

    @Test func batchesInsideWindowUseCapacity() {
        var window = SenderRateWindow(entries: [])
        window.record(size: 50, at: at(0), length: length)
        window.record(size: 20, at: at(400), length: length)
        #expect(window.capacity(at: at(500), rate: 80, length: length) == 10)
        // The first batch leaves the window 1.1 s after its claim.
        #expect(window.capacity(at: at(1_100), rate: 80, length: length) == 60)
        #expect(window.capacity(at: at(1_500), rate: 80, length: length) == 80)
    }

    @Test func nextAvailableWaitsForOldestBatches() {
        let window = SenderRateWindow(entries: [
            .init(at: at(0), size: 50),
            .init(at: at(400), size: 30),
        ])
        #expect(window.nextAvailable(at: at(500), count: 40, rate: 80, length: length) == at(1_100))
        #expect(window.nextAvailable(at: at(500), count: 80, rate: 80, length: length) == at(1_500))
        #expect(
            window.nextAvailable(at: at(1_200), count: 10, rate: 80, length: length) == at(1_200)
        )
    }

    @Test func recordForgetsBatchesOutsideWindow() {
        var window = SenderRateWindow(entries: [.init(at: at(0), size: 5)])
        window.record(size: 7, at: at(2_000), length: length)
        #expect(window.entries == [.init(at: at(2_000), size: 7)])
    }

    /// Claims as fast as the rule allows never put more than the rate in any window of the
    /// rule's length, checked at every claim instant.
    @Test(arguments: [(80, 100), (80, 30), (1_000, 100), (7, 3)])
    func greedyClaimsRespectRate(rate: Int, batch: Int) {
        var window = SenderRateWindow(entries: [])
        var claims: [(Date, Int)] = []
        var now = start
        while claims.count < 200 {
            let size = min(batch, rate)
            now = window.nextAvailable(at: now, count: size, rate: rate, length: length)
            window.record(size: size, at: now, length: length)
            claims.append((now, size))
        }
        for (instant, _) in claims {
            let inWindow = claims.filter {
                $0.0 >= instant && $0.0.timeIntervalSince(instant) < length.seconds
            }
            #expect(inWindow.reduce(0) { $0 + $1.1 } <= rate)
        }
    }
}
