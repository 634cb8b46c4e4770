import Testing

@testable import Domain

@Suite struct QualityScoreTests {
    @Test func thresholdsMatchLabelBands() {
        #expect(QualityScore.highThreshold == 70)
        #expect(QualityScore.mediumThreshold == 40)
        #expect(QualityScore.minimum == 0)
        #expect(QualityScore.maximum == 100)
    }

    @Test func seenAddsOnePoint() {
        #expect(ScoreChange.seen.delta == 1)
        #expect(QualityScore.apply(.seen, to: 50) == 51)
    }

    /// A delivery report carries no change, because it confirms that the sender works but not
    /// that the recipient engaged.
    @Test(arguments: [0, 39, 50, 100])
    func deliveredKeepsScore(score: Int) {
        #expect(QualityScore.apply(.none, to: score) == score)
    }

    @Test(arguments: [
        (ScoreChange.seen, 100, 100),
        (.seen, 99, 100),
        (.failed(.sender), 5, 0),
        (.failed(.sender), 0, 0),
        (.failed(.content), 2, 0),
        (.failed(.recipient), 0, 0),
        (.none, 120, 100),
        (.none, -10, 0),
    ])
    func scoreClampedToRange(change: ScoreChange, score: Int, expected: Int) {
        #expect(QualityScore.apply(change, to: score) == expected)
    }

    @Test func senderFailureLowersMost() {
        let sender = ScoreChange.failed(.sender).delta
        let content = ScoreChange.failed(.content).delta
        let recipient = ScoreChange.failed(.recipient).delta
        #expect(sender < content)
        #expect(content < recipient)
        #expect(recipient < 0)
    }

    @Test(arguments: [
        (FailureCause.sender, 40),
        (.content, 47),
        (.recipient, 49),
    ])
    func failureLowersScoreByPenalty(cause: FailureCause, expected: Int) {
        #expect(QualityScore.apply(.failed(cause), to: 50) == expected)
    }

    /// These causes are no evidence about the sender's quality, so they leave the score unchanged.
    @Test(arguments: [
        FailureCause.senderThrottled, .account, .transient, .duplicate, .unknownOutcome,
    ])
    func unrelatedFailureKeepsScore(cause: FailureCause) {
        #expect(ScoreChange.failed(cause).delta == 0)
        #expect(QualityScore.apply(.failed(cause), to: 50) == 50)
    }

    @Test func senderFailuresDropHighToLow() {
        var score = Quality.high.initialScore
        for _ in 0..<5 {
            score = QualityScore.apply(.failed(.sender), to: score)
        }
        #expect(score == 35)
        #expect(Quality(score: score) == .low)
    }

    @Test func seenReportsRaiseMediumToHigh() {
        var score = 69
        #expect(Quality(score: score) == .medium)
        score = QualityScore.apply(.seen, to: score)
        #expect(Quality(score: score) == .high)
    }
}
