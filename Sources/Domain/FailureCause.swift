/// Who or what a failed send is attributed to, which decides what happens next.
public enum FailureCause: String, Sendable, CaseIterable, Codable {
    /// The sender number is at fault (not registered, restricted, spam-limited): mark it and try
    /// the next best sender.
    case sender = "SENDER"
    /// The sender is briefly unable to send (throughput exceeded, maintenance): try the next
    /// sender, without lowering this one's score.
    case senderThrottled = "SENDER_THROTTLED"
    /// The recipient cannot receive it (not on WhatsApp, blocked, opted out): another sender will
    /// not help.
    case recipient = "RECIPIENT"
    /// The message itself is invalid (template, parameters, media): another sender will not help.
    case content = "CONTENT"
    /// The whole account is at fault (bad API key, no credit, WABA restricted): no sender helps
    /// and the request is never retried.
    case account = "ACCOUNT"
    /// A passing fault (rate limit, server error): retry later on the same sender with the same
    /// message id.
    case transient = "TRANSIENT"
    /// Too many messages from this sender to this recipient (Meta's pair rate limit, 131056):
    /// back off on the same sender, since rotating senders to dodge the limit is what Meta
    /// penalises. Infobip does not say which of its codes carries 131056, so its
    /// EC_TOO_MANY_REQUESTS in a report is read the same way.
    case rateLimited = "RATE_LIMITED"
    /// Infobip already holds a message with this id, so an earlier attempt was accepted.
    case duplicate = "DUPLICATE"
    /// The request may have reached Infobip but no answer came. Sending it from another sender
    /// could deliver it twice, so only Infobip's report or a retry with the same id may follow.
    case unknownOutcome = "UNKNOWN_OUTCOME"

    /// What the sending loop does after a failure with this cause.
    public var nextStep: FailureStep {
        switch self {
        case .sender, .senderThrottled: .tryNextSender
        case .recipient, .content, .account: .failMessage
        case .transient: .retrySameSender
        case .rateLimited: .backOffSameSender
        case .duplicate, .unknownOutcome: .awaitReport
        }
    }
}

/// The action that follows a failed attempt.
public enum FailureStep: Sendable, Equatable {
    case tryNextSender
    case failMessage
    case retrySameSender
    /// Send again later through the same sender, as a new attempt, after a growing wait.
    case backOffSameSender
    case awaitReport
}
