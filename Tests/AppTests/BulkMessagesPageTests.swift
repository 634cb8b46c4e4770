import Foundation
import TestSupport
import Testing

/// `GET /bulks/{id}/messages`: pages in recipient order that together list every message
/// once, a status filter, and a 400 naming the query parameter at fault.
@Suite struct BulkMessagesPageTests {
    static let sender = "447700800001"

    /// Sends a bulk of 20 recipients, in shuffled order, whose first 5 items the simulator
    /// rejects for their recipient, and returns the bulk's id and the recipients in order
    /// once every message is SENT or FAILED.
    static func sendMixedBulk(_ scenario: Scenario) async throws -> (String, [String]) {
        try await scenario.addSender(sender, messagesPerSecond: 1_000)
        try await scenario.simulator.configureSender(
            sender,
            ["behavior": "recipientFault", "times": 5, "reports": []]
        )
        try await scenario.addTemplate()
        let recipients = Scenario.recipients(20)
        let bulkID = try await scenario.startBulk(to: recipients.shuffled())
        let view = try await scenario.waitForBulkDone(bulkID)
        #expect(Scenario.count(view, "FAILED") == 5)
        #expect(Scenario.count(view, "SENT") == 15)
        return (bulkID, recipients)
    }

    static func page(_ scenario: Scenario, _ bulkID: String, _ query: String) async throws
        -> TestResponse
    {
        try await scenario.client.send("GET", "/bulks/\(bulkID)/messages?\(query)", body: nil)
    }

    @Test func cursorPagesListEveryMessageOnce() async throws {
        try await Scenario.run { scenario in
            let (bulkID, recipients) = try await Self.sendMixedBulk(scenario)

            var listed: [String] = []
            var sizes: [Int] = []
            var query = "limit=7"
            for _ in 0..<10 {
                let response = try await Self.page(scenario, bulkID, query)
                #expect(response.status == 200)
                let messages = response.json[objects: "messages"]
                sizes.append(messages.count)
                listed += messages.compactMap { $0[string: "to"] }
                guard let cursor = response.json[string: "nextCursor"] else { break }
                query = "limit=7&cursor=\(cursor)"
            }

            #expect(sizes == [7, 7, 6])
            #expect(listed == recipients)
        }
    }

    @Test func statusFilterSelectsMessages() async throws {
        try await Scenario.run { scenario in
            let (bulkID, recipients) = try await Self.sendMixedBulk(scenario)

            let failed = try await Self.page(scenario, bulkID, "status=FAILED")
            let sent = try await Self.page(scenario, bulkID, "status=SENT")
            let queued = try await Self.page(scenario, bulkID, "status=QUEUED")

            let failedMessages = failed.json[objects: "messages"]
            #expect(failedMessages.count == 5)
            #expect(failedMessages.allSatisfy { $0[string: "status"] == "FAILED" })
            #expect(failedMessages.allSatisfy { $0[string: "failureReason"] != nil })
            let sentMessages = sent.json[objects: "messages"]
            #expect(sentMessages.count == 15)
            #expect(sentMessages.allSatisfy { $0[string: "status"] == "SENT" })
            #expect(sentMessages.allSatisfy { $0[string: "senderId"] != nil })
            let both = (failedMessages + sentMessages).compactMap { $0[string: "to"] }
            #expect(both.sorted() == recipients)
            #expect(queued.json[objects: "messages"].isEmpty)
            #expect(queued.json["nextCursor"] == nil)
        }
    }

    @Test func badQueryNamesParameter() async throws {
        try await Scenario.run { scenario in
            try await scenario.addSender(Self.sender, messagesPerSecond: 1_000)
            try await scenario.addTemplate()
            let bulkID = try await scenario.startBulk(to: Scenario.recipients(2))
            let instance = "/bulks/\(bulkID)/messages"
            func invalid(_ field: String, _ detail: String) -> [String: Any] {
                [
                    "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
                    "detail": detail, "field": field, "instance": instance,
                ]
            }

            expectProblem(
                try await Self.page(scenario, bulkID, "status=DONE"),
                status: 400,
                invalid(
                    "status",
                    "status 'DONE' is not one of QUEUED, SENDING, SENT, DELIVERED, SEEN, FAILED, "
                        + "EXPIRED, CANCELLED."
                )
            )
            expectProblem(
                try await Self.page(scenario, bulkID, "cursor=*"),
                status: 400,
                invalid(
                    "cursor",
                    "cursor '*' is not a cursor from this endpoint. Pass the nextCursor of the "
                        + "previous page, or leave it out for the first page."
                )
            )
            for limit in ["0", "1001", "ten"] {
                expectProblem(
                    try await Self.page(scenario, bulkID, "limit=\(limit)"),
                    status: 400,
                    invalid("limit", "limit '\(limit)' must be a whole number from 1 to 1000.")
                )
            }
            let missing = try await Self.page(scenario, UUID().uuidString.lowercased(), "")
            #expect(missing.status == 404)
        }
    }
}
