import Foundation
import TestSupport
import Testing

/// A bulk's life in time: nothing goes before `sendAt`, `expiresAt` ends what did not go by
/// then, and a cancel ends what is still queued while claimed messages finish.
@Suite struct BulkLifecycleTests {
    static let sender = "447700800001"

    /// Runs `body` in a scenario with one sender at `messagesPerSecond`, without reports, and
    /// the default template.
    static func run(
        messagesPerSecond: Int,
        _ body: (Scenario) async throws -> Void
    ) async throws {
        try await Scenario.run { scenario in
            try await scenario.addSender(sender, messagesPerSecond: messagesPerSecond)
            try await scenario.simulator.configureSender(
                sender,
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addTemplate()
            try await body(scenario)
        }
    }

    static func iso(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    /// Returns when each template send reached the simulator, oldest first.
    static func arrivals(_ scenario: Scenario) async throws -> [Date] {
        let requests = try await scenario.simulator.requests(path: "/whatsapp/1/message/template")
        return requests.compactMap { InfobipTime.parse($0[string: "receivedAt"] ?? "") }
    }

    /// Returns how many attempts of the bulk's messages a claim started after `instant`.
    static func attemptsStarted(
        _ scenario: Scenario,
        bulkID: String,
        after instant: Date
    ) async throws -> Int {
        let id = try #require(UUID(uuidString: bulkID))
        return try await scenario.integer(
            """
            SELECT count(*)::int AS value FROM message_attempts a
            JOIN messages m ON m.id = a.message_id
            WHERE m.bulk_id = \(id) AND a.started_at > \(instant)
            """
        )
    }

    @Test func scheduledBulkWaitsForSendAt() async throws {
        try await Self.run(messagesPerSecond: 1_000) { scenario in
            let sendAt = Date().addingTimeInterval(3)
            let bulkID = try await scenario.startBulk(
                to: Scenario.recipients(10),
                extra: ["sendAt": Self.iso(sendAt)]
            )

            let scheduled = try await scenario.bulk(bulkID)
            #expect(scheduled[string: "state"] == "SCHEDULED")
            #expect(Scenario.count(scheduled, "QUEUED") == 10)
            let waiting = scheduled[objects: "waiting"]
            #expect(waiting.map { $0[string: "reason"] } == ["send-at"])
            #expect(waiting.first?["messages"] as? Int == 10)

            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(20))
            #expect(Scenario.count(view, "SENT") == 10)
            #expect(view[string: "state"] == "COMPLETED")
            let arrivals = try await Self.arrivals(scenario)
            #expect(!arrivals.isEmpty)
            // The simulator's timestamps are cut to whole milliseconds.
            let earliest = sendAt.addingTimeInterval(-0.001)
            #expect(
                arrivals.allSatisfy { $0 >= earliest },
                "arrivals \(arrivals), sendAt \(sendAt)"
            )
        }
    }

