import Foundation

/// One report of one accepted message, with the time it is due after acceptance.
struct PlannedReport: Sendable {
    /// Delivery reports and seen reports have different shapes, so they never share a POST.
    enum Payload: String, Sendable {
        case delivery
        case seen
    }

    /// An accepted message that reports follow.
    struct Message: Sendable {
        var bulkId: String
        var messageId: String
        var from: String
        var to: String
        var notifyUrl: String
        var sentAt: Date
    }

    var due: Duration
    var url: String
    var payload: Payload
    /// One element of the report body's `results`.
    var result: JSONValue

    /// Plans the reports of `message`: the first `delay` after acceptance and each further one
    /// `delay` after the previous.
    static func plan(
        for message: Message,
        reports: [SenderBehavior.Report],
        delay: Duration
    ) -> [PlannedReport] {
        reports.enumerated().map { index, report in
            let due = delay * (index + 1)
            let doneAt = message.sentAt.addingTimeInterval(due.timeInterval)
            switch report {
            case .delivered:
                return PlannedReport(
                    due: due,
                    url: message.notifyUrl,
                    payload: .delivery,
                    result: deliveryResult(
                        message,
                        status: MessageStatus.deliveredToHandset,
                        error: MessageStatus.noError,
                        doneAt: doneAt
                    )
                )
            case .undeliverable:
                return PlannedReport(
                    due: due,
                    url: message.notifyUrl,
                    payload: .delivery,
                    result: deliveryResult(
                        message,
                        status: MessageStatus.undeliverableNotDelivered,
                        error: MessageStatus.unknownUser,
                        doneAt: doneAt
                    )
                )
            case .rateLimited:
                return PlannedReport(
                    due: due,
                    url: message.notifyUrl,
                    payload: .delivery,
                    result: deliveryResult(
                        message,
                        status: MessageStatus.undeliverableNotDelivered,
                        error: MessageStatus.tooManyRequests,
                        doneAt: doneAt
                    )
                )
            case .seen:
                return PlannedReport(
                    due: due,
                    url: message.notifyUrl,
                    payload: .seen,
                    result: [
                        "messageId": .string(message.messageId),
                        "from": .string(message.from),
                        "to": .string(message.to),
                        "sentAt": .string(InfobipTimestamp.offsetForm(message.sentAt)),
                        "seenAt": .string(InfobipTimestamp.offsetForm(doneAt)),
                    ]
                )
            }
        }
    }

    /// Builds a `results` element of Infobip's WhatsApp delivery report webhook.
    ///
    /// The price is a fixed zero in EUR: the simulator does not bill.
    private static func deliveryResult(
        _ message: Message,
        status: JSONValue,
        error: JSONValue,
        doneAt: Date
    ) -> JSONValue {
        [
            "bulkId": .string(message.bulkId),
            "price": ["pricePerMessage": 0, "currency": "EUR"],
            "status": status,
            "error": error,
            "messageId": .string(message.messageId),
            "doneAt": .string(InfobipTimestamp.offsetForm(doneAt)),
            "messageCount": 1,
            "sentAt": .string(InfobipTimestamp.offsetForm(message.sentAt)),
            "to": .string(message.to),
        ]
    }
}

extension Duration {
    /// The duration in seconds, as Foundation's `TimeInterval`.
    var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
