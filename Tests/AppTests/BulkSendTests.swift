import App
import Foundation
import TestSupport
import Testing

/// Bulks drained by the dispatchers of one or two instances: every message goes exactly once,
/// in multi-message requests, through the senders that are ACTIVE while it is claimed.
@Suite struct BulkSendTests {
    /// Sender numbers outside the range of ``Scenario/recipients(_:from:)``.
    static func senderNumbers(_ count: Int) -> [String] {
        (1...count).map { "4477008" + String(format: "%05d", $0) }
    }

    /// Adds `numbers` as senders with `messagesPerSecond`, without reports at the simulator,
    /// plus the default template and an unlimited portfolio; returns the sender ids.
    @discardableResult
    static func prepare(
        _ scenario: Scenario,
        senders numbers: [String],
        messagesPerSecond: Int
    ) async throws -> [String] {
        var ids: [String] = []
        for number in numbers {
            ids.append(try await scenario.addSender(number, messagesPerSecond: messagesPerSecond))
            try await scenario.simulator.configureSender(
                number,
                ["behavior": "accept", "reports": []]
            )
        }
        try await scenario.addTemplate()
        try await scenario.setMessagingLimit("UNLIMITED")
        return ids
    }

    /// Returns the recipients the simulator received more than once.
    static func repeatedRecipients(_ sent: [[String: Any]]) -> [String] {
        let byRecipient = Dictionary(grouping: sent) { $0[string: "to"] ?? "" }
        return byRecipient.filter { $0.value.count > 1 }.keys.sorted()
    }

    static func messageIDs(_ scenario: Scenario, bulkID: String) async throws -> Set<String> {
        let id = try #require(UUID(uuidString: bulkID))
        return Set(
            try await scenario.strings(
                "SELECT id::text AS value FROM messages WHERE bulk_id = \(id)"
            )
        )
    }

    /// Returns whether `ANALYZE messages` has run on the scenario's database, waiting up to
    /// 5 s for the statistics view to show it.
    static func messagesAnalyzed(_ scenario: Scenario) async throws -> Bool {
        for _ in 0..<50 {
            let analyzed = try await scenario.integer(
                """
                SELECT (last_analyze IS NOT NULL)::int AS value FROM pg_stat_user_tables
                WHERE relname = 'messages'
                """
            )
            if analyzed == 1 {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func tenThousandMessagesSentOnce() async throws {
        try await Scenario.run { scenario in
            let senders = Self.senderNumbers(4)
            try await Self.prepare(scenario, senders: senders, messagesPerSecond: 2_000)
            let recipients = Scenario.recipients(10_000)

            let bulkID = try await scenario.startBulk(to: recipients)
            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(120))

            #expect(view["accepted"] as? Int == 10_000)
            #expect(Scenario.count(view, "SENT") == 10_000)
            #expect(view[string: "state"] == "COMPLETED")
            // One read of the request log, which holds every body: it is several megabytes.
            let requests = try await scenario.simulator.requests(
                path: "/whatsapp/1/message/template"
            )
            let sent = requests.flatMap { $0[object: "body"][objects: "messages"] }
            #expect(sent.count == 10_000)
            #expect(Set(sent.compactMap { $0[string: "to"] }) == Set(recipients))
            #expect(Self.repeatedRecipients(sent).isEmpty)
            let stats = try await scenario.simulator.stats()
            #expect(stats["duplicates"] as? Int == 0)
            #expect(stats["messagesAccepted"] as? Int == 10_000)

            let ids = sent.compactMap { $0[string: "messageId"] }
            #expect(Set(ids) == (try await Self.messageIDs(scenario, bulkID: bulkID)))
            #expect(sent.allSatisfy { senders.contains($0[string: "from"] ?? "") })
            let sizes = requests.map { $0["messageCount"] as? Int ?? 0 }
            #expect(requests.count <= 1_000)
            #expect((sizes.max() ?? 0) > 50)
            // A bulk this large refreshes the planner's statistics of messages.
            #expect(try await Self.messagesAnalyzed(scenario))
        }
    }

    @Test func twoInstancesDrainOneBulk() async throws {
        try await Scenario.run { scenario in
            let senders = Self.senderNumbers(4)
            try await Self.prepare(scenario, senders: senders, messagesPerSecond: 100)
            let database = scenario.server.application.configuration.databaseURL
            let second = try await TestServer.start(databaseURL: database)
            do {
                let recipients = Scenario.recipients(2_000)
                let bulkID = try await scenario.startBulk(to: recipients)
                let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(60))

                #expect(Scenario.count(view, "SENT") == 2_000)
                let sent = try await scenario.simulator.sentMessages()
                #expect(sent.count == 2_000)
                #expect(Self.repeatedRecipients(sent).isEmpty)
                #expect(try await scenario.simulator.stats()["duplicates"] as? Int == 0)

                let batches = [scenario.server, second].map { server in
                    server.logs.records.count { $0.message == "batch sent" }
                }
                #expect(batches[0] > 0)
                #expect(batches[1] > 0)
            } catch {
                await second.stop()
                throw error
            }
            await second.stop()
        }
    }

    /// A PATCH that pauses a sender waits for claims holding its row, so no new attempt starts
    /// on that sender once it returns. Only a batch claimed before may still arrive.
    @Test func pausedSenderStopsMidBulk() async throws {
        try await Scenario.run { scenario in
            let numbers = Self.senderNumbers(3)
            let ids = try await Self.prepare(
                scenario,
                senders: Array(numbers.prefix(2)),
                messagesPerSecond: 10
            )
            let recipients = Scenario.recipients(120)
            let bulkID = try await scenario.startBulk(to: recipients)
            _ = try await scenario.waitForBulk(bulkID) { Scenario.count($0, "SENT") >= 20 }

            let paused = try await scenario.updateSender(ids[0], ["status": "PAUSED"])
            let pausedAt = Date()
            #expect(paused.status == 200)
            try await scenario.simulator.configureSender(
                numbers[2],
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addSender(numbers[2], messagesPerSecond: 10)
            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(60))

            #expect(Scenario.count(view, "SENT") == 120)
            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.count == 120)
            #expect(Self.repeatedRecipients(sent).isEmpty)
            #expect(sent.contains { $0[string: "from"] == numbers[2] })

            let pausedID = try #require(UUID(uuidString: ids[0]))
            let startedLater = try await scenario.integer(
                """
                SELECT count(*)::int AS value FROM message_attempts
                WHERE sender_id = \(pausedID) AND started_at > \(pausedAt)
                """
            )
            #expect(startedLater == 0)
            let claimedBefore = Set(
                try await scenario.strings(
                    """
                    SELECT infobip_message_id AS value FROM message_attempts
                    WHERE sender_id = \(pausedID) AND started_at <= \(pausedAt)
                    """
                )
            )
            let arrivedLater = try await Self.messages(
                scenario,
                from: numbers[0],
                after: pausedAt
            )
            #expect(arrivedLater.isSubset(of: claimedBefore))
        }
    }