    @Test func unsentMessagesExpire() async throws {
        try await Self.run(messagesPerSecond: 2) { scenario in
            let start = Date()
            let bulkID = try await scenario.startBulk(
                to: Scenario.recipients(20),
                extra: [
                    "sendAt": Self.iso(start.addingTimeInterval(2)),
                    "expiresAt": Self.iso(start.addingTimeInterval(4.5)),
                ]
            )
            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(20))

            let sent = Scenario.count(view, "SENT")
            let expired = Scenario.count(view, "EXPIRED")
            #expect(sent > 0)
            #expect(expired > 0)
            #expect(sent + expired == 20)
            #expect(view[string: "state"] == "COMPLETED")
            #expect(try await scenario.simulator.sentMessages().count == sent)
            let expiresAt = start.addingTimeInterval(4.5)
            let late = try await Self.attemptsStarted(scenario, bulkID: bulkID, after: expiresAt)
            #expect(late == 0)
            let page = try await scenario.client.send(
                "GET",
                "/bulks/\(bulkID)/messages?status=EXPIRED&limit=100",
                body: nil
            )
            #expect(page.json[objects: "messages"].count == expired)
        }
    }

    /// A cancel waits for claims that hold the bulk's messages, so no new attempt starts once
    /// it returns. Only messages claimed before it may still arrive.
    @Test func cancelStopsSlowBulk() async throws {
        try await Self.run(messagesPerSecond: 5) { scenario in
            let bulkID = try await scenario.startBulk(to: Scenario.recipients(60))
            _ = try await scenario.waitForBulk(bulkID) { Scenario.count($0, "SENT") >= 5 }

            let cancel = try await scenario.client.send(
                "POST",
                "/bulks/\(bulkID)/cancel",
                body: nil
            )
            let cancelledAt = Date()
            #expect(cancel.status == 200)
            #expect(cancel.json[string: "state"] == "CANCELLED")
            let cancelled = Scenario.count(cancel.json, "CANCELLED")
            #expect(cancelled > 0)
            #expect(Scenario.count(cancel.json, "QUEUED") == 0)

            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(10))
            // Give a stray claim time to show up before counting.
            try await Task.sleep(for: .milliseconds(1_500))
            let sent = Scenario.count(view, "SENT")
            #expect(sent + cancelled == 60)
            #expect(try await scenario.simulator.sentMessages().count == sent)
            let late = try await Self.attemptsStarted(scenario, bulkID: bulkID, after: cancelledAt)
            #expect(late == 0)

            let again = try await scenario.client.send("POST", "/bulks/\(bulkID)/cancel", body: nil)
            #expect(again.status == 200)
            #expect(Scenario.count(again.json, "CANCELLED") == cancelled)
            #expect(again.json[string: "cancelledAt"] == cancel.json[string: "cancelledAt"])
            #expect(again.json[string: "state"] == "CANCELLED")
        }
    }

    /// Messages that a 429 returned to the queue with a 2-second Retry-After are cancelled
    /// while they wait, and never go out.
    @Test func cancelCatchesRequeuedMessages() async throws {
        try await Self.run(messagesPerSecond: 1_000) { scenario in
            try await scenario.simulator.configureSender(
                Self.sender,
                [
                    "behavior": "tooManyRequests", "retryAfterSeconds": 2, "times": 3,
                    "reports": [],
                ]
            )
            // The 429 returns the messages to the queue for Retry-After, as a backoff would.
            let bulkID = try await scenario.startBulk(to: Scenario.recipients(5))
            let requeued = try await scenario.waitForBulk(bulkID, timeout: .seconds(5)) {
                let waits = $0["waiting"] as? [[String: Any]] ?? []
                return waits.contains { $0["reason"] as? String == "infobip-rate-limit" }
            }
            #expect(Scenario.count(requeued, "QUEUED") == 5)

            let cancel = try await scenario.client.send(
                "POST",
                "/bulks/\(bulkID)/cancel",
                body: nil
            )
            #expect(cancel.status == 200)
            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(20))
            try await Task.sleep(for: .milliseconds(1_500))
            let final = try await scenario.bulk(bulkID)
            #expect(Scenario.count(view, "CANCELLED") == 5)
            #expect(Scenario.count(final, "CANCELLED") == 5)
            #expect(try await scenario.simulator.stats()["messagesAccepted"] as? Int == 0)
        }
    }

    @Test func cancelledScheduledBulkSendsNothing() async throws {
        try await Self.run(messagesPerSecond: 1_000) { scenario in
            let sendAt = Date().addingTimeInterval(1.5)
            let bulkID = try await scenario.startBulk(
                to: Scenario.recipients(10),
                extra: ["sendAt": Self.iso(sendAt)]
            )
            let cancel = try await scenario.client.send(
                "POST",
                "/bulks/\(bulkID)/cancel",
                body: nil
            )
            #expect(Scenario.count(cancel.json, "CANCELLED") == 10)

            try await Task.sleep(for: .seconds(max(0, sendAt.timeIntervalSinceNow) + 1))
            let view = try await scenario.bulk(bulkID)
            #expect(Scenario.count(view, "CANCELLED") == 10)
            #expect(view[string: "state"] == "CANCELLED")
            #expect(try await scenario.simulator.sentMessages().isEmpty)
        }
    }

    /// Cancelling a bulk with nothing left to send changes nothing: it stays COMPLETED.
    @Test func cancelAfterCompletionKeepsState() async throws {
        try await Self.run(messagesPerSecond: 1_000) { scenario in
            let bulkID = try await scenario.startBulk(to: Scenario.recipients(3))
            let done = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(20))
            #expect(done[string: "state"] == "COMPLETED")
            let cancel = try await scenario.client.send(
                "POST",
                "/bulks/\(bulkID)/cancel",
                body: nil
            )
            #expect(cancel.status == 200)
            #expect(cancel.json[string: "state"] == "COMPLETED")
            #expect(cancel.json["cancelledAt"] == nil)
            #expect(Scenario.count(cancel.json, "CANCELLED") == 0)
        }
    }

    @Test func emptyBulkRejected() async throws {
        try await Self.run(messagesPerSecond: 1_000) { scenario in
            let response = try await scenario.sendBulk([])
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:invalid-field",
                    "title": "Invalid field",
                    "detail": "messages is empty. Give at least one {to, params, callbackData} "
                        + "object.",
                    "field": "messages",
                    "instance": "/messages/bulk",
                ]
            )
        }
    }
}
