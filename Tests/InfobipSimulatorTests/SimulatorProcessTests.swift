import Foundation
import HTTPServer
import Testing

@testable import InfobipSimulator

/// Runs the built `infobip-sim` executable and talks to it over 127.0.0.1.
@Suite struct SimulatorProcessTests {
    @Test func listeningLineGivesUsablePort() async throws {
        let simulator = try await SimulatorProcessHandle.launch()
        let stats = try await simulator.request("GET", "/simulator/stats", apiKey: nil)
        let stopped = await simulator.stop()
        #expect(simulator.port > 0)
        #expect(stats.status == 200)
        #expect(stats.body?["templateRequests"] == 0)
        #expect(stopped.status == 0)
        #expect(stopped.errors.contains("\"message\":\"simulator stopped\""))
    }

    @Test func stdinCloseStopsWithFlag() async throws {
        let input = Pipe()
        let simulator = try await SimulatorProcessHandle.launch(
            ["--exit-on-stdin-close"],
            standardInput: input
        )
        try input.fileHandleForWriting.close()
        let exited = await eventually(seconds: 10) { !simulator.isRunning }
        let stopped = await simulator.stop()
        #expect(exited)
        #expect(stopped.status == 0)
        #expect(stopped.errors.contains("\"cause\":\"end of standard input\""))
        #expect(stopped.errors.contains("\"message\":\"simulator stopped\""))
    }

    @Test func stdinCloseIgnoredWithoutFlag() async throws {
        let input = Pipe()
        let simulator = try await SimulatorProcessHandle.launch(standardInput: input)
        try input.fileHandleForWriting.close()
        // Long enough for a watcher, had one started, to have read the end of file.
        try await Task.sleep(for: .milliseconds(500))
        let running = simulator.isRunning
        let stats = try await simulator.request("GET", "/simulator/stats", apiKey: nil)
        let stopped = await simulator.stop()
        #expect(running)
        #expect(stats.status == 200)
        #expect(stopped.errors.contains("\"cause\":\"SIGTERM\""))
    }

    @Test func helpPrintsUsage() async throws {
        let result = try await SimulatorProcessHandle.runToEnd(["--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("Usage: infobip-sim --port N"))
    }

    @Test func badFlagExitsWithTwo() async throws {
        let result = try await SimulatorProcessHandle.runToEnd(["--port", "0", "--colour"])
        #expect(result.status == 2)
        #expect(result.errors.contains("--colour"))
        #expect(result.output.isEmpty)
    }

    @Test func apiKeyFlagIsEnforced() async throws {
        let simulator = try await SimulatorProcessHandle.launch([
            "--api-key", "k1", "--api-key", "k2",
        ])
        let path = "/whatsapp/2/senders/441134960000/templates"
        let wrong = try await simulator.request("GET", path, apiKey: "k3")
        let missing = try await simulator.request("GET", path, apiKey: nil)
        let right = try await simulator.request("GET", path, apiKey: "k2")
        await simulator.stop()
        #expect(wrong.status == 401)
        #expect(wrong.body == LegacyErrorBody.unauthorized)
        #expect(missing.status == 401)
        #expect(right.status == 200)
        #expect(right.body == ["templates": []])
    }

    @Test func reportsArriveInOrder() async throws {
        let receiver = try ReportReceiver()
        let simulator = try await SimulatorProcessHandle.launch(["--report-delay-ms", "50"])
        let ids = [uniqueMessageId(), uniqueMessageId()]
        let send = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: [
                "messages": [
                    templateMessage(to: "441134960001", messageId: ids[0], notifyUrl: receiver.url),
                    templateMessage(to: "441134960002", messageId: ids[1], notifyUrl: receiver.url),
                ],
                "bulkId": "BULK-ORDER",
            ]
        )
        let requests = await receiver.waitForRequests(2)
        await simulator.stop()
        await receiver.stop()
        #expect(send.status == 200)
        try #require(requests.count == 2)

        let delivery = requests[0]
        #expect(delivery.method == "POST")
        #expect(delivery.path == "/infobip/reports")
        #expect(delivery.headers["Content-Type"] == "application/json")
        let deliveryResults = try #require(
            JSONValue(parsing: delivery.body)?["results"]?.arrayValue
        )
        #expect(deliveryResults.count == 2)
        let first = try #require(deliveryResults.first)
        #expect(
            Set(first.objectValue?.keys.map { $0 } ?? []) == [
                "bulkId", "price", "status", "error", "messageId", "doneAt", "messageCount",
                "sentAt", "to",
            ]
        )
        #expect(first["bulkId"] == "BULK-ORDER")
        #expect(first["messageId"] == .string(ids[0]))
        #expect(first["to"] == "441134960001")
        #expect(first["messageCount"] == 1)
        #expect(first["price"]?["currency"] == "EUR")
        #expect(first["price"]?["pricePerMessage"]?.doubleValue == 0)
        #expect(first["status"] == MessageStatus.deliveredToHandset)
        #expect(first["error"] == MessageStatus.noError)
        #expect(first["doneAt"]?.stringValue?.hasSuffix("+0000") == true)
        #expect(first["sentAt"]?.stringValue?.count == 28)
        #expect(deliveryResults.last?["messageId"] == .string(ids[1]))

