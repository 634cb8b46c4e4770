import Domain
import Foundation
import Infobip

extension ReportProcessor.Report {
    /// Maps a delivery report, or returns `nil` for a status group WabaRouter does not know.
    ///
    /// Group 1 (PENDING) is SENT. Group 3 (DELIVERED) is DELIVERED for status 5,
    /// DELIVERED_TO_HANDSET; the other id of that group, 2 DELIVERED_TO_OPERATOR, is an
    /// intermediate step that may be followed by another report, so it counts as SENT.
    /// Groups 2, 4 and 5 (UNDELIVERABLE, EXPIRED, REJECTED) are FAILED.
    init?(delivery report: DeliveryReport) {
        let status: MessageStatus
        var cause: FailureCause?
        switch report.status.groupId {
        case 1:
            status = .sent
        case 3:
            status = report.status.id == 2 ? .sent : .delivered
        case 2, 4, 5:
            status = .failed
            cause = FailureClassifier.classify(
                groupId: report.status.groupId,
                statusId: report.status.id,
                errorId: report.error?.id
            )
        default:
            return nil
        }
        var detail: [String: JSONValue] = [
            "statusGroup": .string(report.status.groupName),
            "statusName": .string(report.status.name),
        ]
        if let error = report.error, error.id != 0 {
            detail["errorId"] = .number(Double(error.id))
            detail["errorName"] = error.name.map(JSONValue.string) ?? .null
            detail["permanent"] = error.permanent.map(JSONValue.bool) ?? .null
        }
        if let cause {
            detail["cause"] = .string(cause.rawValue)
        }
        self.init(
            infobipMessageID: report.messageId,
            status: status,
            cause: cause,
            source: "delivery-report",
            occurredAt: report.doneAt ?? report.sentAt,
            detail: .object(detail)
        )
    }

    init(seen report: SeenReport) {
        self.init(
            infobipMessageID: report.messageId,
            status: .seen,
            cause: nil,
            source: "seen-report",
            occurredAt: report.seenAt,
            detail: .object([:])
        )
    }
}
