import Foundation
import TestSupport
import Testing

@Suite struct FallbackTests {
    @Test func senderFaultFallsBackToNextSender() async throws {
        try await withScenario { scenario in
            let faulty = Scenario.randomNumber()
            let healthy = Scenario.randomNumber()
            let faultyID = try await scenario.addSender(faulty, quality: "HIGH")
            try await scenario.addSender(healthy, quality: "MEDIUM")
            try await scenario.addTemplate()
            try await scenario.simulator.configureSender(faulty, ["behavior": "senderFault"])
            // No reports, so the answer shows the status the send itself gave.
            try await scenario.simulator.configureSender(
                healthy,
                ["behavior": "accept", "reports": []]
            )

            let response = try await scenario.send()
            #expect(response.status == 201)
            #expect(response.json[string: "status"] == "SENT")
            #expect(response.json[object: "sender"][string: "number"] == healthy)
            let attempts = response.json[objects: "attempts"]
            #expect(attempts.map { $0[string: "outcome"] } == ["SENDER", "ACCEPTED"])
            #expect(attempts.map { $0[string: "senderNumber"] } == [faulty, healthy])
            #expect(attempts.first?[string: "infobipStatus"] == "REJECTED_SENDER")

            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.map { $0[string: "from"] } == [faulty, healthy])
            let ids = sent.compactMap { $0[string: "messageId"] }
            #expect(Set(ids).count == 2)

            let faultyRow = try await sender(scenario, id: faultyID)
            #expect(faultyRow["score"] as? Int == 75)
        }
    }

    @Test func everySenderFailingFailsMessage() async throws {
        try await withScenario { scenario in
            let first = Scenario.randomNumber()
            let second = Scenario.randomNumber()
            try await scenario.addSender(first)
            try await scenario.addSender(second)
            try await scenario.addTemplate()
            for number in [first, second] {
                try await scenario.simulator.configureSender(number, ["behavior": "senderFault"])
            }

            let response = try await scenario.send()
            #expect(response.status == 201)
            #expect(response.json[string: "status"] == "FAILED")
            let reason = response.json[string: "failureReason"] ?? ""
            #expect(reason.contains(first))
            #expect(reason.contains(second))
            #expect(response.json[objects: "attempts"].count == 2)
            #expect(try await scenario.simulator.sentMessages().count == 2)
        }
    }

    @Test func recipientFaultFailsWithoutFallback() async throws {
        try await withScenario { scenario in
            let first = Scenario.randomNumber()
            let firstID = try await scenario.addSender(first, quality: "HIGH")
            try await scenario.addSender(Scenario.randomNumber(), quality: "LOW")
            try await scenario.addTemplate()
            try await scenario.simulator.configureSender(first, ["behavior": "recipientFault"])

            let response = try await scenario.send()
            #expect(response.json[string: "status"] == "FAILED")
            let attempts = response.json[objects: "attempts"]
            #expect(attempts.map { $0[string: "outcome"] } == ["RECIPIENT"])
            #expect(try await scenario.simulator.sentMessages().count == 1)
            let row = try await sender(scenario, id: firstID)
            #expect(row["score"] as? Int == 85)
        }
    }

    /// A 401 means the WABA's API key is wrong: the same for every sender, and never retried.
    @Test func unauthorizedFailsWithoutRetry() async throws {
        try await withScenario { scenario in
            let first = Scenario.randomNumber()
            try await scenario.addSender(first, quality: "HIGH")
            try await scenario.addSender(Scenario.randomNumber(), quality: "LOW")
            try await scenario.addTemplate()
            try await scenario.simulator.configureSender(first, ["behavior": "unauthorized"])

            let response = try await scenario.send()
            #expect(response.json[string: "status"] == "FAILED")
            let attempts = response.json[objects: "attempts"]
            #expect(attempts.map { $0[string: "outcome"] } == ["ACCOUNT"])
            #expect(attempts.first?["httpStatus"] as? Int == 401)
            #expect(attempts.first?["requests"] as? Int == 1)
            #expect(try await scenario.simulator.sentMessages().count == 1)
        }
    }

    /// Infobip did not answer in time, so it may hold the message: it is never sent from
    /// another sender. The simulator accepts it late and its reports complete the message.
    @Test func timeoutNeverFallsBack() async throws {
        try await withScenario(infobipTimeout: .seconds(1)) { scenario in
            let slow = Scenario.randomNumber()
            try await scenario.addSender(slow, quality: "HIGH")
            try await scenario.addSender(Scenario.randomNumber(), quality: "LOW")
            try await scenario.addTemplate()
            try await scenario.simulator.configureSender(
                slow,
                ["behavior": "hang", "hangSeconds": 4]
            )

            let response = try await scenario.send()
            #expect(response.status == 202)
            #expect(response.json[string: "status"] == "SENDING")
            let attempts = response.json[objects: "attempts"]
            #expect(attempts.map { $0[string: "outcome"] } == ["UNKNOWN_OUTCOME"])
            let messageID = try #require(response.json[string: "id"])

            let seen = try await scenario.waitForStatus(messageID, "SEEN")
            #expect(seen[string: "status"] == "SEEN")
            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.map { $0[string: "from"] } == [slow])
        }
    }

    @Test func rateLimitRetriesSameSenderAfterRetryAfter() async throws {
        try await withScenario { scenario in
            let limited = Scenario.randomNumber()
            try await scenario.addSender(limited, quality: "HIGH")
            try await scenario.addSender(Scenario.randomNumber(), quality: "LOW")
            try await scenario.addTemplate()
            try await scenario.simulator.configureSender(
                limited,
                ["behavior": "tooManyRequests", "retryAfterSeconds": 1, "times": 1, "reports": []]
            )

            let response = try await scenario.send()
            #expect(response.json[string: "status"] == "SENT")
            let attempts = response.json[objects: "attempts"]
            #expect(attempts.count == 1)
            #expect(attempts.first?["requests"] as? Int == 2)
            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.map { $0[string: "from"] } == [limited, limited])
            #expect(Set(sent.compactMap { $0[string: "messageId"] }).count == 1)
        }
    }

    /// Server errors are retried on the same sender with the same message id: twice inside a
    /// claim, then again after a backoff, until a request succeeds.
    @Test func serverErrorRetriedUntilAccepted() async throws {
        try await withScenario { scenario in
            let flaky = Scenario.randomNumber()
            try await scenario.addSender(flaky, quality: "HIGH")
            try await scenario.addSender(Scenario.randomNumber(), quality: "LOW")
            try await scenario.addTemplate()
            try await scenario.simulator.configureSender(
                flaky,
                ["behavior": "serverError", "times": 4, "reports": []]
            )

            // The answer may come before or after the retries after the backoff, depending on
            // how busy the machine is, so the outcome is read from the message itself.
            let response = try await scenario.send()
            let id = try #require(response.json[string: "id"])
            let message = try await scenario.waitForStatus(id, "SENT")
            #expect(message[string: "status"] == "SENT")
            let attempts = message[objects: "attempts"]
            #expect(attempts.map { $0[string: "outcome"] } == ["ACCEPTED"])
            #expect(attempts.first?["requests"] as? Int == 5)
            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.map { $0[string: "from"] } == Array(repeating: flaky, count: 5))
            #expect(Set(sent.compactMap { $0[string: "messageId"] }).count == 1)
        }
    }

    @Test func serverErrorsExhaustRetriesOnSameSender() async throws {
        try await withScenario { scenario in
            let broken = Scenario.randomNumber()
            try await scenario.addSender(broken, quality: "HIGH")
            try await scenario.addSender(Scenario.randomNumber(), quality: "LOW")
            try await scenario.addTemplate()
            try await scenario.simulator.configureSender(broken, ["behavior": "serverError"])

            // The repeats back off for a few seconds in all, past the send's inline wait.
            let response = try await scenario.send()
            let id = try #require(response.json[string: "id"])
            let message = try await scenario.waitForStatus(id, "FAILED", timeout: .seconds(40))
            #expect(message[string: "status"] == "FAILED")
            let attempts = message[objects: "attempts"]
            #expect(attempts.map { $0[string: "outcome"] } == ["TRANSIENT"])
            #expect(attempts.first?["requests"] as? Int == 9)
            let froms = try await scenario.simulator.sentMessages().map { $0[string: "from"] }
            #expect(froms == Array(repeating: broken, count: 9))
        }
    }
}
