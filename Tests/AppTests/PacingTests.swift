import App
import Domain
import Foundation
import TestSupport
import Testing

/// Spacing of messages from one sender to one recipient, and the backoff on the same sender
/// after Meta's pair rate limit refused a message.
@Suite struct PacingTests {
    static let first = "447700800001"
    static let second = "447700800002"

    /// Test dispatch settings with a pair spacing of 2 seconds and no burst.
    static let strictPairs: DispatchConfiguration = {
        var dispatch = TestServer.fastDispatch
        dispatch.pairPacing = PairPacing(interval: .seconds(2), burst: 1)
        return dispatch
    }()

    /// Returns the arrival of each template send at the simulator, oldest first, with its
    /// messages' senders.
    static func sends(_ scenario: Scenario) async throws -> [(at: Date, from: [String])] {
        let requests = try await scenario.simulator.requests(path: "/whatsapp/1/message/template")
        return requests.map { request in
            (
                InfobipTime.parse(request[string: "receivedAt"] ?? "") ?? .distantPast,
                request[object: "body"][objects: "messages"].compactMap { $0[string: "from"] }
            )
        }
    }

    @Test func repeatToRecipientWaitsInterval() async throws {
        try await Scenario.run(dispatch: Self.strictPairs) { scenario in
            try await scenario.addSender(Self.first, messagesPerSecond: 100)
            try await scenario.simulator.configureSender(
                Self.first,
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addTemplate()

            let one = try await scenario.send(to: "+44 7700 900001")
            let two = try await scenario.send(to: "+44 7700 900001")

            #expect(one.json[string: "status"] == "SENT")
            #expect(two.status == 201)
            #expect(two.json[string: "status"] == "SENT")
            let sends = try await Self.sends(scenario)
            #expect(sends.count == 2)
            let gap = try #require(sends.last).at.timeIntervalSince(try #require(sends.first).at)
            // The simulator's timestamps are cut to whole milliseconds.
            #expect(gap >= 1.999, "the second message came \(gap) s after the first")
        }
    }

    /// With a minute between messages of a pair, a message that waited for its pair would
    /// outlast the 6-second inline wait and come back 202 QUEUED.
    @Test func otherRecipientNotDelayed() async throws {
        var dispatch = TestServer.fastDispatch
        dispatch.pairPacing = PairPacing(interval: .seconds(60), burst: 1)
        try await Scenario.run(dispatch: dispatch) { scenario in
            try await scenario.addSender(Self.first, messagesPerSecond: 100)
            try await scenario.simulator.configureSender(
                Self.first,
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addTemplate()

            _ = try await scenario.send(to: "+44 7700 900001")
            let other = try await scenario.send(to: "+44 7700 900002")
            let repeated = try await scenario.send(to: "+44 7700 900001")

            #expect(other.status == 201)
            #expect(other.json[string: "status"] == "SENT")
            #expect(repeated.status == 202)
            #expect(repeated.json[string: "status"] == "QUEUED")
            #expect(try await Self.sends(scenario).count == 2)
        }
    }

    @Test func pairRateLimitRetriesSameSender() async throws {
        try await Scenario.run { scenario in
            try await scenario.addSender(Self.first, messagesPerSecond: 100)
            try await scenario.addSender(Self.second, messagesPerSecond: 100, quality: "LOW")
            try await scenario.simulator.configureSender(
                Self.first,
                ["behavior": "accept", "reports": ["RATE_LIMITED"], "reportDelayMs": 200]
            )
            try await scenario.addTemplate()

            let response = try await scenario.send(to: "+44 7700 900001")
            #expect(response.json[string: "status"] == "SENT")
            let messageID = try #require(response.json[string: "id"])
            // Only the first attempt is refused.
            try await scenario.simulator.configureSender(
                Self.first,
                ["behavior": "accept", "reports": []]
            )
            var message: [String: Any] = [:]
            let deadline = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < deadline {
                message = try await scenario.client.send("GET", "/messages/\(messageID)", body: nil)
                    .json
                if message[objects: "attempts"].count == 2 && message[string: "status"] == "SENT" {
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }

            #expect(message[string: "status"] == "SENT")
            let attempts = message[objects: "attempts"]
            #expect(attempts.map { $0[string: "senderNumber"] } == [Self.first, Self.first])
            #expect(attempts.first?[string: "outcome"] == "RATE_LIMITED")
            let sends = try await Self.sends(scenario)
            #expect(sends.map(\.from) == [[Self.first], [Self.first]])
            let gap = try #require(sends.last).at.timeIntervalSince(try #require(sends.first).at)
            // Report after 200 ms, then a backoff of 4^0 = 1 second.
            #expect(gap >= 1.2, "the retry came \(gap) s after the first send")
            let history = message[objects: "history"].map { $0[string: "status"] ?? "" }
            #expect(history.contains("QUEUED"))
        }
    }
}
