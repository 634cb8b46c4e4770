import Foundation
import TestSupport
import Testing

/// Infobip's 429 with `Retry-After` on a bulk. A short wait is retried in the same call, and a
/// long one returns the messages to the queue and pauses the WABA. Either way the repeat goes
/// through the same sender with the same message ids, and the sender's score stays.
@Suite struct BulkRetryAfterTests {
    static let senderNumber = "447700800001"

    /// Adds the sender, makes the simulator respond 429 with `retryAfterSeconds` to its next
    /// request, and sends a bulk of `count`. Returns the bulk's id and the sender's id.
    static func startLimitedBulk(
        _ scenario: Scenario,
        retryAfterSeconds: Int,
        count: Int
    ) async throws -> (bulkID: String, senderID: String) {
        let senderID = try await scenario.addSender(senderNumber, messagesPerSecond: 1_000)
        try await scenario.simulator.configureSender(
            senderNumber,
            [
                "behavior": "tooManyRequests", "retryAfterSeconds": retryAfterSeconds, "times": 1,
                "reports": [],
            ]
        )
        try await scenario.addTemplate()
        let bulkID = try await scenario.startBulk(to: Scenario.recipients(count))
        return (bulkID, senderID)
    }

    /// Returns the template sends the simulator received, oldest first, with their arrival.
    static func sends(_ scenario: Scenario) async throws -> [(at: Date, ids: [String])] {
        let requests = try await scenario.simulator.requests(path: "/whatsapp/1/message/template")
        return requests.map { request in
            let messages = request[object: "body"][objects: "messages"]
            return (
                InfobipTime.parse(request[string: "receivedAt"] ?? "") ?? .distantPast,
                messages.compactMap { $0[string: "messageId"] }
            )
        }
    }

    /// Checks that every message went from the one sender, that the simulator accepted each
    /// id once, and that the only repeats are those of the first, rejected request.
    static func expectRepeatedOnSameSender(_ scenario: Scenario, count: Int) async throws {
        let sent = try await scenario.simulator.sentMessages()
        #expect(Set(sent.compactMap { $0[string: "from"] }) == [senderNumber])
        let byID = Dictionary(grouping: sent) { $0[string: "messageId"] ?? "" }
        #expect(byID.count == count)
        let requests = try await sends(scenario)
        let rejected = Set(requests.first?.ids ?? [])
        for (id, copies) in byID {
            #expect(copies.count == (rejected.contains(id) ? 2 : 1), "message \(id)")
        }
        let stats = try await scenario.simulator.stats()
        #expect(stats["duplicates"] as? Int == 0)
        #expect(stats["messagesAccepted"] as? Int == count)
    }

    @Test func shortRetryAfterRetriedInCall() async throws {
        try await Scenario.run { scenario in
            let (bulkID, senderID) = try await Self.startLimitedBulk(
                scenario,
                retryAfterSeconds: 1,
                count: 30
            )
            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(20))

            #expect(Scenario.count(view, "SENT") == 30)
            try await Self.expectRepeatedOnSameSender(scenario, count: 30)
            let requests = try await Self.sends(scenario)
            let first = try #require(requests.first)
            let retry = try #require(
                requests.first { Set($0.ids) == Set(first.ids) && $0.at > first.at }
            )
            #expect(retry.at.timeIntervalSince(first.at) >= 1)
            let messageID = try #require(first.ids.first)
            let message = try await scenario.client.send("GET", "/messages/\(messageID)", body: nil)
            let attempts = message.json[objects: "attempts"]
            #expect(attempts.count == 1)
            #expect(attempts.first?["requests"] as? Int == 2)
            #expect(try await sender(scenario, id: senderID)["score"] as? Int == 85)
        }
    }

    @Test func longRetryAfterPausesWaba() async throws {
        try await Scenario.run { scenario in
            let (bulkID, senderID) = try await Self.startLimitedBulk(
                scenario,
                retryAfterSeconds: 8,
                count: 20
            )
            let waiting = try await scenario.waitForBulk(bulkID, timeout: .seconds(7)) { view in
                view[string: "state"] == "WAITING"
            }

            #expect(waiting[string: "state"] == "WAITING")
            #expect(Scenario.count(waiting, "QUEUED") == 20)
            let reasons = waiting[objects: "waiting"].map { $0[string: "reason"] }
            #expect(reasons == ["infobip-rate-limit"])
            #expect(waiting[objects: "waiting"].first?["messages"] as? Int == 20)

            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(30))
            #expect(Scenario.count(view, "SENT") == 20)
            try await Self.expectRepeatedOnSameSender(scenario, count: 20)
            let requests = try await Self.sends(scenario)
            #expect(requests.count >= 2)
            let first = try #require(requests.first)
            for later in requests.dropFirst() {
                #expect(later.at.timeIntervalSince(first.at) >= 8)
            }
            #expect(try await sender(scenario, id: senderID)["score"] as? Int == 85)
        }
    }
}
