import Foundation
import TestSupport
import Testing

@Suite struct EndToEndTests {
    /// The README's walk-through: WABA, two senders, a template, a send, then Infobip's
    /// delivery and seen reports arriving from the simulator.
    @Test func sendReachesSeenThroughReports() async throws {
        // Reports come 1.5 s apart, so even a slow send on a loaded machine stores SENT before
        // the delivery report arrives and the history order is the one a client sees live.
        try await withScenario(simulatorArguments: ["--report-delay-ms", "1500"]) { scenario in
            let first = Scenario.randomNumber()
            let second = Scenario.randomNumber()
            try await scenario.addSender(first)
            try await scenario.addSender(second, quality: "MEDIUM")
            try await scenario.addTemplate()

            let response = try await scenario.send()
            #expect(response.status == 201)
            let messageID = try #require(response.json[string: "id"])
            #expect(response.json[string: "status"] == "SENT")
            #expect(response.json[object: "sender"][string: "number"] == first)
            #expect(response.header("Location") == "/messages/\(messageID)")

            let seen = try await scenario.waitForStatus(messageID, "SEEN")
            #expect(seen[string: "status"] == "SEEN")
            // The simulator posts a report again when the webhook responds slowly, as Infobip
            // does, and a repeat is kept in the history without being applied.
            let history = seen[objects: "history"]
            let applied = history.filter { $0["applied"] as? Bool == true }
            #expect(
                applied.map { $0[string: "status"] ?? "" } == [
                    "QUEUED", "SENT", "DELIVERED", "SEEN",
                ]
            )
            let repeats = history.filter { $0["applied"] as? Bool == false }
            #expect(repeats.allSatisfy { ["DELIVERED", "SEEN"].contains($0[string: "status"]) })

            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.count == 1)
            #expect(sent.first?[string: "messageId"] == messageID)
            #expect(sent.first?[string: "to"] == "447700900001")
            let content = sent.first?[object: "content"] ?? [:]
            #expect(content[string: "templateName"] == "order_update")
            #expect(content[string: "language"] == "en")
            let placeholders = content[object: "templateData"][object: "body"]["placeholders"]
            #expect(placeholders as? [String] == ["Ana", "A-100"])
            let notifyURL = sent.first?[string: "notifyUrl"]
            #expect(notifyURL == scenario.server.baseURL + "/webhooks/infobip")
        }
    }

    @Test func sendUsesInfobipAuthorizationHeader() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate()
            _ = try await scenario.send()

            let requests = try await scenario.simulator.requests(
                path: "/whatsapp/1/message/template"
            )
            let headers = requests.first?[object: "headers"] ?? [:]
            let authorization = headers.first { $0.key.lowercased() == "authorization" }?.value
            #expect(authorization as? String == "App test-infobip-key-1234")
        }
    }

    @Test func seenReportRaisesSenderScore() async throws {
        try await withScenario { scenario in
            let senderID = try await scenario.addSender(Scenario.randomNumber(), quality: "MEDIUM")
            try await scenario.addTemplate()
            let response = try await scenario.send()
            let messageID = try #require(response.json[string: "id"])
            _ = try await scenario.waitForStatus(messageID, "SEEN")

            let row = try await sender(scenario, id: senderID)
            #expect(row["score"] as? Int == 56)
            #expect(row[string: "quality"] == "MEDIUM")
        }
    }
}
