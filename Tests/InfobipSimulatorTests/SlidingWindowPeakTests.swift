import Testing

@testable import InfobipSimulator

@Suite struct SlidingWindowPeakTests {
    let start = ContinuousClock.now

    /// Records `(milliseconds after start, count)` arrivals and returns the peak.
    func peak(_ arrivals: [(Int, Int)]) -> Int {
        var window = SlidingWindowPeak()
        for (milliseconds, count) in arrivals {
            window.record(count, at: start + .milliseconds(milliseconds))
        }
        return window.peak
    }

    @Test func emptyWindowPeaksAtZero() {
        #expect(SlidingWindowPeak().peak == 0)
    }

    @Test func oneArrivalCountsItsMessages() {
        #expect(peak([(0, 100)]) == 100)
    }

    @Test func arrivalsOneSecondApartAreSeparate() {
        #expect(peak([(0, 80), (1_000, 80), (2_000, 80)]) == 80)
    }

    @Test func arrivalsJustInsideOneSecondAdd() {
        #expect(peak([(0, 80), (999, 80)]) == 160)
    }

    @Test func windowStartsAtAnyArrival() {
        // [0, 1000) contains 10 + 40 = 50 and [600, 1600) contains 40 + 30 + 25 = 95.
        #expect(peak([(0, 10), (600, 40), (1_100, 30), (1_599, 25), (2_600, 5)]) == 95)
    }

    @Test func evenPacingStaysAtRate() {
        // 80 messages a second as 8 requests of 10, one every 125 ms, for 10 seconds.
        let arrivals = (0..<80).map { (125 * $0, 10) }
        #expect(peak(arrivals) == 80)
    }

    @Test func burstAfterQuietSecondIsMeasured() {
        let quiet = (0..<10).map { (100 * $0, 1) }
        let burst = (0..<5).map { (3_000 + $0, 100) }
        #expect(peak(quiet + burst) == 500)
    }

    @Test func simultaneousArrivalsShareWindow() {
        #expect(peak([(500, 30), (500, 30), (500, 30)]) == 90)
    }

    @Test func earlierInstantCountsAsLatest() {
        var window = SlidingWindowPeak()
        window.record(10, at: start + .milliseconds(2_000))
        window.record(5, at: start)
        window.record(1, at: start + .milliseconds(2_999))
        // The late 5 counts at 2000 ms, so the window ending at 2999 ms contains all three.
        #expect(window.peak == 16)
    }

    @Test func longRunKeepsPeak() {
        var window = SlidingWindowPeak()
        for index in 0..<100_000 {
            window.record(1, at: start + .milliseconds(10 * index))
        }
        #expect(window.peak == 100)
    }
}
