import App
import Foundation
import TestSupport
import Testing

/// A failure WabaRouter declares because Infobip's report never came is a guess, which a
/// later delivery report overrides.
@Suite struct UnknownOutcomeReportTests {
    @Test func deliveryReportOverridesPolicyFailure() async throws {
        var dispatch = TestServer.fastDispatch
        dispatch.reportWait = .seconds(1)
        dispatch.unknownOutcomePolicy = .fail
        try await withScenario(infobipTimeout: .seconds(1), dispatch: dispatch) { scenario in
            let number = Scenario.randomNumber()
            let senderID = try await scenario.addSender(number, quality: "MEDIUM")
            try await scenario.addTemplate()
            try await scenario.simulator.configureSender(
                number,
                ["behavior": "hang", "hangSeconds": 2, "times": 1, "reports": []]
            )
            let response = try await scenario.send()
            let id = try #require(response.json[string: "id"])
            let failed = try await scenario.waitForStatus(id, "FAILED")
            #expect(failed[string: "status"] == "FAILED")
            #expect(failed[string: "failureReason"]?.contains("did not arrive") == true)

            let report = try await scenario.server.anonymousClient().send(
                "POST",
                "/webhooks/infobip",
                json: ["results": [Reports.delivered(id)]]
            )
            #expect(report.json["applied"] as? Int == 1)
            let delivered = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
            #expect(delivered.json[string: "status"] == "DELIVERED")
            #expect(delivered.json["failureReason"] == nil)
            let row = try await sender(scenario, id: senderID)
            #expect(row["score"] as? Int == 55)
        }
    }

    /// A FAILED that Infobip itself reported stays final.
    @Test func reportedFailureStaysFinal() async throws {
        try await withScenario { scenario in
            let number = Scenario.randomNumber()
            try await scenario.addSender(number)
            try await scenario.addTemplate()
            try await scenario.simulator.configureSender(
                number,
                ["behavior": "recipientFault"]
            )
            let response = try await scenario.send()
            let id = try #require(response.json[string: "id"])
            #expect(response.json[string: "status"] == "FAILED")
            let report = try await scenario.server.anonymousClient().send(
                "POST",
                "/webhooks/infobip",
                json: ["results": [Reports.delivered(id)]]
            )
            #expect(report.json["ignored"] as? Int == 1)
            let message = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
            #expect(message.json[string: "status"] == "FAILED")
        }
    }
}
