public import Domain
import Foundation

/// Settings of the dispatchers that send queued messages, each with its environment variable.
public struct DispatchConfiguration: Sendable {
    /// What to do with a message whose Infobip call may have happened but whose report never
    /// came within ``reportWait``.
    public enum UnknownOutcomePolicy: String, Sendable {
        /// Send it again through the same sender with the same Infobip message id, so that
        /// Infobip can recognise a repeat (`EC_DUPLICATE_REQUEST`) instead of delivering twice.
        case resend
        /// Mark it FAILED with the reason, and send nothing.
        case fail
    }

    /// Concurrent dispatch loops per instance (`DISPATCH_WORKERS`); defaults to 4.
    public var workers = 4
    /// Maximum messages in one Infobip request (`DISPATCH_BATCH_SIZE`); defaults to 100.
    /// Infobip documents no maximum for the `messages` array.
    public var batchSize = 100
    /// How often an idle dispatcher looks for work that no notification announced
    /// (`DISPATCH_POLL_MILLISECONDS`); defaults to 1 second.
    public var pollInterval: Duration = .seconds(1)
    /// How long a claimed batch stays reserved without a heartbeat (`DISPATCH_LEASE_SECONDS`);
    /// defaults to 30 seconds. The heartbeat renews it every third of this.
    public var lease: Duration = .seconds(30)
    /// How long a message whose Infobip call may have happened waits for Infobip's report
    /// before ``unknownOutcomePolicy`` applies (`UNKNOWN_OUTCOME_WAIT_SECONDS`); defaults to
    /// 10 minutes.
    public var reportWait: Duration = .seconds(600)
    /// `UNKNOWN_OUTCOME_POLICY`: `resend` (default) or `fail`.
    public var unknownOutcomePolicy = UnknownOutcomePolicy.resend
    /// The window over which each sender's messages-per-second limit is enforced
    /// (`SENDER_RATE_WINDOW_MILLISECONDS`); defaults to 1,100 ms. A batch counts from its
    /// claim until Infobip answers and from the answer afterwards; the extra 100 ms over one
    /// second covers the time between a claim and the request's arrival at Infobip.
    public var rateWindow: Duration = .milliseconds(1_100)
    /// Spacing between messages from one sender to one recipient (`PAIR_INTERVAL_SECONDS`,
    /// default 6, and `PAIR_BURST`, default 45, from Meta's pair rate limit).
    public var pairPacing = PairPacing()
    /// Extra requests after a transient failure inside one claim, each after `Retry-After` or
    /// a backoff from 250 ms.
    public var transientRetries = 2
    /// Longest wait between those requests; a longer `Retry-After` returns the messages to the
    /// queue until then.
    public var maximumRetryDelay: Duration = .seconds(5)
    /// Requests one attempt may make over all its claims before its message fails.
    public var maximumRequestsPerAttempt = 9
    /// Wait before a message whose requests of one claim all failed transiently is claimed
    /// again; it doubles with each further claim, up to 10 minutes.
    public var transientRequeueDelay: Duration = .seconds(30)
    /// Rejections by Meta's pair rate limit before a message fails.
    public var maximumPairRateRejections = 6
    /// How long `POST /messages/send` waits inline for a fallback or a short backoff before it
    /// answers 202 and leaves the message to the dispatchers.
    public var inlineWait: Duration = .seconds(6)

    public init() {}

    /// The wait before a message whose requests all failed transiently is claimed again:
    /// ``transientRequeueDelay``, doubling per earlier requeue, at most 10 minutes.
    func requeueDelay(afterRequests requests: Int) -> Duration {
        let rounds = max(0, requests / (transientRetries + 1) - 1)
        return min(transientRequeueDelay * (1 << min(rounds, 5)), .seconds(600))
    }
}
