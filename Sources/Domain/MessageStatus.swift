/// Where a message is in its life, as WabaRouter reports it.
///
/// Statuses move forward: QUEUED, SENDING, SENT, DELIVERED, SEEN. FAILED ends a message that
/// was not delivered yet; EXPIRED and CANCELLED end a message that was never sent. A report
/// that would move a message backwards, or repeat its status, is kept in its history and
/// changes nothing. The dispatcher alone moves a SENDING message back to QUEUED, when Infobip
/// definitely did not take it (a sender fault to fall back from, or a backoff).
public enum MessageStatus: String, Sendable, CaseIterable, Codable {
    /// Stored and waiting for a dispatcher.
    case queued = "QUEUED"
    /// Claimed by a dispatcher, or sent without an answer and waiting for Infobip's report.
    case sending = "SENDING"
    /// Accepted by Infobip for delivery.
    case sent = "SENT"
    /// Delivered to the recipient's phone.
    case delivered = "DELIVERED"
    /// Opened by the recipient.
    case seen = "SEEN"
    /// Not delivered, for the reasons in its attempts and history.
    case failed = "FAILED"
    /// Not sent before the request's `expiresAt`.
    case expired = "EXPIRED"
    /// Not sent because its bulk was cancelled.
    case cancelled = "CANCELLED"

    /// Position on the forward path; the ending statuses have none.
    private var progress: Int? {
        switch self {
        case .queued: 0
        case .sending: 1
        case .sent: 2
        case .delivered: 3
        case .seen: 4
        case .failed, .expired, .cancelled: nil
        }
    }

    /// Whether a message in this status may move to `next`.
    public func canMove(to next: MessageStatus) -> Bool {
        guard let current = progress else { return false }
        switch next {
        case .failed:
            // FAILED applies only before delivery: a DELIVERED or SEEN message has reached the
            // phone, so a later failure report for it is stale.
            return current < 3
        case .expired, .cancelled:
            // Only a message nobody has sent yet can expire or be cancelled.
            return self == .queued
        default:
            return next.progress.map { $0 > current } ?? false
        }
    }

    /// Whether nothing can change this status any more.
    public var isFinal: Bool {
        switch self {
        case .seen, .failed, .expired, .cancelled: true
        case .queued, .sending, .sent, .delivered: false
        }
    }
}
