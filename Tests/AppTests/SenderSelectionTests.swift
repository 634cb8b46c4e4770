import Foundation
import TestSupport
import Testing

@Suite struct SenderSelectionTests {
    /// Quality is ranked HIGH > MEDIUM > LOW. Ordering the labels as text would pick MEDIUM
    /// first (descending) or LOW before MEDIUM (ascending), so each step below fails if the
    /// ranking ever falls back to comparing strings.
    @Test func bestQualityThenLeastRecentlyUsed() async throws {
        try await withScenario { scenario in
            let low = Scenario.randomNumber()
            let medium = Scenario.randomNumber()
            let highA = Scenario.randomNumber()
            let highB = Scenario.randomNumber()
            try await scenario.addSender(low, quality: "LOW")
            let mediumID = try await scenario.addSender(medium, quality: "MEDIUM")
            let highAID = try await scenario.addSender(highA, quality: "HIGH")
            let highBID = try await scenario.addSender(highB, quality: "HIGH")
            try await scenario.addTemplate()

            var chosen: [String] = []
            for _ in 0..<3 {
                let response = try await scenario.send()
                #expect(response.status == 201)
                chosen.append(response.json[object: "sender"][string: "number"] ?? "")
            }
            #expect(Set(chosen[0...1]) == [highA, highB])
            #expect(chosen[2] == chosen[0])

            for id in [highAID, highBID] {
                let patch = try await scenario.client.send(
                    "PATCH",
                    "/wabas/\(scenario.wabaID)/senders/\(id)",
                    json: ["status": "PAUSED"]
                )
                #expect(patch.status == 200)
            }
            let mediumSend = try await scenario.send()
            #expect(mediumSend.json[object: "sender"][string: "number"] == medium)

            _ = try await scenario.client.send(
                "PATCH",
                "/wabas/\(scenario.wabaID)/senders/\(mediumID)",
                json: ["status": "DISABLED"]
            )
            let lowSend = try await scenario.send()
            #expect(lowSend.json[object: "sender"][string: "number"] == low)
        }
    }

    @Test func pausedSendersNeverChosen() async throws {
        try await withScenario { scenario in
            let paused = Scenario.randomNumber()
            let active = Scenario.randomNumber()
            try await scenario.addSender(paused, quality: "HIGH", status: "PAUSED")
            try await scenario.addSender(active, quality: "LOW")
            try await scenario.addTemplate()

            for _ in 0..<3 {
                let response = try await scenario.send()
                #expect(response.json[object: "sender"][string: "number"] == active)
            }
            let froms = try await scenario.simulator.sentMessages().map { $0[string: "from"] }
            #expect(froms == [active, active, active])
        }
    }

    @Test func noActiveSenderRejectsBeforeSending() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate()
            let list = try await scenario.client.send(
                "GET",
                "/wabas/\(scenario.wabaID)/senders",
                body: nil
            )
            for row in list.json[objects: "senders"] {
                let id = row[string: "id"] ?? ""
                _ = try await scenario.client.send(
                    "PATCH",
                    "/wabas/\(scenario.wabaID)/senders/\(id)",
                    json: ["status": "PAUSED"]
                )
            }

            let response = try await scenario.send()
            #expect(response.status == 409)
            #expect(response.json[string: "type"] == "urn:wabarouter:problem:no-active-sender")
            #expect(try await scenario.simulator.sentMessages().isEmpty)
        }
    }

    /// Two stateless instances share one database and send at the same time: reservations
    /// with SKIP LOCKED spread the sends over every sender, and no message goes out twice.
    @Test func twoInstancesSpreadOverSenders() async throws {
        let simulator = try SimulatorProcess(arguments: ["--report-delay-ms", "50"])
        defer { simulator.stop() }
        let database = try await TestDatabase.createDatabase()
        let first = try await TestServer.start(databaseURL: database)
        let second = try await TestServer.start(databaseURL: database)
        let scenario = try await Scenario.make(server: first, simulator: simulator)
        var numbers: [String] = []
        for _ in 0..<4 {
            let number = Scenario.randomNumber()
            numbers.append(number)
            try await scenario.addSender(number)
        }
        try await scenario.addTemplate()
        let secondClient = HTTPTestClient(
            baseURL: second.baseURL,
            bearerToken: scenario.client.bearerToken
        )
        let body: [String: Any] = [
            "wabaId": scenario.wabaID,
            "to": "+447700900001",
            "templateName": "order_update",
            "language": "en",
            "params": ["body": ["Ana", "A-100"]],
        ]
        let bodyData = try JSONSerialization.data(withJSONObject: body)

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                let client = index.isMultiple(of: 2) ? scenario.client : secondClient
                group.addTask {
                    let response = try await client.send(
                        "POST",
                        "/messages/send",
                        body: bodyData,
                        headers: ["Content-Type": "application/json"]
                    )
                    return response.status
                }
            }
            var statuses: [Int] = []
            for try await status in group {
                statuses.append(status)
            }
            return statuses
        }
        await first.stop()
        await second.stop()

        #expect(statuses == Array(repeating: 201, count: 40))
        let sent = try await simulator.sentMessages()
        #expect(sent.count == 40)
        #expect(Set(sent.compactMap { $0[string: "messageId"] }).count == 40)
        var perSender: [String: Int] = [:]
        for message in sent {
            perSender[message[string: "from"] ?? "", default: 0] += 1
        }
        #expect(Set(perSender.keys) == Set(numbers))
        for number in numbers {
            #expect((5...15).contains(perSender[number] ?? 0), "\(number): \(perSender)")
        }
    }
}
