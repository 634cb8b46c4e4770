import Foundation
import Testing

@testable import InfobipSimulator

@Suite struct ReportPlanningTests {
    let message = PlannedReport.Message(
        bulkId: "BULK-1",
        messageId: "message-1",
        from: "441134960000",
        to: "441134960001",
        notifyUrl: "http://127.0.0.1:9/reports",
        sentAt: Date(timeIntervalSince1970: 1_700_000_000.123)
    )

    @Test func reportsAreSpacedByDelay() {
        let reports = PlannedReport.plan(
            for: message,
            reports: [.delivered, .seen],
            delay: .milliseconds(250)
        )
        #expect(reports.count == 2)
        #expect(reports.map(\.due) == [.milliseconds(250), .milliseconds(500)])
        #expect(reports.map(\.payload) == [.delivery, .seen])
        #expect(reports.allSatisfy { $0.url == "http://127.0.0.1:9/reports" })
    }

    @Test func deliveryResultHasInfobipFields() throws {
        let report = try #require(
            PlannedReport.plan(for: message, reports: [.delivered], delay: .seconds(1)).first
        )
        let expected: JSONValue = [
            "bulkId": "BULK-1",
            "price": ["pricePerMessage": 0, "currency": "EUR"],
            "status": [
                "id": 5, "groupId": 3, "groupName": "DELIVERED", "name": "DELIVERED_TO_HANDSET",
                "description": "Message delivered to handset",
            ],
            "error": [
                "id": 0, "name": "NO_ERROR", "description": "No Error", "groupId": 0,
                "groupName": "OK", "permanent": false,
            ],
            "messageId": "message-1",
            "doneAt": "2023-11-14T22:13:21.123+0000",
            "messageCount": 1,
            "sentAt": "2023-11-14T22:13:20.123+0000",
            "to": "441134960001",
        ]
        #expect(report.result == expected)
    }

    @Test func seenResultHasInfobipFields() throws {
        let report = try #require(
            PlannedReport.plan(for: message, reports: [.seen], delay: .milliseconds(500)).first
        )
        let expected: JSONValue = [
            "messageId": "message-1",
            "from": "441134960000",
            "to": "441134960001",
            "sentAt": "2023-11-14T22:13:20.123+0000",
            "seenAt": "2023-11-14T22:13:20.623+0000",
        ]
        #expect(report.result == expected)
    }

    @Test func undeliverableResultCarriesError() throws {
        let report = try #require(
            PlannedReport.plan(for: message, reports: [.undeliverable], delay: .seconds(1)).first
        )
        #expect(report.payload == .delivery)
        #expect(report.result["status"] == MessageStatus.undeliverableNotDelivered)
        #expect(report.result["error"] == MessageStatus.unknownUser)
    }

    @Test func rateLimitedResultCarriesError() throws {
        let report = try #require(
            PlannedReport.plan(for: message, reports: [.rateLimited], delay: .seconds(1)).first
        )
        let expectedError: JSONValue = [
            "id": 7017, "name": "EC_TOO_MANY_REQUESTS",
            "description": "The number of requests has exceeded the allowed limit", "groupId": 1,
            "groupName": "HANDSET_ERRORS", "permanent": false,
        ]
        #expect(report.payload == .delivery)
        #expect(report.result["status"] == MessageStatus.undeliverableNotDelivered)
        #expect(report.result["error"] == expectedError)
        #expect(report.result["messageId"] == "message-1")
        #expect(report.result["doneAt"] == "2023-11-14T22:13:21.123+0000")
    }

    @Test func loopbackRuleAcceptsOnlyLoopback() throws {
        let allowed = [
            "http://127.0.0.1:8080/reports", "https://localhost/x", "http://LOCALHOST:1",
            "http://[::1]:9000/reports",
        ]
        let rejected = [
            "https://www.example.com/whatsapp", "http://127.0.0.2/",
            "http://localhost.example.com/",
            "http://127.0.0.1@example.com/", "ftp://127.0.0.1/", "http://169.254.169.254/",
            "http://10.0.0.1/",
        ]
        for text in allowed {
            #expect(LoopbackAddress.allows(try #require(URL(string: text))), "\(text)")
        }
        for text in rejected {
            #expect(!LoopbackAddress.allows(try #require(URL(string: text))), "\(text)")
        }
    }

    @Test func timestampsUseInfobipForm() {
        let date = Date(timeIntervalSince1970: 1_704_067_200)
        #expect(InfobipTimestamp.offsetForm(date) == "2024-01-01T00:00:00.000+0000")
        #expect(InfobipTimestamp.zuluForm(date) == "2024-01-01T00:00:00.000Z")
    }
}
