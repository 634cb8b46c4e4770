import Foundation
import Testing

@testable import InfobipSimulator

@Suite struct SenderTrafficMeterTests {
    let simulator = makeSimulator()

    func senderStats() async -> [String: JSONValue] {
        let stats = await simulator.call("GET", "/simulator/stats", apiKey: nil)
        return stats.body?["senders"]?.objectValue ?? [:]
    }

    @Test func statsStartWithoutSenders() async {
        let stats = await simulator.call("GET", "/simulator/stats", apiKey: nil)
        #expect(stats.body?["senders"] == [:])
    }

    @Test func messagesAreCountedPerSender() async throws {
        _ = await simulator.sendTemplates([
            templateMessage(from: "441134960000", messageId: uniqueMessageId()),
            templateMessage(from: "+44 113 496 0000", messageId: uniqueMessageId()),
            templateMessage(from: "441134960009", messageId: uniqueMessageId()),
        ])
        _ = await simulator.sendTemplates([
            templateMessage(from: "441134960000", messageId: uniqueMessageId())
        ])
        let senders = await senderStats()
        #expect(senders.keys.sorted() == ["441134960000", "441134960009"])

        let first = try #require(senders["441134960000"])
        #expect(first["messages"] == 3)
        // Both requests arrive within a second of each other.
        #expect(first["maxPerSecond"] == 3)
        let firstAt = try #require(first["firstAt"]?.stringValue)
        let lastAt = try #require(first["lastAt"]?.stringValue)
        #expect(firstAt.hasSuffix("+0000"))
        #expect(firstAt <= lastAt)

        let second = try #require(senders["441134960009"])
        #expect(second["messages"] == 1)
        #expect(second["maxPerSecond"] == 1)
        #expect(second["firstAt"] == second["lastAt"])
    }

    @Test func rejectedMessagesCount() async throws {
        let id = uniqueMessageId()
        await simulator.setBehavior("441134960009", ["behavior": "senderFault"])
        _ = await simulator.sendTemplates([
            templateMessage(from: "441134960000", messageId: id),
            templateMessage(from: "441134960000", messageId: id),
            templateMessage(from: "441134960009", messageId: uniqueMessageId()),
        ])
        let senders = await senderStats()
        #expect(senders["441134960000"]?["messages"] == 2)
        #expect(senders["441134960009"]?["messages"] == 1)
    }

    @Test func wholeRequestFailureStillCounts() async {
        await simulator.setBehavior("441134960000", ["behavior": "tooManyRequests"])
        let response = await simulator.sendTemplates([
            templateMessage(messageId: uniqueMessageId()),
            templateMessage(messageId: uniqueMessageId()),
        ])
        let senders = await senderStats()
        #expect(response.status == 429)
        #expect(senders["441134960000"]?["messages"] == 2)
    }

    @Test func invalidRequestIsNotCounted() async {
        let response = await simulator.sendTemplates([
            templateMessage(messageId: uniqueMessageId(), placeholders: [""])
        ])
        let senders = await senderStats()
        #expect(response.status == 400)
        #expect(senders.isEmpty)
    }
}
