import Foundation
import TestSupport
import Testing

/// `Idempotency-Key` on `POST /messages/send` and `POST /messages/bulk`: a repeat with the
/// same body gets the first response and sends nothing, another body gets a 422, and repeats
/// that race each other still store one message or bulk.
@Suite struct IdempotencyTests {
    static let sender = "447700800001"

    /// Runs `body` in a scenario with one sender without reports and the default template.
    static func run(_ body: (Scenario) async throws -> Void) async throws {
        try await Scenario.run { scenario in
            try await scenario.addSender(sender, messagesPerSecond: 1_000)
            try await scenario.simulator.configureSender(
                sender,
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addTemplate()
            try await body(scenario)
        }
    }

    static func sendBody(_ scenario: Scenario, to: String = "+44 7700 900001") -> [String: Any] {
        [
            "wabaId": scenario.wabaID, "to": to, "templateName": "order_update",
            "language": "en", "params": ["body": ["Ana", "A-100"]],
        ]
    }

    static func bulkBody(_ scenario: Scenario, count: Int = 5) -> [String: Any] {
        [
            "wabaId": scenario.wabaID, "templateName": "order_update", "language": "en",
            "messages": Scenario.bulkItems(Scenario.recipients(count)),
        ]
    }

    static func post(
        _ scenario: Scenario,
        _ path: String,
        _ body: [String: Any],
        key: String
    ) async throws -> TestResponse {
        try await scenario.client.send("POST", path, json: body, headers: ["Idempotency-Key": key])
    }

    /// Sends a body already encoded, so that concurrent requests can share it.
    static func post(
        _ scenario: Scenario,
        _ path: String,
        _ body: Data,
        key: String
    ) async throws -> TestResponse {
        try await scenario.client.send(
            "POST",
            path,
            body: body,
            headers: ["Content-Type": "application/json", "Idempotency-Key": key]
        )
    }

    static func encoded(_ body: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    static func messageCount(_ scenario: Scenario) async throws -> Int {
        try await scenario.integer("SELECT count(*)::int AS value FROM messages")
    }

    static func bulkCount(_ scenario: Scenario) async throws -> Int {
        try await scenario.integer("SELECT count(*)::int AS value FROM bulks")
    }

    /// Returns the problem document of a key reused with another body at `instance`.
    static func reusedKey(at instance: String) -> [String: Any] {
        [
            "type": "urn:wabarouter:problem:idempotency-key-reused",
            "title": "Idempotency key reused",
            "detail": "This Idempotency-Key was used in the last 24 hours with a different "
                + "request body. Repeat the first request's exact body, or use a new key for a "
                + "new request.",
            "field": "Idempotency-Key",
            "instance": instance,
        ]
    }

    @Test func sendRepeatReturnsFirstAnswer() async throws {
        try await Self.run { scenario in
            let body = Self.sendBody(scenario)
            let first = try await Self.post(scenario, "/messages/send", body, key: "send-1")
            let repeated = try await Self.post(scenario, "/messages/send", body, key: "send-1")

            #expect(first.status == 201)
            #expect(repeated.status == first.status)
            #expect(repeated.body == first.body)
            #expect(repeated.header("Location") == first.header("Location"))
            #expect(try await scenario.simulator.sentMessages().count == 1)
            #expect(try await Self.messageCount(scenario) == 1)
        }
    }

    @Test func bulkRepeatReturnsFirstAnswer() async throws {
        try await Self.run { scenario in
            let body = Self.bulkBody(scenario)
            let first = try await Self.post(scenario, "/messages/bulk", body, key: "bulk-1")
            let bulkID = try #require(first.json[string: "bulkId"])
            _ = try await scenario.waitForBulkDone(bulkID)
            let repeated = try await Self.post(scenario, "/messages/bulk", body, key: "bulk-1")

            #expect(first.status == 202)
            #expect(repeated.status == first.status)
            #expect(repeated.body == first.body)
            #expect(repeated.header("Location") == "/bulks/\(bulkID)")
            #expect(try await Self.bulkCount(scenario) == 1)
            #expect(try await Self.messageCount(scenario) == 5)
            // A stray dispatch of the repeat would show up within a poll interval or two.
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await scenario.simulator.sentMessages().count == 5)
        }
    }

    /// A client that lost the response may repeat after the bulk's `expiresAt`, and must still
    /// learn that the bulk exists.
    @Test func bulkRepeatAfterExpiresAt() async throws {
        try await Self.run { scenario in
            var body = Self.bulkBody(scenario)
            let expiresAt = Date().addingTimeInterval(2)
            body["expiresAt"] = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
                .format(expiresAt)
            let first = try await Self.post(scenario, "/messages/bulk", body, key: "late")
            try await Task.sleep(for: .seconds(max(0, expiresAt.timeIntervalSinceNow) + 0.5))
            let repeated = try await Self.post(scenario, "/messages/bulk", body, key: "late")

            #expect(first.status == 202)
            #expect(repeated.status == 202)
            #expect(repeated.body == first.body)
            #expect(try await Self.bulkCount(scenario) == 1)
        }
    }

    @Test func keyReusedWithOtherBody() async throws {
        try await Self.run { scenario in
            _ = try await Self.post(scenario, "/messages/send", Self.sendBody(scenario), key: "k")
            let otherSend = Self.sendBody(scenario, to: "+44 7700 900002")
            let send = try await Self.post(scenario, "/messages/send", otherSend, key: "k")
            expectProblem(send, status: 422, Self.reusedKey(at: "/messages/send"))

            _ = try await Self.post(scenario, "/messages/bulk", Self.bulkBody(scenario), key: "k")
            let otherBulk = Self.bulkBody(scenario, count: 6)
            let bulk = try await Self.post(scenario, "/messages/bulk", otherBulk, key: "k")
            expectProblem(bulk, status: 422, Self.reusedKey(at: "/messages/bulk"))

            #expect(try await Self.bulkCount(scenario) == 1)
            #expect(try await Self.messageCount(scenario) == 6)
        }
    }

    @Test func concurrentSendsStoreOneMessage() async throws {
        try await Self.run { scenario in
            let body = try Self.encoded(Self.sendBody(scenario))
            async let first = Self.post(scenario, "/messages/send", body, key: "race")
            async let second = Self.post(scenario, "/messages/send", body, key: "race")
            let answers = try await [first, second]

            #expect(answers.map(\.status).allSatisfy { $0 == 201 || $0 == 202 })
            let ids = Set(answers.compactMap { $0.json[string: "id"] })
            #expect(ids.count == 1)
            #expect(try await Self.messageCount(scenario) == 1)
            #expect(try await scenario.simulator.sentMessages().count == 1)
        }
    }

    @Test func concurrentBulksStoreOneBulk() async throws {
        try await Self.run { scenario in
            let body = try Self.encoded(Self.bulkBody(scenario, count: 20))
            async let first = Self.post(scenario, "/messages/bulk", body, key: "race")
            async let second = Self.post(scenario, "/messages/bulk", body, key: "race")
            let answers = try await [first, second]

            #expect(answers.map(\.status) == [202, 202])
            #expect(answers[0].body == answers[1].body)
            #expect(try await Self.bulkCount(scenario) == 1)
            #expect(try await Self.messageCount(scenario) == 20)
            let bulkID = try #require(answers[0].json[string: "bulkId"])
            _ = try await scenario.waitForBulkDone(bulkID)
            #expect(try await scenario.simulator.sentMessages().count == 20)
        }
    }

    /// Posts the send body over a raw socket with the bearer key, `Content-Type` and `extra`
    /// header lines in order, so that a name may repeat or carry whitespace.
    static func postRaw(
        _ scenario: Scenario,
        extra: [(name: String, value: String)]
    ) async throws -> TestResponse {
        let token = try #require(scenario.client.bearerToken)
        return try await RawHTTPClient.send(
            port: scenario.server.port,
            method: "POST",
            path: "/messages/send",
            headerFields: [
                ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"),
            ] + extra,
            body: try encoded(sendBody(scenario))
        )
    }

    /// Posts a send body with `keys` as `Idempotency-Key` header lines, in order, and checks
    /// the 400 that names the header and stores nothing.
    static func expectKeyRejected(
        _ scenario: Scenario,
        keys: [String],
        detail: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await postRaw(scenario, extra: keys.map { ("Idempotency-Key", $0) })
        expectProblem(
            response,
            status: 400,
            [
                "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
                "detail": detail, "field": "Idempotency-Key", "instance": "/messages/send",
            ],
            sourceLocation: sourceLocation
        )
        #expect(try await messageCount(scenario) == 0, sourceLocation: sourceLocation)
        #expect(
            try await scenario.simulator.sentMessages().isEmpty,
            sourceLocation: sourceLocation
        )
    }

