import Foundation
import HTTPServer

extension InfobipSimulator {
    /// Maximum field paths named in the log line of a rejected request. The rest are only
    /// counted, so a request with errors in every message still logs one short line.
    static let maxLoggedFields = 10

    /// Handles `POST /whatsapp/1/message/template`: validates the body, applies the senders'
    /// behaviours, returns one entry per message in request order and schedules reports.
    ///
    /// - Parameter document: The request body parsed as JSON, nil when it is not JSON.
    func sendTemplateMessages(_ document: JSONValue?) async -> HTTPResponse {
        ledger.recordTemplateRequest()
        guard let body = document?.objectValue else {
            logger.info("template request rejected: body is not a JSON object")
            return .json(400, LegacyErrorBody.badRequest())
        }

        let parsed: TemplateSendRequest
        switch TemplateSendValidator.validate(body) {
        case .success(let valid):
            parsed = valid
        case .failure(let errors):
            logger.info(
                "template request rejected: validation failed",
                [
                    "fields": errors.paths.prefix(Self.maxLoggedFields).joined(separator: ","),
                    "fieldCount": String(errors.paths.count),
                ]
            )
            return .json(400, LegacyErrorBody.badRequest(errors))
        }

        // Counted before any behaviour applies, so a request that then waits (`hang`) or fails
        // as a whole still shows when it arrived.
        let senderNumbers = parsed.messages.map(\.from)
        senderTraffic.recordRequest(senders: senderNumbers)
        if let behavior = senders.takeWholeRequestBehavior(senders: senderNumbers) {
            if let response = wholeRequestResponse(behavior) {
                await hang(seconds: behavior.delaySeconds)
                return response
            }
            // Only `hang` lets the request go on, after its wait. The request's one info line
            // is written with its response, so this line is at debug level.
            logger.debug("template request hanging", ["seconds": String(behavior.hangSeconds)])
            await hang(seconds: behavior.hangSeconds)
        }
        return acceptMessages(parsed)
    }

    /// Waits `seconds`, or less once ``shutdown()`` was called, so a hanging request never
    /// holds up the server's stop.
    private func hang(seconds: Double) async {
        let deadline = ContinuousClock.now + .milliseconds(Int((seconds * 1000).rounded()))
        while ContinuousClock.now < deadline
            && !isShutDown.load(ordering: .sequentiallyConsistent)
        {
            do {
                try await Task.sleep(for: min(.milliseconds(50), deadline - .now))
            } catch {
                return
            }
        }
    }

    /// Returns the response of a whole-request behaviour, or nil for `hang`, which lets the
    /// request go on after its wait.
    private func wholeRequestResponse(_ behavior: SenderBehavior) -> HTTPResponse? {
        switch behavior.kind {
        case .unauthorized:
            logger.info("template request failed by sender behaviour", ["status": "401"])
            return .json(401, LegacyErrorBody.unauthorized)
        case .tooManyRequests:
            var headers = HTTPHeaders()
            if let seconds = behavior.retryAfterSeconds {
                headers.add(name: "Retry-After", value: String(seconds))
            }
            logger.info("template request failed by sender behaviour", ["status": "429"])
            return .json(429, LegacyErrorBody.tooManyRequests, headers: headers)
        case .serverError:
            logger.info("template request failed by sender behaviour", ["status": "500"])
            return .json(500, LegacyErrorBody.generalError)
        default:
            return nil
        }
    }

    private func acceptMessages(_ request: TemplateSendRequest) -> HTTPResponse {
        let bulkId = request.bulkId.flatMap { $0.isEmpty ? nil : $0 } ?? Self.generatedBulkId()
        let start = ContinuousClock.now
        let sentAt = Date()
        var entries: [JSONValue] = []
        var reports: [PlannedReport] = []
        var acceptedCount = 0
        for message in request.messages {
            let messageId =
                message.messageId.flatMap { $0.isEmpty ? nil : $0 }
                ?? UUID().uuidString.lowercased()
            let status: JSONValue
            if ledger.isDuplicate(messageId) {
                status = MessageStatus.rejectedDuplicateMessageId
            } else {
                let behavior = senders.takeMessageBehavior(sender: message.from)
                switch behavior.kind {
                case .senderFault:
                    status = MessageStatus.rejectedSender
                case .recipientFault:
                    status = MessageStatus.rejectedDestination
                default:
                    // accept, undeliverable, and the messages of a `hang` sender after its wait.
                    guard ledger.recordAccepted(messageId) else {
                        status = MessageStatus.rejectedDuplicateMessageId
                        break
                    }
                    status = MessageStatus.pendingEnroute
                    acceptedCount += 1
                    reports += plannedReports(
                        for: message,
                        messageId: messageId,
                        bulkId: bulkId,
                        sentAt: sentAt,
                        behavior: behavior
                    )
                }
            }
            entries.append([
                "to": .string(message.to),
                "messageCount": 1,
                "messageId": .string(messageId),
                "status": status,
            ])
        }
        dispatcher.schedule(reports, from: start)
        logger.info(
            "template request accepted",
            [
                "bulkId": bulkId, "messages": String(request.messages.count),
                "accepted": String(acceptedCount), "reports": String(reports.count),
            ]
        )
        return .json(200, ["messages": .array(entries), "bulkId": .string(bulkId)])
    }

    private func plannedReports(
        for message: TemplateSendRequest.Message,
        messageId: String,
        bulkId: String,
        sentAt: Date,
        behavior: SenderBehavior
    ) -> [PlannedReport] {
        guard let notifyUrl = message.notifyUrl, !notifyUrl.isEmpty else { return [] }
        let reportKinds: [SenderBehavior.Report] =
            behavior.kind == .undeliverable ? [.undeliverable] : behavior.reports
        let delay = behavior.reportDelayMilliseconds ?? configuration.reportDelayMilliseconds
        return PlannedReport.plan(
            for: PlannedReport.Message(
                bulkId: bulkId,
                messageId: messageId,
                from: message.from,
                to: message.to,
                notifyUrl: notifyUrl,
                sentAt: sentAt
            ),
            reports: reportKinds,
            delay: .milliseconds(delay)
        )
    }

    /// Generates a 19-digit numeric id, the form of the `bulkId`s in Infobip's examples.
    private static func generatedBulkId() -> String {
        let first = String(Int.random(in: 1...9))
        return first + (0..<18).map { _ in String(Int.random(in: 0...9)) }.joined()
    }
}
