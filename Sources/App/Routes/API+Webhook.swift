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
        _ = try JSONValue.parse(context.request.body)
        let webhook: InfobipWebhook
        do {
            webhook = try InfobipWebhook.parse(context.request.body)
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
            for item in items {
                let report = item.map { ReportProcessor.Report(delivery: $0) }
                try await apply(report, to: &summary, logger: context.logger)
            }
        case .seenReports(let items):
            for item in items {
                try await apply(
                    item.map { ReportProcessor.Report(seen: $0) },
                    to: &summary,
                    logger: context.logger
                )
            }
        case .inboundMessages(let items):
            summary.received = items.count
            summary.skipped = items.count
            // TODO: inbound messages open the recipient's 24-hour customer-service window; record
            // them once per-portfolio reach is counted.
            context.logger.info("inbound messages received", ["count": String(items.count)])
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

    private func apply(
        _ item: ItemResult<ReportProcessor.Report?>,
        to summary: inout ReportProcessor.Summary,
        logger: Logger
    ) async throws {
        summary.received += 1
        switch item {
        case .invalid(let index, let reason):
            summary.skipped += 1
            logger.warning("report item unreadable", ["index": String(index), "reason": reason])
        case .parsed(nil):
            summary.skipped += 1
            logger.warning("report item with an unknown status skipped")
        case .parsed(let report?):
            let itemLogger = logger.with("infobipMessageId", report.infobipMessageID)
            switch try await reports.apply(report) {
            case .applied:
                summary.applied += 1
                itemLogger.info("report applied", ["status": report.status.rawValue])
            case .ignored:
                summary.ignored += 1
                itemLogger.info("report kept without change", ["status": report.status.rawValue])
            case .unknownMessage:
                summary.skipped += 1
                itemLogger.warning("report for an unknown message skipped")
            }
        }
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
