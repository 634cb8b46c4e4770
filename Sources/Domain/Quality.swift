/// A sender's quality label, as WhatsApp Manager shows it (High, Medium, Low).
public enum Quality: String, Sendable, CaseIterable, Codable {
    case high = "HIGH"
    case medium = "MEDIUM"
    case low = "LOW"

    /// Numeric rank used to order senders: higher is better.
    ///
    /// Sorting the labels as strings would put MEDIUM before HIGH and LOW, so every ordering of
    /// senders uses this rank, never the label.
    public var rank: Int {
        switch self {
        case .high: 3
        case .medium: 2
        case .low: 1
        }
    }

    /// The label a score falls into; see ``QualityScore`` for the thresholds.
    public init(score: Int) {
        if score >= QualityScore.highThreshold {
            self = .high
        } else if score >= QualityScore.mediumThreshold {
            self = .medium
        } else {
            self = .low
        }
    }

    /// The score given to a sender created or edited with this label: the middle of its band.
    public var initialScore: Int {
        switch self {
        case .high: 85
        case .medium: 55
        case .low: 20
        }
    }
}
