import Foundation
import HTTPServer
import Testing

@testable import InfobipSimulator

@Suite struct RequestLogTests {
    let simulator = makeSimulator()

    @Test func requestsAreLoggedOldestFirst() async throws {
        let message = templateMessage(messageId: uniqueMessageId())
        _ = await simulator.sendTemplates([message])
        _ = await simulator.call(
            "GET",
            "/whatsapp/1/senders/quality",
            query: ["senders": "441134960000"]
        )
        _ = await simulator.call("GET", "/simulator/stats", apiKey: nil)
        let log = await simulator.call("GET", "/simulator/requests", apiKey: nil)
        let entries = try #require(log.body?.arrayValue)
        #expect(entries.count == 2)
        let first = try #require(entries.first)
        #expect(first["method"] == "POST")
        #expect(first["path"] == "/whatsapp/1/message/template")
        #expect(first["query"] == [:])
        #expect(first["headers"]?["Authorization"] == "App test-key")
        #expect(first["body"]?["messages"]?[0] == message)
        #expect(first["receivedAt"]?.stringValue?.hasSuffix("+0000") == true)
        #expect(entries.last?["query"] == ["senders": "441134960000"])
    }

    @Test func bodyThatIsNotJSONIsKeptAsText() async throws {
        _ = await simulator.call(
            "POST",
            "/whatsapp/1/message/template",
            rawBody: Data("plain text".utf8)
        )
        let log = await simulator.call("GET", "/simulator/requests", apiKey: nil)
        #expect(log.body?[0]?["body"] == "plain text")
    }

    @Test func pathFilterSelectsEntries() async {
        _ = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())])
        _ = await simulator.call("GET", "/whatsapp/2/senders/441134960000/templates")
        let filtered = await simulator.call(
            "GET",
            "/simulator/requests",
            query: ["path": "/whatsapp/2/senders/441134960000/templates"],
            apiKey: nil
        )
        #expect(filtered.body?.arrayValue?.count == 1)
        #expect(filtered.body?[0]?["method"] == "GET")
    }

    @Test func deleteClearsTheLog() async {
        _ = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())])
        let deleted = await simulator.call("DELETE", "/simulator/requests", apiKey: nil)
        let log = await simulator.call("GET", "/simulator/requests", apiKey: nil)
        #expect(deleted.status == 204)
        #expect(log.body == [])
    }

    @Test func unauthorizedRequestsAreLogged() async {
        _ = await simulator.call("GET", "/whatsapp/2/senders/1/templates", apiKey: nil)
        let log = await simulator.call("GET", "/simulator/requests", apiKey: nil)
        #expect(log.body?.arrayValue?.count == 1)
        #expect(log.body?[0]?["headers"]?["Authorization"] == nil)
    }

    @Test func logKeepsNewestEntries() async {
        let small = makeSimulator(SimulatorConfiguration(inspectionLogCapacity: 2))
        for sender in ["1", "2", "3"] {
            _ = await small.call("GET", "/whatsapp/2/senders/\(sender)/templates")
        }
        let log = await small.call("GET", "/simulator/requests", apiKey: nil)
        let paths = (log.body?.arrayValue ?? []).map { $0["path"] }
        #expect(paths == ["/whatsapp/2/senders/2/templates", "/whatsapp/2/senders/3/templates"])
    }

    @Test func logWrapsAroundManyTimes() async {
        let small = makeSimulator(SimulatorConfiguration(inspectionLogCapacity: 3))
        for sender in 1...8 {
            _ = await small.call("GET", "/whatsapp/2/senders/\(sender)/templates")
        }
        let log = await small.call("GET", "/simulator/requests", apiKey: nil)
        let paths = (log.body?.arrayValue ?? []).map { $0["path"] }
        #expect(
            paths == [
                "/whatsapp/2/senders/6/templates", "/whatsapp/2/senders/7/templates",
                "/whatsapp/2/senders/8/templates",
            ]
        )
    }

    @Test func templateEntryCountsMessagesAndSenders() async throws {
        _ = await simulator.sendTemplates([
            templateMessage(from: "441134960000", messageId: uniqueMessageId()),
            templateMessage(from: "441134960009", messageId: uniqueMessageId()),
            templateMessage(from: "441134960000", messageId: uniqueMessageId()),
        ])
        let log = await simulator.call("GET", "/simulator/requests", apiKey: nil)
        let entry = try #require(log.body?[0])
        #expect(entry["messageCount"] == 3)
        #expect(entry["senders"] == ["441134960000", "441134960009"])
        #expect(entry["body"]?["messages"]?.arrayValue?.count == 3)
    }

    @Test func bodiesOffKeepsCountAndSenders() async throws {
        let quiet = makeSimulator(SimulatorConfiguration(logsRequestBodies: false))
        _ = await quiet.sendTemplates([
            templateMessage(from: "441134960000", messageId: uniqueMessageId()),
            templateMessage(from: "441134960009", messageId: uniqueMessageId()),
        ])
        _ = await quiet.call("GET", "/whatsapp/2/senders/441134960000/templates")
        let log = await quiet.call("GET", "/simulator/requests", apiKey: nil)
        let entries = try #require(log.body?.arrayValue)
        #expect(entries.count == 2)

        let send = try #require(entries.first)
        #expect(send["body"] == nil)
        #expect(send["messageCount"] == 2)
        #expect(send["senders"] == ["441134960000", "441134960009"])
        #expect(send["method"] == "POST")
        #expect(send["path"] == "/whatsapp/1/message/template")
        #expect(send["headers"]?["Authorization"] == "App test-key")
        #expect(send["receivedAt"]?.stringValue?.hasSuffix("+0000") == true)

        let list = try #require(entries.last)
        #expect(list["body"] == nil)
        #expect(list["messageCount"] == nil)
        #expect(list["senders"] == nil)
    }
}
