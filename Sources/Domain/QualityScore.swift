/// The rules that move a sender's numeric quality score, from 0 to 100.
///
/// The score is WabaRouter's own signal, learnt from the outcome of each message the sender
/// carried. The ``Quality`` label follows it: 70 and above is HIGH, 40 to 69 is MEDIUM, below 40
/// is LOW. A SEEN report is the only evidence that a recipient engaged, so it is the only one
/// that raises the score; a delivery only confirms the sender works and keeps the score.
public enum QualityScore {
    public static let minimum = 0
    public static let maximum = 100
    public static let highThreshold = 70
    public static let mediumThreshold = 40

    /// Points added when a message the sender carried is reported SEEN.
    public static let seenReward = 1

    /// Points removed when a message fails for a reason the sender is answerable for.
    public static let senderFailurePenalty = 10

    /// Points removed when a message fails for its content (a template or parameter problem).
    public static let contentFailurePenalty = 3

    /// Points removed when a message fails because of the recipient (unknown user, blocked).
    ///
    /// Small but not zero: many undeliverable recipients in a row is how a number gets reported
    /// and rated down by Meta.
    public static let recipientFailurePenalty = 1

    /// Returns the score after one outcome, clamped to 0...100.
    public static func apply(_ change: ScoreChange, to score: Int) -> Int {
        let next = score + change.delta
        return min(maximum, max(minimum, next))
    }
}

/// What one outcome does to a sender's score.
public enum ScoreChange: Sendable, Equatable {
    case none
    case seen
    case failed(FailureCause)

    /// Points added (positive) or removed (negative).
    public var delta: Int {
        switch self {
        case .none:
            0
        case .seen:
            QualityScore.seenReward
        case .failed(let cause):
            switch cause {
            case .sender: -QualityScore.senderFailurePenalty
            case .content: -QualityScore.contentFailurePenalty
            case .recipient: -QualityScore.recipientFailurePenalty
            case .senderThrottled, .account, .transient, .rateLimited, .duplicate,
                .unknownOutcome:
                0
            }
        }
    }
}
