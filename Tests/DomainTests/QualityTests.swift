import Testing

@testable import Domain

@Suite struct QualityTests {
    @Test func rankOrdersHighMediumLow() {
        #expect(Quality.high.rank > Quality.medium.rank)
        #expect(Quality.medium.rank > Quality.low.rank)
    }

    /// Sorting the raw labels descending gives MEDIUM, LOW, HIGH, which is why senders are
    /// ordered by rank.
    @Test func rankSortDiffersFromStringSort() {
        let labels: [Quality] = [.low, .high, .medium]
        let byRank = labels.sorted { $0.rank > $1.rank }
        let byLabel = labels.sorted { $0.rawValue > $1.rawValue }
        #expect(byRank == [.high, .medium, .low])
        #expect(byLabel == [.medium, .low, .high])
        #expect(byRank != byLabel)
    }

    @Test func ascendingRankSortDiffersFromStrings() {
        let labels: [Quality] = [.medium, .high, .low]
        let byRank = labels.sorted { $0.rank < $1.rank }
        let byLabel = labels.sorted { $0.rawValue < $1.rawValue }
        #expect(byRank == [.low, .medium, .high])
        #expect(byLabel == [.high, .low, .medium])
        #expect(byRank != byLabel)
    }

    @Test(arguments: [
        (-5, Quality.low),
        (0, .low),
        (39, .low),
        (40, .medium),
        (69, .medium),
        (70, .high),
        (100, .high),
        (150, .high),
    ])
    func scoreMapsToLabel(score: Int, quality: Quality) {
        #expect(Quality(score: score) == quality)
    }

    @Test(arguments: Quality.allCases)
    func initialScoreFallsInOwnBand(quality: Quality) {
        #expect(Quality(score: quality.initialScore) == quality)
    }

    @Test(arguments: [(Quality.high, "HIGH"), (.medium, "MEDIUM"), (.low, "LOW")])
    func rawValueMatchesWhatsAppLabel(quality: Quality, label: String) {
        #expect(quality.rawValue == label)
        #expect(Quality(rawValue: label) == quality)
    }
}
