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
        // A bulk that began sending less than a window ago is measured since its first send.
        let measured = min(
            rateWindow.seconds,
            max(1, progress.first.map { progress.now.timeIntervalSince($0) } ?? rateWindow.seconds)
        )
        let rate = Double(progress.recent) / measured
        let pending = (counts["QUEUED"] ?? 0) + (counts["SENDING"] ?? 0)
        let waits = pending > 0 ? try waitReasons(connection, bulk: bulk, now: progress.now) : []

        let state: String
        if bulk.cancelledAt != nil {
            state = "CANCELLED"
        } else if pending == 0 {
            state = "COMPLETED"
        } else if let sendAt = bulk.sendAt, sendAt > progress.now {
            state = "SCHEDULED"
        } else if (counts["SENDING"] ?? 0) > 0
            || waits.contains(where: { $0.reason == WaitReason.senderCapacity.rawValue })
        {
            state = "SENDING"
        } else if !waits.isEmpty {
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
            estimatedCompletionAt: estimate(
                pending: pending,
                rate: rate,
                waits: waits,
                now: progress.now
            ),
            waiting: waits
        )
    }

    /// The wait reason for a WABA without ACTIVE senders, which only this view reports.
    private static let noActiveSender = "no-active-sender"

    /// Returns when the pending messages will have gone: at the current rate, and no earlier
    /// than the latest instant a wait ends. Nil when no estimate is possible: with no
    /// ACTIVE sender or no rate yet.
    private static func estimate(pending: Int, rate: Double, waits: [Wait], now: Date) -> Date? {
        guard pending > 0, rate > 0,
            !waits.contains(where: { $0.reason == Self.noActiveSender })
        else { return nil }
        let atRate = now.addingTimeInterval(Double(pending) / rate)
        let waitsEnd = waits.compactMap(\.until).max() ?? atRate
        return max(atRate, waitsEnd)
    }

    private static func waitReasons(
        _ connection: PostgresConnection,
        bulk: BulkStore.Bulk,
        now: Date
    ) throws -> [Wait] {
        var waits: [Wait] = []
        // Messages already due are in line for a dispatcher, unless nothing may send them.
        var due = 0
        for (reason, messages, until) in try BulkStore.waits(connection, bulkID: bulk.id) {
            guard until > now else {
                due += messages
                continue
            }
            guard let reason else { continue }
            waits.append(
                Wait(
                    reason: reason,
                    messages: messages,
                    until: until,
                    detail: Self.detail(reason, until: until)
                )
            )
        }
        let hasActiveSender = try SenderStore.hasActive(
            connection,
            wabaID: bulk.wabaID,
            excluding: []
        )
        if let paused = try WabaStore.dispatchPause(connection, id: bulk.wabaID), paused > now {
            addPause(until: paused, due: hasActiveSender ? due : 0, to: &waits)
        }
        if !hasActiveSender {
            waits.insert(
                Wait(
                    reason: Self.noActiveSender,
                    messages: due,
                    until: nil,
                    detail: "The WABA has no ACTIVE sender. Add a sender or set one ACTIVE; "
                        + "queued messages go out as soon as one is."
                ),
                at: 0
            )
        } else if due > 0
            && !waits.contains(where: { $0.reason == WaitReason.infobipRateLimit.rawValue })
        {
            // Due messages wait for their turn at the senders' combined rate.
            let rate = try SenderStore.activeRate(connection, wabaID: bulk.wabaID)
            waits.append(
                Wait(
                    reason: WaitReason.senderCapacity.rawValue,
                    messages: due,
                    until: nil,
                    detail: "Due now and in line for the ACTIVE senders, which send at most "
                        + "\(rate) messages per second in total."
                )
            )
        }
        return waits
    }

    /// Adds the WABA's dispatch pause after Infobip's 429 as the first entry. It joins the
    /// entry of the messages that the 429 returned to the queue and counts the `due` messages
    /// too, since it keeps them back as well. A pause that keeps back no message is left out.
    private static func addPause(until paused: Date, due: Int, to waits: inout [Wait]) {
        let reason = WaitReason.infobipRateLimit.rawValue
        var pause = Wait(reason: reason, messages: due, until: paused, detail: "")
        if let index = waits.firstIndex(where: { $0.reason == reason }) {
            let requeued = waits.remove(at: index)
            pause.messages += requeued.messages
            pause.until = max(paused, requeued.until ?? paused)
        }
        guard pause.messages > 0 else { return }
        pause.detail = detail(reason, until: pause.until ?? paused)
        waits.insert(pause, at: 0)
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
