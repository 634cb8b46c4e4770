import Foundation
import TestSupport
import Testing

/// Builds Infobip delivery report items the way Infobip posts them.
enum Reports {
    static func delivered(_ messageID: String, doneAt: String = "2019-11-09T16:00:00.000+0000")
        -> [String: Any]
    {
        item(
            messageID,
            status: [
                "groupId": 3, "groupName": "DELIVERED", "id": 5, "name": "DELIVERED_TO_HANDSET",
                "description": "Message delivered to handset",
            ],
            error: [
                "groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR", "permanent": false,
            ],
            doneAt: doneAt
        )
    }

    static func undeliverable(_ messageID: String, errorID: Int, errorName: String) -> [String: Any]
    {
        item(
            messageID,
            status: [
                "groupId": 2, "groupName": "UNDELIVERABLE", "id": 9,
                "name": "UNDELIVERABLE_NOT_DELIVERED",
            ],
            error: [
                "groupId": 1, "groupName": "HANDSET_ERRORS", "id": errorID, "name": errorName,
                "permanent": true,
            ],
            doneAt: "2019-11-09T16:00:01.000+0000"
        )
    }

    static func seen(_ messageID: String) -> [String: Any] {
        [
            "messageId": messageID, "from": "447700900001", "to": "447700900002",
            "sentAt": "2019-11-09T16:00:00.000+0000", "seenAt": "2019-11-09T16:05:00.000+0000",
        ]
    }

    static func item(
        _ messageID: String,
        status: [String: Any],
        error: [String: Any],
        doneAt: String
    ) -> [String: Any] {
        [
            "bulkId": "", "messageId": messageID, "to": "447700900001",
            "sentAt": "2019-11-09T15:59:59.000+0000", "doneAt": doneAt, "messageCount": 1,
            "price": ["pricePerMessage": 0, "currency": "EUR"], "status": status, "error": error,
        ]
    }
}