    @Test func repeatedKeyHeaderRejected() async throws {
        try await Self.run { scenario in
            try await Self.expectKeyRejected(
                scenario,
                keys: ["order-1", "order-2"],
                detail: "The Idempotency-Key header appears 2 times. Send it once, with one key."
            )
        }
    }

    @Test(arguments: ["", "two words", String(repeating: "k", count: 256), "caf\u{E9}"])
    func invalidKeyRejected(key: String) async throws {
        try await Self.run { scenario in
            try await Self.expectKeyRejected(
                scenario,
                keys: [key],
                detail: "The Idempotency-Key header must be 1 to 255 printable ASCII characters "
                    + "without spaces, such as a UUID."
            )
        }
    }

    @Test func foldedKeyHeaderRejected() async throws {
        try await Self.run { scenario in
            try await Self.expectKeyRejected(
                scenario,
                keys: ["order-1\r\n  more"],
                detail: "The header 'Idempotency-Keymore' is not Idempotency-Key; a header value "
                    + "continued on a second line arrives this way. Send the key on the header's "
                    + "own line."
            )
        }
    }

    @Test func spaceBeforeColonRejected() async throws {
        try await Self.run { scenario in
            let response = try await Self.postRaw(
                scenario,
                extra: [("Idempotency-Key ", "order-1")]
            )
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:malformed-request",
                    "title": "Malformed request",
                    "detail": "The header field name 'Idempotency-Key ' is not valid: HTTP allows "
                        + "only letters, digits and !#$%&'*+-.^_`|~ in a name, and no whitespace "
                        + "before the colon. Fix the request and send it again.",
                    "instance": "/messages/send",
                ]
            )
            #expect(try await Self.messageCount(scenario) == 0)
        }
    }

    @Test func surroundingWhitespaceNotPartOfKey() async throws {
        try await Self.run { scenario in
            var answers: [TestResponse] = []
            for key in ["order-1", "order-1 \t"] {
                answers.append(try await Self.postRaw(scenario, extra: [("Idempotency-Key", key)]))
            }

            #expect(answers.map(\.status) == [201, 201])
            #expect(answers[1].body == answers[0].body)
            #expect(try await scenario.simulator.sentMessages().count == 1)
        }
    }
}
