public import App
public import Foundation
public import Postgres

/// Bulk sends, business portfolios, inbound messages and database look-ups for the tests of
/// the work queue.
extension Scenario {
    /// Starts a simulator and a server with `dispatch`, builds a scenario, runs `body`, and
    /// always stops both.
    public static func run(
        dispatch: DispatchConfiguration = TestServer.fastDispatch,
        simulatorArguments: [String] = ["--report-delay-ms", "400"],
        _ body: (Scenario) async throws -> Void
    ) async throws {
        let simulator = try SimulatorProcess(arguments: simulatorArguments)
        defer { simulator.stop() }
        let server = try await TestServer.start(dispatch: dispatch)
        do {
            let scenario = try await Scenario.make(server: server, simulator: simulator)
            try await body(scenario)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Returns `count` distinct UK mobile numbers in E.164 digits, 447700900000 + `first`
    /// onwards, in ascending order.
    public static func recipients(_ count: Int, from first: Int = 0) -> [String] {
        precondition(first >= 0 && first + count <= 100_000, "only 100,000 numbers exist")
        return (first..<(first + count)).map { "4477009" + String(format: "%05d", $0) }
    }

    /// Returns one bulk item per recipient for the default template, whose body has two
    /// placeholders.
    public static func bulkItems(_ recipients: [String]) -> [[String: Any]] {
        recipients.enumerated().map { index, to in
            ["to": to, "params": ["body": ["Ana", "A-\(index)"]]]
        }
    }

    /// Posts `POST /messages/bulk` for the default template with `items`; `extra` adds or
    /// replaces top-level members.
    public func sendBulk(
        _ items: [[String: Any]],
        extra: [String: Any] = [:],
        headers: [String: String] = [:]
    ) async throws -> TestResponse {
        var body: [String: Any] = [
            "wabaId": wabaID,
            "templateName": "order_update",
            "language": "en",
            "messages": items,
        ]
        body.merge(extra) { _, new in new }
        return try await client.send("POST", "/messages/bulk", json: body, headers: headers)
    }

    /// Posts a bulk body of megabytes, already encoded, through ``RawHTTPClient``.
    public func sendLargeBulk(_ body: Data) async throws -> TestResponse {
        var headers = ["Content-Type": "application/json"]
        if let token = client.bearerToken {
            headers["Authorization"] = "Bearer \(token)"
        }
        return try await RawHTTPClient.send(
            port: server.port,
            method: "POST",
            path: "/messages/bulk",
            headers: headers,
            body: body
        )
    }

    /// Posts a bulk to `recipients` and returns its id.
    ///
    /// - Throws: ``SimulatorError`` when the response is not 202 with a `bulkId`.
    public func startBulk(to recipients: [String], extra: [String: Any] = [:]) async throws
        -> String
    {
        let response = try await sendBulk(Self.bulkItems(recipients), extra: extra)
        guard response.status == 202, let id = response.json["bulkId"] as? String else {
            throw SimulatorError("the bulk was not accepted: \(response.status) \(response.text)")
        }
        return id
    }

    /// Reads `GET /bulks/{id}`.
    public func bulk(_ id: String) async throws -> [String: Any] {
        try await client.send("GET", "/bulks/\(id)", body: nil).json
    }

    /// Returns the bulk's count of messages in `status`, from `GET /bulks/{id}`.
    public static func count(_ view: [String: Any], _ status: String) -> Int {
        (view["counts"] as? [String: Any])?[status] as? Int ?? 0
    }

    /// Polls `GET /bulks/{id}` until `condition` is true or `timeout` passes, and returns the
    /// last view either way.
    public func waitForBulk(
        _ id: String,
        timeout: Duration = .seconds(60),
        until condition: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        var view = try await bulk(id)
        while !condition(view) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            view = try await bulk(id)
        }
        return view
    }

    /// Polls until none of the bulk's messages is QUEUED or SENDING, for at most `timeout`.
    public func waitForBulkDone(_ id: String, timeout: Duration = .seconds(60)) async throws
        -> [String: Any]
    {
        try await waitForBulk(id, timeout: timeout) { view in
            Self.count(view, "QUEUED") + Self.count(view, "SENDING") == 0
        }
    }

    /// Adds a sender with a messages-per-second limit and returns its id.
    @discardableResult
    public func addSender(
        _ number: String,
        messagesPerSecond: Int,
        quality: String = "HIGH"
    ) async throws -> String {
        let response = try await client.send(
            "POST",
            "/wabas/\(wabaID)/senders",
            json: ["number": number, "quality": quality, "messagesPerSecond": messagesPerSecond]
        )
        guard response.status == 201, let id = response.json["id"] as? String else {
            throw SimulatorError(
                "adding sender \(number) failed: \(response.status) \(response.text)"
            )
        }
        return id
    }

    /// Sends `PATCH /wabas/{id}/senders/{senderId}` with `changes`.
    public func updateSender(_ senderID: String, _ changes: [String: Any]) async throws
        -> TestResponse
    {
        try await client.send("PATCH", "/wabas/\(wabaID)/senders/\(senderID)", json: changes)
    }

    /// Returns the id of the WABA's business portfolio.
    public func portfolioID() async throws -> String {
        let response = try await client.send("GET", "/wabas/\(wabaID)", body: nil)
        guard let id = response.json["portfolioId"] as? String else {
            throw SimulatorError("the WABA has no portfolioId: \(response.text)")
        }
        return id
    }

    /// Sets the messaging limit tier of the WABA's portfolio, such as `UNLIMITED`.
    public func setMessagingLimit(_ tier: String) async throws {
        let id = try await portfolioID()
        let response = try await client.send(
            "PATCH",
            "/portfolios/\(id)",
            json: ["messagingLimit": tier]
        )
        guard response.status == 200 else {
            throw SimulatorError("setting the limit failed: \(response.status) \(response.text)")
        }
    }

    /// Posts an inbound WhatsApp message from `user` to the sender `senderNumber`, in the
    /// shape of Infobip's inbound message webhook.
    public func postInbound(from user: String, to senderNumber: String) async throws
        -> TestResponse
    {
        let item: [String: Any] = [
            "from": user,
            "to": senderNumber,
            "integrationType": "WHATSAPP",
            "receivedAt": InfobipTime.format(Date()),
            "messageId": "wamid.\(UUID().uuidString)",
            "message": ["text": "Hello", "type": "TEXT"],
            "price": ["pricePerMessage": 0, "currency": "EUR"],
            "contact": ["name": "Test user"],
        ]
        return try await server.anonymousClient().send(
            "POST",
            "/webhooks/infobip",
            json: ["results": [item], "messageCount": 1, "pendingMessageCount": 0]
        )
    }

    /// Runs `query` on the scenario's database and returns the integer in its first row's
    /// `value` column.
    public func integer(_ query: PostgresQuery) async throws -> Int {
        try await server.application.pool.withConnection { connection in
            try connection.query(query)[0].decode("value", as: Int.self)
        }
    }

    /// Runs `query` on the scenario's database and returns the text in each row's `value`
    /// column.
    public func strings(_ query: PostgresQuery) async throws -> [String] {
        try await server.application.pool.withConnection { connection in
            try connection.query(query).map { try $0.decode("value", as: String.self) }
        }
    }
}

extension SimulatorProcess {
    /// `GET /simulator/stats`: `messagesAccepted`, `duplicates`, `duplicateMessageIds` and
    /// `senders`.
    public func stats() async throws -> [String: Any] {
        try await client.send("GET", "/simulator/stats", body: nil).json
    }

    /// Returns the `maxPerSecond` that the statistics show for a sender.
    public static func peakRate(_ stats: [String: Any], sender: String) -> Int? {
        let senders = stats["senders"] as? [String: Any]
        return (senders?[sender] as? [String: Any])?["maxPerSecond"] as? Int
    }
}

/// Infobip's timestamp form, `2025-01-01T10:10:00.000+0000`, which the simulator also uses for
/// `receivedAt` in its request log.
public enum InfobipTime {
    public static func format(_ date: Date) -> String {
        formatter().string(from: date)
    }

    public static func parse(_ text: String) -> Date? {
        formatter().date(from: text)
    }

    private static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return formatter
    }
}