@Suite struct WebhookTests {
    /// A scenario whose sender gets no reports from the simulator, so the test posts its own.
    func withQuietScenario(_ body: (Scenario, String) async throws -> Void) async throws {
        try await withScenario { scenario in
            let number = Scenario.randomNumber()
            let senderID = try await scenario.addSender(number, quality: "MEDIUM")
            try await scenario.simulator.configureSender(
                number,
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addTemplate()
            try await body(scenario, senderID)
        }
    }

    func post(_ scenario: Scenario, _ results: [[String: Any]]) async throws -> TestResponse {
        try await scenario.server.anonymousClient().send(
            "POST",
            "/webhooks/infobip",
            json: ["results": results]
        )
    }

    func sendMessage(_ scenario: Scenario) async throws -> String {
        let response = try await scenario.send()
        return try #require(response.json[string: "id"])
    }

    @Test func everyItemOfMultiItemReportApplied() async throws {
        try await withQuietScenario { scenario, _ in
            var ids: [String] = []
            for _ in 0..<3 {
                ids.append(try await sendMessage(scenario))
            }
            var unknownStatus = Reports.delivered(ids[0])
            unknownStatus["status"] = ["groupId": 99, "groupName": "NEW", "id": 999, "name": "NEW"]
            let items =
                ids.map { Reports.delivered($0) }
                + [Reports.delivered(UUID().uuidString.lowercased()), unknownStatus]

            let response = try await post(scenario, items)
            #expect(response.status == 200)
            #expect(response.json["received"] as? Int == 5)
            #expect(response.json["applied"] as? Int == 3)
            #expect(response.json["skipped"] as? Int == 2)
            for id in ids {
                let message = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
                #expect(message.json[string: "status"] == "DELIVERED")
            }
        }
    }

    @Test func reportTimestampParsedToInstant() async throws {
        try await withQuietScenario { scenario, _ in
            let id = try await sendMessage(scenario)
            _ = try await post(
                scenario,
                [Reports.delivered(id, doneAt: "2019-11-09T13:00:00.250-0300")]
            )

            let message = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
            let delivered = message.json[objects: "history"].first {
                $0[string: "status"] == "DELIVERED"
            }
            #expect(delivered?[string: "occurredAt"] == "2019-11-09T16:00:00.250Z")
        }
    }

    @Test func outOfOrderReportsKeepForwardStatus() async throws {
        try await withQuietScenario { scenario, senderID in
            let id = try await sendMessage(scenario)
            let seen = try await scenario.server.anonymousClient().send(
                "POST",
                "/webhooks/infobip",
                json: ["results": [Reports.seen(id)]]
            )
            #expect(seen.json["applied"] as? Int == 1)
            let late = try await post(scenario, [Reports.delivered(id)])
            #expect(late.json["ignored"] as? Int == 1)

            let message = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
            #expect(message.json[string: "status"] == "SEEN")
            let history = message.json[objects: "history"]
            let entries = history.map {
                "\($0[string: "status"] ?? "") \($0["applied"] as? Bool ?? false)"
            }
            #expect(entries == ["QUEUED true", "SENT true", "SEEN true", "DELIVERED false"])
            let row = try await sender(scenario, id: senderID)
            #expect(row["score"] as? Int == 56)
        }
    }

    /// Ten copies of one seen report and ten of its delivery report, all at once: one final
    /// status, and the score moves once.
    @Test func concurrentRepeatedReportsApplyOnce() async throws {
        try await withQuietScenario { scenario, senderID in
            let id = try await sendMessage(scenario)
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    let item = index.isMultiple(of: 2) ? Reports.seen(id) : Reports.delivered(id)
                    let data = try JSONSerialization.data(withJSONObject: ["results": [item]])
                    group.addTask {
                        try await scenario.server.anonymousClient().send(
                            "POST",
                            "/webhooks/infobip",
                            body: data,
                            headers: ["Content-Type": "application/json"]
                        ).json["applied"] as? Int ?? 0
                    }
                }
                var total = 0
                for try await count in group {
                    total += count
                }
                return total
            }
            #expect(applied >= 1)
            #expect(applied <= 2)

            let message = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
            #expect(message.json[string: "status"] == "SEEN")
            let seenEntries = message.json[objects: "history"].filter {
                $0[string: "status"] == "SEEN"
            }
            #expect(seenEntries.count == 10)
            #expect(seenEntries.filter { $0["applied"] as? Bool == true }.count == 1)
            let row = try await sender(scenario, id: senderID)
            #expect(row["score"] as? Int == 56)
        }
    }

    @Test func failedReportLowersScoreByCause() async throws {
        try await withQuietScenario { scenario, senderID in
            let recipientFailure = try await sendMessage(scenario)
            let senderFailure = try await sendMessage(scenario)
            let response = try await post(
                scenario,
                [
                    Reports.undeliverable(
                        recipientFailure,
                        errorID: 7002,
                        errorName: "EC_UNKNOWN_USER"
                    ),
                    Reports.undeliverable(
                        senderFailure,
                        errorID: 7034,
                        errorName: "EC_SENDER_NOT_REGISTERED"
                    ),
                ]
            )
            #expect(response.json["applied"] as? Int == 2)

            let first = try await scenario.client.send(
                "GET",
                "/messages/\(recipientFailure)",
                body: nil
            )
            #expect(first.json[string: "status"] == "FAILED")
            #expect((first.json[string: "failureReason"] ?? "").contains("EC_UNKNOWN_USER"))
            let row = try await sender(scenario, id: senderID)
            #expect(row["score"] as? Int == 44)
        }
    }

    @Test func failureAfterDeliveryIgnored() async throws {
        try await withQuietScenario { scenario, senderID in
            let id = try await sendMessage(scenario)
            _ = try await post(scenario, [Reports.delivered(id)])
            let late = try await post(
                scenario,
                [Reports.undeliverable(id, errorID: 7002, errorName: "EC_UNKNOWN_USER")]
            )
            #expect(late.json["ignored"] as? Int == 1)
            let message = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
            #expect(message.json[string: "status"] == "DELIVERED")
            let row = try await sender(scenario, id: senderID)
            #expect(row["score"] as? Int == 55)
        }
    }

    /// After a fallback, a late report about the rejected first attempt must not fail the
    /// message that the second sender carries.
    @Test func reportForSupersededAttemptIgnored() async throws {
        try await withScenario { scenario in
            let faulty = Scenario.randomNumber()
            let healthy = Scenario.randomNumber()
            try await scenario.addSender(faulty, quality: "HIGH")
            try await scenario.addSender(healthy, quality: "LOW")
            try await scenario.simulator.configureSender(faulty, ["behavior": "senderFault"])
            try await scenario.simulator.configureSender(
                healthy,
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addTemplate()
            let response = try await scenario.send()
            let id = try #require(response.json[string: "id"])
            let firstAttemptID = try #require(
                response.json[objects: "attempts"].first?[string: "infobipMessageId"]
            )

            let late = try await post(
                scenario,
                [
                    Reports.undeliverable(
                        firstAttemptID,
                        errorID: 7034,
                        errorName: "EC_SENDER_NOT_REGISTERED"
                    )
                ]
            )
            #expect(late.json["ignored"] as? Int == 1)
            let message = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
            #expect(message.json[string: "status"] == "SENT")
        }
    }

    @Test func malformedWebhookBodyRejected() async throws {
        try await withScenario { scenario in
            let response = try await scenario.server.anonymousClient().send(
                "POST",
                "/webhooks/infobip",
                body: Data("{\"results\": [".utf8),
                headers: ["Content-Type": "application/json"]
            )
            #expect(response.status == 400)
            #expect(response.json[string: "type"] == "urn:wabarouter:problem:malformed-json")
        }
    }
}
