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
    /// Requests one attempt may make over all its claims before its message fails.
    public var maximumRequestsPerAttempt = 9
    /// Rejections by Meta's pair rate limit before a message fails.
    public var maximumPairRateRejections = 6
    /// Wait before the third and later repeats of a request that failed transiently; it
    /// doubles with each further repeat, up to 10 minutes. The first two repeats come after
    /// 250 ms and 500 ms.
    public var transientRequeueDelay: Duration = .seconds(30)
    /// How long `POST /messages/send` waits inline for a fallback or a short backoff before it
    /// answers 202 and leaves the message to the dispatchers.
    public var inlineWait: Duration = .seconds(6)

    public init() {}

    /// Returns the wait before repeating an attempt whose request number `requests` failed
    /// transiently, with up to 20 % of jitter so that instances do not retry in step.
    func requeueDelay(afterRequests requests: Int) -> Duration {
        let base: Duration
        if requests <= 2 {
            base = .milliseconds(250 * (1 << max(0, requests - 1)))
        } else {
            base = min(transientRequeueDelay * (1 << min(requests - 3, 10)), .seconds(600))
        }
        return base + base * Double.random(in: 0...0.2)
    }
}
