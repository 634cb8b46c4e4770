import Foundation
import Infobip
import Logging
import Testing

/// The client against real sockets on 127.0.0.1: a one-shot HTTP server, a listener that never
/// responds, and a port with nothing listening.
@Suite struct InfobipClientTests {
    private let logs = InMemoryLogHandler()

    private func makeClient(timeout: Duration = .seconds(10)) -> InfobipClient {
        InfobipClient(
            timeout: timeout,
            logger: Logger(label: "test.infobip", level: .trace, handler: logs)
        )
    }

    private func credentials(_ baseURL: URL) -> InfobipCredentials {
        InfobipCredentials(baseURL: baseURL, apiKey: "App \(TestValues.apiKey)")
    }

    private static let acceptedBody = #"""
        {"messages":[{"to":"441134960001","messageCount":1,"messageId":"msg-1",
        "status":{"groupId":1,"groupName":"PENDING","id":7,"name":"PENDING_ENROUTE",
        "description":"Message sent to next instance"}}],"bulkId":"b-1"}
        """#

    @Test func sendPostsDocumentedRequest() async throws {
        let server = try LoopbackHTTPServer(status: 200, body: Self.acceptedBody)
        let message = TestValues.message()
        let result = await makeClient().sendTemplates(
            [message],
            bulkId: "b-1",
            credentials: credentials(server.baseURL)
        )

        let entries = try result.get()
        #expect(entries.map(\.messageId) == ["msg-1"])
        #expect(entries.first?.status == TestValues.pendingEnroute)

        let request = try #require(server.request)
        #expect(request.requestLine == "POST /whatsapp/1/message/template HTTP/1.1")
        #expect(request.headers["authorization"] == "App \(TestValues.apiKey)")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["accept"] == "application/json")
        #expect(request.headers["cookie"] == nil)
        let expectedBody = try InfobipClient.encodeBody(
            TemplateSendRequest(messages: [message], bulkId: "b-1")
        )
        #expect(request.body == expectedBody)
    }

    @Test func logsNeverContainApiKey() async throws {
        let server = try LoopbackHTTPServer(
            status: 401,
            reason: "Unauthorized",
            body:
                String(
                    decoding: TestValues.legacyErrorBody(
                        code: "UNAUTHORIZED",
                        text: "Unauthorized"
                    ),
                    as: UTF8.self
                )
        )
        _ = await makeClient().sendTemplates(
            [TestValues.message()],
            bulkId: nil,
            credentials: credentials(server.baseURL)
        )

        let records = logs.records
        #expect(records.contains { $0.message == "Infobip request started" && $0.level == .debug })
        #expect(records.contains { $0.message == "Infobip request failed" && $0.level == .info })
        for record in records {
            let line = record.jsonLine()
            #expect(!line.contains(TestValues.apiKey))
            #expect(!line.contains("App "))
        }
    }

    @Test func failureLogNamesPathStatusAndIds() async throws {
        let server = try LoopbackHTTPServer(status: 500, reason: "Server Error", body: "{}")
        _ = await makeClient().sendTemplates(
            [TestValues.message(messageId: "a"), TestValues.message(messageId: "b")],
            bulkId: nil,
            credentials: credentials(server.baseURL)
        )

        let failure = try #require(logs.records.first { $0.message == "Infobip request failed" })
        #expect(failure.metadata["path"] == "/whatsapp/1/message/template")
        #expect(failure.metadata["status"] == "500")
        #expect(failure.metadata["messageIds"] == "a,b")
        #expect(failure.metadata["failure"] == "http_500")
    }

    @Test func rejectedEntryIsLoggedAndReturned() async throws {
        let body = #"""
            {"messages":[{"to":"441134960001","messageCount":0,"messageId":"msg-1",
            "status":{"groupId":5,"groupName":"REJECTED","id":52,"name":"REJECTED_DESTINATION"}}]}
            """#
        let server = try LoopbackHTTPServer(status: 200, body: body)
        let result = await makeClient().sendTemplates(
            [TestValues.message()],
            bulkId: nil,
            credentials: credentials(server.baseURL)
        )

        let entries = try result.get()
        #expect(entries.first?.status.groupName == "REJECTED")
        let record = try #require(
            logs.records.first { $0.message == "Infobip did not accept some messages" }
        )
        #expect(record.metadata["messageIds"] == "msg-1")
        #expect(record.metadata["statuses"] == "REJECTED_DESTINATION")
    }

    @Test func tooManyRequestsOverTheWire() async throws {
        let server = try LoopbackHTTPServer(
            status: 429,
            reason: "Too Many Requests",
            headers: ["Content-Type": "application/json", "Retry-After": "2"],
            body:
                #"{"errorCode":"E429","description":"Too many requests sent.","#
                + #""action":"Slow down.","violations":[],"resources":[]}"#
        )
        let result = await makeClient().sendTemplates(
            [TestValues.message()],
            bulkId: nil,
            credentials: credentials(server.baseURL)
        )
        let expectedError = InfobipAPIError(
            code: "E429",
            normalizedCode: "E429",
            text: "Too many requests sent.",
            action: "Slow down."
        )
        #expect(
            result == .failure(.http(status: 429, error: expectedError, retryAfter: .seconds(2)))
        )
    }

    @Test func redirectIsNotFollowed() async throws {
        let server = try LoopbackHTTPServer(
            status: 307,
            reason: "Temporary Redirect",
            headers: ["Location": "http://127.0.0.1:9/elsewhere"],
            body: ""
        )
        let result = await makeClient().listTemplates(
            sender: "441134960000",
            credentials: credentials(server.baseURL)
        )
        #expect(result == .failure(.http(status: 307, error: nil, retryAfter: nil)))
    }

    @Test func refusedConnectionIsNotSent() async throws {
        let port = try refusedLoopbackPort()
        let result = await makeClient().sendTemplates(
            [TestValues.message()],
            bulkId: nil,
            credentials: credentials(URL(string: "http://127.0.0.1:\(port)")!)
        )
        guard case .failure(.notSent(let reason)) = result else {
            Issue.record("expected notSent, got \(result)")
            return
        }
        #expect(reason.hasPrefix("connection failed"))
    }

    @Test func silentServerTimesOut() async throws {
        let listener = try SilentLoopbackListener()
        let result = await makeClient(timeout: .seconds(1)).sendTemplates(
            [TestValues.message()],
            bulkId: nil,
            credentials: credentials(listener.baseURL)
        )
        #expect(result == .failure(.timedOut))
        withExtendedLifetime(listener) {}
    }

    @Test func createTemplateSendsBodyUnchanged() async throws {
        let responseBody = #"""
            {"id":"111","businessAccountId":222,"name":"order_update","language":"en",
             "status":"PENDING",
             "category":"UTILITY","structure":{"body":{"text":"Order {{1}} shipped"},"type":"TEXT"},
             "createdAt":"2024-01-01T00:00:00.000+0000",
             "lastUpdatedAt":"2024-01-01T00:00:00.000+0000"}
            """#
        let server = try LoopbackHTTPServer(status: 201, reason: "Created", body: responseBody)
        let requestBody = TestValues.data(
            #"{"name":"order_update","language":"en","category":"UTILITY","#
                + #""structure":{"body":{"text":"Order {{1}} shipped","examples":["17"]}}}"#
        )
        let result = await makeClient().createTemplate(
            sender: "+441134960000",
            body: requestBody,
            credentials: credentials(server.baseURL)
        )

        let template = try result.get()
        #expect(template.id == "111")
        #expect(template.status == "PENDING")
        #expect(TestValues.milliseconds(template.createdAt) == 1_704_067_200_000)
        let request = try #require(server.request)
        #expect(
            request.requestLine == "POST /whatsapp/2/senders/%2B441134960000/templates HTTP/1.1"
        )
        #expect(request.body == requestBody)
    }

    @Test func createTemplateRejectsNonObjectBody() async {
        let result = await makeClient().createTemplate(
            sender: "441134960000",
            body: TestValues.data("[1,2]"),
            credentials: credentials(URL(string: "http://127.0.0.1:9")!)
        )
        #expect(result == .failure(.notSent(reason: "the template body is not a JSON object")))
    }

    @Test func searchTemplatesReadsPaging() async throws {
        let body = #"""
            {"results":[{"id":"5","name":"a","language":"en","status":"APPROVED",
             "category":"MARKETING","structure":{"body":{"text":"x"}}}],
             "paging":{"page":1,"size":1,"totalPages":3,"totalResults":3}}
            """#
        let server = try LoopbackHTTPServer(status: 200, body: body)
        let page = try await makeClient().searchTemplates(
            page: 1,
            size: 1,
            credentials: credentials(server.baseURL)
        ).get()

        #expect(page.templates.map(\.id) == ["5"])
        #expect(page.page == 1)
        #expect(page.totalPages == 3)
        let request = try #require(server.request)
        #expect(request.requestLine == "GET /whatsapp/1/templates?page=1&size=1 HTTP/1.1")
    }

    @Test func sendTextPostsOneMessage() async throws {
        let body = #"""
            {"to":"441134960001","messageCount":1,"messageId":"t-1","status":{"groupId":1,
             "groupName":"PENDING","id":7,"name":"PENDING_ENROUTE",
             "description":"Message sent to next instance"}}
            """#
        let server = try LoopbackHTTPServer(status: 200, body: body)
        let message = TextMessage(
            from: "441134960000",
            to: "441134960001",
            messageId: "t-1",
            text: "Hi"
        )
        let entry = try await makeClient().sendText(
            message,
            credentials: credentials(server.baseURL)
        ).get()

        #expect(entry.messageId == "t-1")
        let request = try #require(server.request)
        #expect(request.requestLine == "POST /whatsapp/1/message/text HTTP/1.1")
        #expect(request.body == (try InfobipClient.encodeBody(message)))
    }

    private static let qualityBody = #"""
        {"results":[{"sender":"441134960000","qualityRating":"HIGH","status":"CONNECTED",
        "currentLimit":"LIMIT_10K","lastUpdated":"2022-02-18T08:12:26.422Z"}]}
        """#

    @Test func senderQualityGetsListedSenders() async throws {
        let server = try LoopbackHTTPServer(status: 200, body: Self.qualityBody)
        let results = try await makeClient().senderQuality(
            ["441134960000", "+441134960001"],
            credentials: credentials(server.baseURL)
        ).get()

        #expect(results.map(\.sender) == ["441134960000"])
        #expect(results.first?.messagingLimit == .uniqueRecipientsPer24Hours(10_000))
        let request = try #require(server.request)
        #expect(
            request.requestLine
                == "GET /whatsapp/1/senders/quality?senders=441134960000,%2B441134960001 HTTP/1.1"
        )
        #expect(request.headers["authorization"] == "App \(TestValues.apiKey)")
        #expect(request.headers["accept"] == "application/json")
        #expect(request.body.isEmpty)
    }

    @Test func senderQualitySplitsLongList() async throws {
        let server = try LoopbackHTTPServer(status: 200, body: Self.qualityBody, connections: 2)
        let senders = (0..<150).map { "4411349" + String(format: "%05d", $0) }
        let results = try await makeClient().senderQuality(
            senders,
            credentials: credentials(server.baseURL)
        ).get()

        #expect(results.count == 2)
        let requestLines = server.requests.map(\.requestLine)
        try #require(requestLines.count == 2)
        let prefix = "GET /whatsapp/1/senders/quality?senders="
        let suffix = " HTTP/1.1"
        #expect(requestLines[0] == prefix + senders[0..<100].joined(separator: ",") + suffix)
        #expect(requestLines[1] == prefix + senders[100...].joined(separator: ",") + suffix)
    }

    @Test func senderQualityStopsAtFirstFailure() async throws {
        let server = try LoopbackHTTPServer(
            status: 429,
            reason: "Too Many Requests",
            body:
                String(
                    decoding: TestValues.legacyErrorBody(
                        code: "TOO_MANY_REQUESTS",
                        text: "Too many requests"
                    ),
                    as: UTF8.self
                ),
            connections: 2,
            waitSeconds: 1
        )
        let senders = (0..<101).map { "4411349" + String(format: "%05d", $0) }
        let result = await makeClient().senderQuality(
            senders,
            credentials: credentials(server.baseURL)
        )

        guard case .failure(.http(let status, let error, _)) = result else {
            Issue.record("expected an HTTP failure, got \(result)")
            return
        }
        #expect(status == 429)
        #expect(error?.code == "TOO_MANY_REQUESTS")
        #expect(server.requests.count == 1)
    }

    @Test func senderQualityWithoutSendersSendsNothing() async throws {
        // Nothing listens on this port, so a request would fail as not sent.
        let port = try refusedLoopbackPort()
        let result = await makeClient().senderQuality(
            [],
            credentials: credentials(URL(string: "http://127.0.0.1:\(port)")!)
        )
        #expect(result == .success([]))
    }

    @Test func senderQualityRejectsCommaInNumber() async {
        let result = await makeClient().senderQuality(
            ["441134960000", "441134960001,441134960002"],
            credentials: credentials(URL(string: "http://127.0.0.1:9")!)
        )
        #expect(
            result
                == .failure(
                    .notSent(reason: "sender number at index 1 is empty or contains a comma")
                )
        )
    }
}
