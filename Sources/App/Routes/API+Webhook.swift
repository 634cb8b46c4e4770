import Domain
import Foundation
import HTTPServer
import Infobip
import Logging

extension API {
    /// Receives what Infobip posts: delivery reports, seen reports, inbound messages and
    /// template update events.
    ///
    /// Every item of a `results` array is processed on its own. An item for an unknown message,
    /// with an unknown status or that cannot be read is logged and skipped, and the response is
    /// still 200, because Infobip would otherwise post the whole batch again. A database failure
    /// answers 5xx instead, so Infobip posts the batch again; repeated reports change nothing.
    func receiveWebhook(_ context: RequestContext) async throws -> HTTPResponse {
        let webhook: InfobipWebhook
        do {
            webhook = try InfobipWebhook.parse(context.request.body)
        } catch let error as InfobipError where error.code == .invalidJSON {
            throw Problem(
                .malformedJSON,
                status: 400,
                title: "Malformed JSON",
                detail: "The request body is not valid JSON. Send a JSON object with "
                    + "Content-Type: application/json."
            )
        } catch {
            context.logger.warning(
                "webhook body of an unknown shape skipped",
                ["error": String(describing: error), "bytes": String(context.request.body.count)]
            )
            return JSONResponse.make(ReportProcessor.Summary(received: 0, skipped: 1))
        }
        var summary = ReportProcessor.Summary()
        switch webhook {
        case .deliveryReports(let items):
            summary = try await apply(
                items.map { $0.map { ReportProcessor.Report(delivery: $0) } },
                logger: context.logger
            )
        case .seenReports(let items):
            summary = try await apply(
                items.map { $0.map { ReportProcessor.Report(seen: $0) } },
                logger: context.logger
            )
        case .inboundMessages(let items):
            summary = try await recordInbound(items, logger: context.logger)
        case .templateUpdate(let event):
            summary.received = 1
            let changed = try await applyTemplateUpdate(event)
            if changed {
                summary.applied = 1
            } else {
                summary.skipped = 1
            }
            context.logger.info(
                "template update event received",
                [
                    "templateId": event.templateId, "change": event.changeType,
                    "applied": String(changed),
                ]
            )
        }
        return JSONResponse.make(summary)
    }

    /// Applies the readable items in one transaction and logs one line for the call, with
    /// the first few ids of items it skipped, so a flood of bad items cannot flood the log.
    private func apply(
        _ items: [ItemResult<ReportProcessor.Report?>],
        logger: Logger
    ) async throws -> ReportProcessor.Summary {
        var summary = ReportProcessor.Summary(received: items.count)
        var reports: [ReportProcessor.Report] = []
        var unreadable: [String] = []
        for item in items {
            switch item {
            case .invalid(let index, let reason):
                unreadable.append("\(index): \(reason)")
            case .parsed(nil):
                unreadable.append("unknown status")
            case .parsed(let report?):
                if report.infobipMessageID.utf8.contains(0) {
                    // PostgreSQL text cannot hold U+0000, and no message id contains it.
                    unreadable.append("messageId contains U+0000")
                } else {
                    reports.append(report)
                }
            }
        }
        summary.skipped = unreadable.count

        let outcomes = reports.isEmpty ? [] : try await self.reports.apply(reports)
        var unknown: [String] = []
        for (report, outcome) in zip(reports, outcomes) {
            switch outcome {
            case .applied, .requeued: summary.applied += 1
            case .ignored: summary.ignored += 1
            case .unknownMessage:
                summary.skipped += 1
                unknown.append(report.infobipMessageID)
            }
        }
        var metadata = [
            "received": String(summary.received), "applied": String(summary.applied),
            "ignored": String(summary.ignored), "skipped": String(summary.skipped),
        ]
        if !unknown.isEmpty {
            metadata["unknownMessageIds"] = unknown.prefix(10).joined(separator: ",")
        }
        if !unreadable.isEmpty {
            metadata["unreadableItems"] = unreadable.prefix(10).joined(separator: "; ")
        }
        if summary.skipped > 0 {
            logger.warning("reports applied, some items skipped", metadata)
        } else {
            logger.info("reports applied", metadata)
        }
        return summary
    }

    /// Opens the customer-service window of each inbound message's sender and user, so that
    /// templates sent inside it do not count against the portfolio's messaging limit, and
    /// releases the user's messages that the limit kept back.
    private func recordInbound(
        _ items: [ItemResult<InboundMessage>],
        logger: Logger
    ) async throws -> ReportProcessor.Summary {
        var summary = ReportProcessor.Summary(received: items.count)
        var senders: [String] = []
        var users: [String] = []
        var instants: [Date] = []
        for item in items {
            guard case .parsed(let message) = item,
                let user = try? PhoneNumber(parsing: message.from),
                let sender = try? PhoneNumber(parsing: message.to)
            else {
                summary.skipped += 1
                continue
            }
            senders.append(sender.digits)
            users.append(user.digits)
            instants.append(message.receivedAt ?? Date())
        }
        let (senderNumbers, userNumbers, receivedAt) = (senders, users, instants)
        let (opened, released) = try await pool.withTransaction { connection in
            let opened = try ReachStore.recordInbound(
                connection,
                senderNumbers: senderNumbers,
                users: userNumbers,
                receivedAt: receivedAt
            )
            let released = try ReachStore.releaseHeldMessages(
                connection,
                senderNumbers: senderNumbers,
                users: userNumbers
            )
            for wabaID in released.wabaIDs {
                try connection.execute("SELECT notify_queue(\(wabaID))")
            }
            return (opened, released.messages)
        }
        summary.applied = senders.count
        logger.info(
            "inbound messages received",
            [
                "count": String(items.count), "windowsOpened": String(opened),
                "heldMessagesReleased": String(released), "skipped": String(summary.skipped),
            ]
        )
        return summary
    }

    private func applyTemplateUpdate(_ event: TemplateUpdateEvent) async throws -> Bool {
        guard let status = event.newStatus else { return false }
        let count = try await pool.withConnection { connection in
            try TemplateStore.updateStatus(
                connection,
                infobipID: event.templateId,
                name: event.templateName,
                language: event.language,
                status: status
            )
        }
        return count > 0
    }
}

extension ItemResult {
    /// Transforms a parsed item and keeps an invalid one as it is.
    func map<U: Sendable>(_ transform: (T) -> U) -> ItemResult<U> {
        switch self {
        case .parsed(let value): .parsed(transform(value))
        case .invalid(let index, let reason): .invalid(index: index, reason: reason)
        }
    }
}