    /// Returns the message ids of the template sends from `sender` that reached the simulator
    /// after `instant`.
    static func messages(_ scenario: Scenario, from sender: String, after instant: Date)
        async throws -> Set<String>
    {
        let requests = try await scenario.simulator.requests(path: "/whatsapp/1/message/template")
        var ids: Set<String> = []
        for request in requests {
            guard let received = InfobipTime.parse(request[string: "receivedAt"] ?? ""),
                received > instant
            else { continue }
            for message in request[object: "body"][objects: "messages"]
            where message[string: "from"] == sender {
                ids.insert(message[string: "messageId"] ?? "")
            }
        }
        return ids
    }

    /// A sender fault moves a message to the next sender even while the faulty sender stays
    /// first in line with room for a whole batch.
    @Test func senderFaultFallsBackInBulk() async throws {
        // One dispatch loop, so no concurrent claim happens to lock the other sender.
        var dispatch = TestServer.fastDispatch
        dispatch.workers = 1
        try await Scenario.run(dispatch: dispatch) { scenario in
            let numbers = Self.senderNumbers(2)
            try await scenario.addSender(numbers[0], messagesPerSecond: 1_000)
            try await scenario.addSender(numbers[1], messagesPerSecond: 1_000, quality: "MEDIUM")
            try await scenario.simulator.configureSender(numbers[0], ["behavior": "senderFault"])
            try await scenario.simulator.configureSender(
                numbers[1],
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addTemplate()

            let bulkID = try await scenario.startBulk(to: Scenario.recipients(1))
            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(10))

            #expect(Scenario.count(view, "SENT") == 1)
            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.map { $0[string: "from"] } == [numbers[0], numbers[1]])
        }
    }

    @Test func senderRateLimitHolds() async throws {
        try await Scenario.run { scenario in
            let senders = Self.senderNumbers(2)
            try await Self.prepare(scenario, senders: senders, messagesPerSecond: 20)
            let bulkID = try await scenario.startBulk(to: Scenario.recipients(150))
            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(60))

            #expect(Scenario.count(view, "SENT") == 150)
            let stats = try await scenario.simulator.stats()
            for sender in senders {
                let peak = try #require(SimulatorProcess.peakRate(stats, sender: sender))
                #expect(peak <= 20, "sender \(sender) peaked at \(peak) messages per second")
            }
        }
    }
}
