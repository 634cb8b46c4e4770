import Foundation

/// One tenant with one WABA pointed at its own simulator, built through the public API the way
/// a client company would, so tests start from real rows.
public struct Scenario: Sendable {
    public let server: TestServer
    public let simulator: SimulatorProcess
    public let client: HTTPTestClient
    public let wabaID: String

    /// Creates a tenant and a WABA whose base URL is the simulator.
    public static func make(
        server: TestServer,
        simulator: SimulatorProcess,
        apiKey: String = "test-infobip-key-1234"
    ) async throws -> Scenario {
        let client = try await server.makeTenantClient()
        let response = try await client.send(
            "POST",
            "/wabas",
            json: [
                "name": "Test WABA",
                "apiKey": apiKey,
                "baseUrl": simulator.baseURL,
                "wabaId": String(Int.random(in: 100_000_000...999_999_999)),
            ]
        )
        guard response.status == 201, let id = response.json["id"] as? String else {
            throw SimulatorError("creating the WABA failed: \(response.status) \(response.text)")
        }
        return Scenario(server: server, simulator: simulator, client: client, wabaID: id)
    }

    /// A random UK mobile number in E.164 digits, unique enough for one test.
    public static func randomNumber() -> String {
        "4477009" + String(format: "%05d", Int.random(in: 0...99_999))
    }

    /// Adds a sender and returns its id.
    @discardableResult
    public func addSender(
        _ number: String,
        quality: String = "HIGH",
        status: String = "ACTIVE"
    ) async throws -> String {
        let response = try await client.send(
            "POST",
            "/wabas/\(wabaID)/senders",
            json: ["number": number, "quality": quality, "status": status]
        )
        guard response.status == 201, let id = response.json["id"] as? String else {
            throw SimulatorError(
                "adding sender \(number) failed: \(response.status) \(response.text)"
            )
        }
        return id
    }

    /// Creates a template through the simulator (approved on creation) and returns its body.
    @discardableResult
    public func addTemplate(
        name: String = "order_update",
        language: String = "en",
        bodyText: String = "Hello {{1}}, your order {{2}} is ready.",
        extraComponents: [String: Any] = [:]
    ) async throws -> [String: Any] {
        var components: [String: Any] = ["body": ["text": bodyText]]
        components.merge(extraComponents) { _, new in new }
        let response = try await client.send(
            "POST",
            "/wabas/\(wabaID)/templates",
            json: [
                "name": name,
                "language": language,
                "category": "UTILITY",
                "components": components,
            ]
        )
        guard response.status == 201 else {
            throw SimulatorError(
                "creating template \(name) failed: \(response.status) \(response.text)"
            )
        }
        return response.json
    }

    /// Sends one message of the default template.
    public func send(
        to: String = "+44 7700 900 001",
        templateName: String = "order_update",
        language: String? = "en",
        params: [String: Any] = ["body": ["Ana", "A-100"]],
        extra: [String: Any] = [:]
    ) async throws -> TestResponse {
        var body: [String: Any] = [
            "wabaId": wabaID,
            "to": to,
            "templateName": templateName,
            "params": params,
        ]
        if let language {
            body["language"] = language
        }
        body.merge(extra) { _, new in new }
        return try await client.send("POST", "/messages/send", json: body)
    }

    /// Polls `GET /messages/{id}` until its status is `status`, for at most `timeout`.
    public func waitForStatus(
        _ messageID: String,
        _ status: String,
        timeout: Duration = .seconds(15)
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            last = try await client.send("GET", "/messages/\(messageID)", body: nil).json
            if last["status"] as? String == status {
                return last
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return last
    }
}