        let seenResults = try #require(JSONValue(parsing: requests[1].body)?["results"]?.arrayValue)
        #expect(seenResults.count == 2)
        let seen = try #require(seenResults.first)
        #expect(
            Set(seen.objectValue?.keys.map { $0 } ?? []) == [
                "messageId", "from", "to", "sentAt", "seenAt",
            ]
        )
        #expect(seen["messageId"] == .string(ids[0]))
        #expect(seen["from"] == "441134960000")
        #expect(seen["to"] == "441134960001")
        #expect(seen["seenAt"]?.stringValue?.hasSuffix("+0000") == true)
    }

    @Test func undeliverableReportCarriesError() async throws {
        let receiver = try ReportReceiver()
        let simulator = try await SimulatorProcessHandle.launch(["--report-delay-ms", "20"])
        _ = try await simulator.request(
            "PUT",
            "/simulator/senders/441134960000",
            json: ["behavior": "undeliverable"],
            apiKey: nil
        )
        let id = uniqueMessageId()
        _ = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: ["messages": [templateMessage(messageId: id, notifyUrl: receiver.url)]]
        )
        let requests = await receiver.waitForRequests(1)
        var attempts: [JSONValue] = []
        _ = try await eventually {
            attempts =
                try await simulator.request("GET", "/simulator/reports", apiKey: nil)
                .body?.arrayValue ?? []
            return !attempts.isEmpty
        }
        await simulator.stop()
        await receiver.stop()
        try #require(requests.count == 1)
        let result = try #require(JSONValue(parsing: requests[0].body)?["results"]?[0])
        #expect(result["messageId"] == .string(id))
        #expect(result["status"]?["groupId"] == 2)
        #expect(result["status"]?["id"] == 9)
        #expect(result["status"]?["name"] == "UNDELIVERABLE_NOT_DELIVERED")
        #expect(result["error"]?["id"] == 7002)
        #expect(result["error"]?["name"] == "EC_UNKNOWN_USER")
        #expect(result["error"]?["groupId"] == 1)
        #expect(result["error"]?["groupName"] == "HANDSET_ERRORS")
        #expect(result["error"]?["permanent"] == true)
        // One UNDELIVERABLE report replaces the default DELIVERED and SEEN pair.
        #expect(attempts.count == 1)
        #expect(attempts.first?["body"]?["results"]?.arrayValue?.count == 1)
    }

    @Test func customReportListIsFollowed() async throws {
        let receiver = try ReportReceiver()
        let simulator = try await SimulatorProcessHandle.launch()
        _ = try await simulator.request(
            "PUT",
            "/simulator/senders/441134960000",
            json: ["reports": ["SEEN", "DELIVERED"], "reportDelayMs": 10],
            apiKey: nil
        )
        _ = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: [
                "messages": [templateMessage(messageId: uniqueMessageId(), notifyUrl: receiver.url)]
            ]
        )
        let requests = await receiver.waitForRequests(2)
        await simulator.stop()
        await receiver.stop()
        try #require(requests.count == 2)
        #expect(JSONValue(parsing: requests[0].body)?["results"]?[0]?["seenAt"] != nil)
        #expect(JSONValue(parsing: requests[1].body)?["results"]?[0]?["doneAt"] != nil)
    }

    @Test func failedReportIsRetried() async throws {
        let receiver = try ReportReceiver(statuses: [503])
        let simulator = try await SimulatorProcessHandle.launch(["--report-delay-ms", "10"])
        _ = try await simulator.request(
            "PUT",
            "/simulator/senders/441134960000",
            json: ["reports": ["DELIVERED"]],
            apiKey: nil
        )
        _ = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: [
                "messages": [templateMessage(messageId: uniqueMessageId(), notifyUrl: receiver.url)]
            ]
        )
        let requests = await receiver.waitForRequests(2)
        var attempts: [JSONValue] = []
        _ = try await eventually {
            attempts =
                try await simulator.request("GET", "/simulator/reports", apiKey: nil)
                .body?.arrayValue ?? []
            return attempts.count >= 2
        }
        await simulator.stop()
        await receiver.stop()
        #expect(requests.count == 2)
        #expect(requests.first?.body == requests.last?.body)
        #expect(attempts.count == 2)
        #expect(attempts.first?["attempt"] == 1)
        #expect(attempts.first?["status"] == 503)
        #expect(attempts.last?["attempt"] == 2)
        #expect(attempts.last?["status"] == 200)
        #expect(attempts.last?["url"] == .string(receiver.url))
        #expect(
            attempts.last?["body"]?["results"]?[0]?["status"] == MessageStatus.deliveredToHandset
        )
    }

    @Test func nonLoopbackNotifyUrlIsSkipped() async throws {
        let simulator = try await SimulatorProcessHandle.launch(["--report-delay-ms", "10"])
        _ = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: [
                "messages": [
                    templateMessage(
                        messageId: uniqueMessageId(),
                        notifyUrl: "https://www.example.com/whatsapp"
                    )
                ]
            ]
        )
        var attempts: [JSONValue] = []
        _ = try await eventually {
            attempts =
                try await simulator.request("GET", "/simulator/reports", apiKey: nil)
                .body?.arrayValue ?? []
            return attempts.count >= 2
        }
        let stopped = await simulator.stop()
        #expect(attempts.count == 2)
        for attempt in attempts {
            #expect(attempt["attempt"] == 0)
            #expect(attempt["status"] == nil)
            #expect(attempt["error"]?.stringValue?.hasPrefix("skipped") == true)
        }
        #expect(stopped.errors.contains("not a loopback address"))
    }

    @Test func requestLogOverHTTP() async throws {
        let simulator = try await SimulatorProcessHandle.launch()
        let message = templateMessage(messageId: uniqueMessageId())
        _ = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: ["messages": [message]]
        )
        let log = try await simulator.request("GET", "/simulator/requests", apiKey: nil)
        let cleared = try await simulator.request("DELETE", "/simulator/requests", apiKey: nil)
        let empty = try await simulator.request("GET", "/simulator/requests", apiKey: nil)
        await simulator.stop()
        let entry = log.body?[0]
        #expect(log.body?.arrayValue?.count == 1)
        #expect(entry?["method"] == "POST")
        #expect(entry?["path"] == "/whatsapp/1/message/template")
        #expect(entry?["body"]?["messages"]?[0] == message)
        let headers = entry?["headers"]?.objectValue ?? [:]
        let authorization = headers.first { $0.key.lowercased() == "authorization" }?.value
        #expect(authorization == "App test-key")
        #expect(cleared.status == 204)
        #expect(empty.body == [])
    }

    @Test func tooManyRequestsOverHTTP() async throws {
        let simulator = try await SimulatorProcessHandle.launch()
        _ = try await simulator.request(
            "PUT",
            "/simulator/senders/441134960000",
            json: ["behavior": "tooManyRequests", "retryAfterSeconds": 3, "times": 1],
            apiKey: nil
        )
        let body: JSONValue = ["messages": [templateMessage(messageId: uniqueMessageId())]]
        let limited = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: body
        )
        let accepted = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: body
        )
        await simulator.stop()
        #expect(limited.status == 429)
        #expect(limited.headers["retry-after"] == "3")
        #expect(limited.body == LegacyErrorBody.tooManyRequests)
        #expect(accepted.status == 200)
    }

    @Test func helpListsLogBodies() async throws {
        let result = try await SimulatorProcessHandle.runToEnd(["--help"])
        #expect(result.output.contains("--log-bodies on|off"))
    }

    @Test func duplicateIdIsRejectedPerMessage() async throws {
        let receiver = try ReportReceiver()
        let simulator = try await SimulatorProcessHandle.launch(["--report-delay-ms", "20"])
        let repeated = uniqueMessageId()
        let fresh = uniqueMessageId()
        let path = "/whatsapp/1/message/template"
        let first = try await simulator.request(
            "POST",
            path,
            json: ["messages": [templateMessage(messageId: repeated, notifyUrl: receiver.url)]]
        )
        let second = try await simulator.request(
            "POST",
            path,
            json: [
                "messages": [
                    templateMessage(messageId: repeated, notifyUrl: receiver.url),
                    templateMessage(messageId: fresh, notifyUrl: receiver.url),
                ]
            ]
        )
        // Two requests with one accepted message each: a delivery and a seen POST per request.
        _ = await receiver.waitForRequests(4)
        // Time for a second set of reports for the duplicate to arrive, if one were planned.
        try await Task.sleep(for: .milliseconds(300))
        let requests = receiver.requests
        let stats = try await simulator.request("GET", "/simulator/stats", apiKey: nil)
        await simulator.stop()
        await receiver.stop()

        #expect(first.status == 200)
        #expect(first.body?["messages"]?[0]?["status"] == MessageStatus.pendingEnroute)
        #expect(second.status == 200)
        let duplicate = second.body?["messages"]?[0]
        #expect(duplicate?["messageId"] == .string(repeated))
        #expect(duplicate?["status"]?["groupId"] == 5)
        #expect(duplicate?["status"]?["groupName"] == "REJECTED")
        #expect(duplicate?["status"]?["id"] == 23)
        #expect(duplicate?["status"]?["name"] == "REJECTED_DUPLICATE_MESSAGE_ID")
        #expect(second.body?["messages"]?[1]?["status"] == MessageStatus.pendingEnroute)

        #expect(requests.count == 4)
        let reportedIds = requests.flatMap { request in
            (JSONValue(parsing: request.body)?["results"]?.arrayValue ?? []).map(\.["messageId"])
        }
        #expect(reportedIds.filter { $0 == .string(repeated) }.count == 2)
        #expect(reportedIds.filter { $0 == .string(fresh) }.count == 2)

        #expect(stats.body?["templateRequests"] == 2)
        #expect(stats.body?["messagesAccepted"] == 2)
        #expect(stats.body?["duplicates"] == 1)
        #expect(stats.body?["duplicateMessageIds"] == [.string(repeated)])
    }

    @Test func senderStatsOverHTTP() async throws {
        let simulator = try await SimulatorProcessHandle.launch()
        let requestCount = 3
        for _ in 0..<requestCount {
            let messages = (0..<100).map { index in
                templateMessage(
                    from: index == 0 ? "441134960009" : "441134960000",
                    messageId: uniqueMessageId()
                )
            }
            _ = try await simulator.request(
                "POST",
                "/whatsapp/1/message/template",
                json: ["messages": .array(messages)]
            )
        }
        let stats = try await simulator.request("GET", "/simulator/stats", apiKey: nil)
        await simulator.stop()

        let busy = try #require(stats.body?["senders"]?["441134960000"])
        #expect(busy["messages"] == .integer(99 * requestCount))
        let peak = try #require(busy["maxPerSecond"]?.intValue)
        // One request's 99 messages share an arrival; how many requests share a second depends
        // on the machine's speed.
        #expect(peak >= 99)
        #expect(peak <= 99 * requestCount)
        #expect(stats.body?["senders"]?["441134960009"]?["messages"] == .integer(requestCount))
    }

    @Test func logBodiesOffOverHTTP() async throws {
        let simulator = try await SimulatorProcessHandle.launch(["--log-bodies", "off"])
        _ = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: ["messages": [templateMessage(messageId: uniqueMessageId())]]
        )
        let log = try await simulator.request("GET", "/simulator/requests", apiKey: nil)
        await simulator.stop()
        let entry = try #require(log.body?[0])
        #expect(entry["body"] == nil)
        #expect(entry["messageCount"] == 1)
        #expect(entry["senders"] == ["441134960000"])
        #expect(entry["path"] == "/whatsapp/1/message/template")
    }

    @Test func rateLimitedReportCarriesError() async throws {
        let receiver = try ReportReceiver()
        let simulator = try await SimulatorProcessHandle.launch()
        _ = try await simulator.request(
            "PUT",
            "/simulator/senders/441134960000",
            json: ["reports": ["RATE_LIMITED"], "reportDelayMs": 10],
            apiKey: nil
        )
        let id = uniqueMessageId()
        let send = try await simulator.request(
            "POST",
            "/whatsapp/1/message/template",
            json: ["messages": [templateMessage(messageId: id, notifyUrl: receiver.url)]]
        )
        let requests = await receiver.waitForRequests(1)
        await simulator.stop()
        await receiver.stop()

        #expect(send.body?["messages"]?[0]?["status"] == MessageStatus.pendingEnroute)
        try #require(requests.count == 1)
        let result = try #require(JSONValue(parsing: requests[0].body)?["results"]?[0])
        #expect(result["messageId"] == .string(id))
        #expect(result["status"]?["groupId"] == 2)
        #expect(result["status"]?["groupName"] == "UNDELIVERABLE")
        #expect(result["status"]?["id"] == 9)
        #expect(result["status"]?["name"] == "UNDELIVERABLE_NOT_DELIVERED")
        #expect(result["error"]?["id"] == 7017)
        #expect(result["error"]?["name"] == "EC_TOO_MANY_REQUESTS")
        #expect(result["error"]?["groupId"] == 1)
        #expect(result["error"]?["groupName"] == "HANDSET_ERRORS")
        #expect(result["error"]?["permanent"] == false)
    }
}
