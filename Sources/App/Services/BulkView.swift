import Domain
import Foundation
import Postgres

/// The API representation of a bulk: counts per status from Infobip's reports, the sending
/// rate, an estimate of completion, and why it waits when it waits.
struct BulkView: Sendable, Encodable {
    /// One reason some of the bulk's QUEUED messages wait.
    struct Wait: Sendable, Encodable {
        var reason: String
        var messages: Int
        /// When the first of them may go.
        var until: Date?
        var detail: String
    }

    var id: UUID
    var wabaId: UUID
    var templateName: String
    var language: String
    var requested: Int
    var accepted: Int
    var duplicates: Int
    var rejected: Int
    var sendAt: Date?
    var expiresAt: Date?
    var cancelledAt: Date?
    var createdAt: Date
    /// Messages per status; every status is present.
    var counts: [String: Int]
    /// `SCHEDULED`, `SENDING`, `WAITING`, `COMPLETED` or `CANCELLED`.
    var state: String
    /// Messages Infobip accepted per second, over the last 10 seconds.
    var ratePerSecond: Double
    var firstSentAt: Date?
    var lastSentAt: Date?
    /// When the QUEUED and SENDING messages will have gone at the current rate; an estimate.
    var estimatedCompletionAt: Date?
    var waiting: [Wait]

    /// The window the sending rate is measured over.
    static let rateWindow: Duration = .seconds(10)

    static func load(_ connection: PostgresConnection, id: UUID, tenantID: UUID) throws
        -> BulkView
    {
        guard let bulk = try BulkStore.find(connection, id: id, tenantID: tenantID) else {
            throw Problem.notFound("bulk", id: id.postgresText)
        }
        var counts = Dictionary(
            uniqueKeysWithValues: MessageStatus.allCases.map { ($0.rawValue, 0) }
        )
        counts.merge(try BulkStore.statusCounts(connection, bulkID: id)) { _, new in new }
        let progress = try BulkStore.sendingProgress(connection, bulkID: id, window: rateWindow)
        let rate = Double(progress.recent) / rateWindow.seconds
        let pending = (counts["QUEUED"] ?? 0) + (counts["SENDING"] ?? 0)
        let waits = pending > 0 ? try waitReasons(connection, bulk: bulk, now: progress.now) : []

        let state: String
        if bulk.cancelledAt != nil {
            state = "CANCELLED"
        } else if pending == 0 {
            state = "COMPLETED"
        } else if let sendAt = bulk.sendAt, sendAt > progress.now {
            state = "SCHEDULED"
        } else if !waits.isEmpty
            && waits.allSatisfy({ ($0.until ?? .distantFuture) > progress.now })
        {
            state = "WAITING"
        } else {
            state = "SENDING"
        }
        return BulkView(
            id: bulk.id,
            wabaId: bulk.wabaID,
            templateName: bulk.templateName,
            language: bulk.language,
            requested: bulk.requested,
            accepted: bulk.accepted,
            duplicates: bulk.duplicates,
            rejected: bulk.rejected,
            sendAt: bulk.sendAt,
            expiresAt: bulk.expiresAt,
            cancelledAt: bulk.cancelledAt,
            createdAt: bulk.createdAt,
            counts: counts,
            state: state,
            ratePerSecond: rate,
            firstSentAt: progress.first,
            lastSentAt: progress.last,
            estimatedCompletionAt: rate > 0 && pending > 0
                ? progress.now.addingTimeInterval(Double(pending) / rate) : nil,
            waiting: waits
        )
    }

    private static func waitReasons(
        _ connection: PostgresConnection,
        bulk: BulkStore.Bulk,
        now: Date
    ) throws -> [Wait] {
        var waits: [Wait] = []
        let hasActiveSender = try SenderStore.hasActive(
            connection,
            wabaID: bulk.wabaID,
            excluding: []
        )
        for (reason, messages, until) in try BulkStore.waits(connection, bulkID: bulk.id) {
            // Messages already due are in line for a dispatcher, not waiting.
            guard let reason, until > now else { continue }
            waits.append(
                Wait(
                    reason: reason,
                    messages: messages,
                    until: until,
                    detail: Self.detail(reason, until: until)
                )
            )
        }
        if let paused = try WabaStore.dispatchPause(connection, id: bulk.wabaID), paused > now {
            waits.insert(
                Wait(
                    reason: WaitReason.infobipRateLimit.rawValue,
                    messages: 0,
                    until: paused,
                    detail: Self.detail(WaitReason.infobipRateLimit.rawValue, until: paused)
                ),
                at: 0
            )
        }
        if !hasActiveSender {
            waits.insert(
                Wait(
                    reason: "no-active-sender",
                    messages: 0,
                    until: nil,
                    detail: "The WABA has no ACTIVE sender. Add a sender or set one ACTIVE; "
                        + "queued messages go out as soon as one is."
                ),
                at: 0
            )
        }
        return waits
    }

    private static func detail(_ reason: String, until: Date) -> String {
        let at = Timestamp.format(until)
        switch WaitReason(rawValue: reason) {
        case .sendAt:
            return "sendAt is in the future; sending starts at \(at)."
        case .portfolioLimit:
            return "The business portfolio reached its messaging limit of unique recipients in "
                + "a rolling 24 hours; more recipients can be reached from \(at)."
        case .senderCapacity:
            return "No sender has capacity: the ACTIVE senders are at their messages-per-second "
                + "limit until \(at)."
        case .pairPacing:
            return "These recipients got a message from the same sender moments ago; Meta's "
                + "pair rate limit spaces them until \(at)."
        case .pairRateLimit:
            return "Meta's pair rate limit refused these messages; they retry on the same sender "
                + "at \(at)."
        case .infobipRateLimit:
            return "Infobip answered 429 Too Many Requests; sending resumes at \(at)."
        case .infobipUnavailable:
            return "Infobip failed transiently; these messages retry at \(at)."
        case .fallback:
            return "A sender failed these messages; they move to the next sender."
        case .resend:
            return "Infobip's report for these messages never came; they are sent again with the "
                + "same message ids from \(at)."
        case nil:
            return "Waiting until \(at)."
        }
    }
}
