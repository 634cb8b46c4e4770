/// Where a message is in its life, as WabaRouter reports it.
///
/// Statuses only move forward: QUEUED, then SENT, DELIVERED and SEEN. FAILED ends a message that
/// was not delivered yet. A report that would move a message backwards, or repeat its status,
/// is kept in its history and changes nothing.
public enum MessageStatus: String, Sendable, CaseIterable, Codable {
    /// Stored, not yet accepted by Infobip.
    case queued = "QUEUED"
    /// Accepted by Infobip for delivery.
    case sent = "SENT"
    /// Delivered to the recipient's phone.
    case delivered = "DELIVERED"
    /// Opened by the recipient.
    case seen = "SEEN"
    /// Not delivered, for the reasons in its attempts and history.
    case failed = "FAILED"

    /// Position on the forward path; FAILED has none.
    private var progress: Int? {
        switch self {
        case .queued: 0
        case .sent: 1
        case .delivered: 2
        case .seen: 3
        case .failed: nil
        }
    }

    /// Whether a message in this status may move to `next`.
    public func canMove(to next: MessageStatus) -> Bool {
        guard let current = progress else { return false }
        guard let target = next.progress else {
            // FAILED applies only before delivery: a DELIVERED or SEEN message has reached the
            // phone, so a later failure report for it is stale.
            return self == .queued || self == .sent
        }
        return target > current
    }

    /// Whether nothing can change this status any more.
    public var isFinal: Bool {
        self == .seen || self == .failed
    }
}
