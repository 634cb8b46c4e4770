import Foundation
import TestSupport
import Testing

@Suite struct ResourceRoutesTests {
    @Test func wabaNeverReturnsApiKey() async throws {
        try await withScenario { scenario in
            let created = try await scenario.client.send(
                "POST",
                "/wabas",
                json: [
                    "name": "Acme", "apiKey": "App secret-key-9876",
                    "baseUrl": "example.api.infobip.com/",
                    "wabaId": "104857362918273",
                ]
            )
            #expect(created.status == 201)
            #expect(created.json[string: "baseUrl"] == "https://example.api.infobip.com")
            #expect(created.json[string: "apiKeyLast4"] == "9876")
            #expect(created.json[string: "wabaId"] == "104857362918273")
            #expect(created.json["apiKey"] == nil)
            #expect(!created.text.contains("secret-key"))

            let list = try await scenario.client.send("GET", "/wabas", body: nil)
            #expect(list.json[objects: "wabas"].count == 2)
            #expect(!list.text.contains("secret-key"))
            let id = created.json[string: "id"] ?? ""
            let one = try await scenario.client.send("GET", "/wabas/\(id)", body: nil)
            #expect(one.json[string: "name"] == "Acme")
        }
    }

    @Test func duplicateWabaIdConflicts() async throws {
        try await withScenario { scenario in
            let body: [String: Any] = [
                "name": "Acme", "apiKey": "demo-key-1234", "baseUrl": "https://x.api.infobip.com",
                "wabaId": "555",
            ]
            let first = try await scenario.client.send("POST", "/wabas", json: body)
            #expect(first.status == 201)
            let second = try await scenario.client.send("POST", "/wabas", json: body)
            #expect(second.status == 409)
            #expect(second.json[string: "field"] == "wabaId")
        }
    }

    @Test(arguments: [
        ("http://api.infobip.com", "insecure"),
        ("https://x.api.infobip.com/whatsapp/1", "path"),
        ("", "empty"),
    ])
    func invalidBaseUrlRejected(baseURL: String, kind: String) async throws {
        try await withScenario { scenario in
            let response = try await scenario.client.send(
                "POST",
                "/wabas",
                json: [
                    "name": "Acme", "apiKey": "demo-key-1234", "baseUrl": baseURL, "wabaId": "77",
                ]
            )
            #expect(response.status == 400, "\(kind)")
            #expect(response.json[string: "field"] == "baseUrl")
        }
    }

    @Test func senderNumberNormalised() async throws {
        try await withScenario { scenario in
            let created = try await scenario.client.send(
                "POST",
                "/wabas/\(scenario.wabaID)/senders",
                json: ["number": "00 55 (11) 98765-4321"]
            )
            #expect(created.status == 201)
            #expect(created.json[string: "number"] == "5511987654321")
            #expect(created.json[string: "status"] == "ACTIVE")
            #expect(created.json[string: "quality"] == "HIGH")
            #expect(created.json["score"] as? Int == 85)
            #expect(created.json["lastUsedAt"] == nil)

            let duplicate = try await scenario.client.send(
                "POST",
                "/wabas/\(scenario.wabaID)/senders",
                json: ["number": "+55 11 98765 4321"]
            )
            #expect(duplicate.status == 409)

            let local = try await scenario.client.send(
                "POST",
                "/wabas/\(scenario.wabaID)/senders",
                json: ["number": "(11) 98765-4321"]
            )
            #expect(local.status == 400)
            #expect(local.json[string: "field"] == "number")
        }
    }

    @Test func senderPatchChangesStatusAndQuality() async throws {
        try await withScenario { scenario in
            let id = try await scenario.addSender(Scenario.randomNumber())
            let path = "/wabas/\(scenario.wabaID)/senders/\(id)"
            let patched = try await scenario.client.send(
                "PATCH",
                path,
                json: ["status": "PAUSED", "quality": "LOW"]
            )
            #expect(patched.status == 200)
            #expect(patched.json[string: "status"] == "PAUSED")
            #expect(patched.json[string: "quality"] == "LOW")
            #expect(patched.json["score"] as? Int == 20)

            let invalid = try await scenario.client.send("PATCH", path, json: ["status": "OFF"])
            #expect(invalid.status == 400)
            #expect(invalid.json[string: "field"] == "status")
            let empty = try await scenario.client.send("PATCH", path, json: [:] as [String: Any])
            #expect(empty.status == 400)
            let missing = try await scenario.client.send(
                "PATCH",
                "/wabas/\(scenario.wabaID)/senders/\(UUID().uuidString)",
                json: ["status": "ACTIVE"]
            )
            #expect(missing.status == 404)
        }
    }

    @Test func templateCreatedThroughSenderStoredOnWaba() async throws {
        try await withScenario { scenario in
            let number = Scenario.randomNumber()
            try await scenario.addSender(number)
            let created = try await scenario.addTemplate()
            #expect(created[string: "status"] == "APPROVED")
            #expect(created[string: "wabaId"] == scenario.wabaID)
            #expect(created["senderId"] == nil)

            let requests = try await scenario.simulator.requests()
            let create = requests.first { ($0[string: "path"] ?? "").hasSuffix("/templates") }
            #expect(create?[string: "path"] == "/whatsapp/2/senders/\(number)/templates")
            let body = create?[object: "body"] ?? [:]
            #expect(body[string: "category"] == "UTILITY")
            #expect(body[object: "structure"][object: "body"][string: "text"] != nil)

            let list = try await scenario.client.send(
                "GET",
                "/wabas/\(scenario.wabaID)/templates",
                body: nil
            )
            #expect(list.json[objects: "templates"].map { $0[string: "name"] } == ["order_update"])
        }
    }

    @Test func templateNeedsActiveSender() async throws {
        try await withScenario { scenario in
            let response = try await scenario.client.send(
                "POST",
                "/wabas/\(scenario.wabaID)/templates",
                json: [
                    "name": "hello", "language": "en", "category": "MARKETING",
                    "components": ["body": ["text": "Hi"]],
                ]
            )
            #expect(response.status == 409)
            #expect(response.json[string: "type"] == "urn:wabarouter:problem:no-active-sender")
        }
    }

    @Test func templateSyncPullsInfobipList() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate(name: "first_one")
            try await scenario.addTemplate(name: "second_one", language: "pt_BR")
            let response = try await scenario.client.send(
                "POST",
                "/wabas/\(scenario.wabaID)/templates/sync",
                body: nil
            )
            #expect(response.status == 200)
            let names = response.json[objects: "templates"].map { $0[string: "name"] ?? "" }
            #expect(names == ["first_one", "second_one"])
        }
    }

    @Test func invalidTemplateBodyRejected() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            let response = try await scenario.client.send(
                "POST",
                "/wabas/\(scenario.wabaID)/templates",
                json: [
                    "name": "Bad Name", "language": "en", "category": "MARKETING",
                    "components": ["body": ["text": "Hi"]],
                ]
            )
            #expect(response.status == 400)
            #expect(response.json[string: "field"] == "name")
            #expect(try await scenario.simulator.requests().isEmpty)
        }
    }

    @Test func healthEndpointsAnswer() async throws {
        try await withScenario { scenario in
            let client = scenario.server.anonymousClient()
            #expect(try await client.send("GET", "/healthz", body: nil).status == 200)
            #expect(try await client.send("GET", "/readyz", body: nil).status == 200)
            let unknown = try await client.send("GET", "/nothing-here", body: nil)
            #expect(unknown.status == 404)
            let wrongMethod = try await client.send("DELETE", "/healthz", body: nil)
            #expect(wrongMethod.status == 405)
        }
    }

    /// No log line of a whole send, or of a request with a wrong bearer key, carries the
    /// Infobip key, a bearer key or the server's secret key, at debug level.
    @Test func logsCarryNoSecrets() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate()
            let response = try await scenario.send()
            _ = try await scenario.waitForStatus(response.json[string: "id"] ?? "", "SEEN")
            let wrongKey = "wr_wrong-key-that-must-not-be-logged"
            let rejected = try await HTTPTestClient(
                baseURL: scenario.server.baseURL,
                bearerToken: wrongKey
            ).send("GET", "/wabas", body: nil)
            #expect(rejected.status == 401)

            let token = try #require(scenario.client.bearerToken)
            let lines = scenario.server.logs.records.map { $0.jsonLine() }
            #expect(!lines.isEmpty)
            #expect(!lines.contains { $0.contains("test-infobip-key-1234") })
            #expect(!lines.contains { $0.contains(token) })
            #expect(!lines.contains { $0.contains(wrongKey) })
            #expect(!lines.contains { $0.contains(TestServer.sharedSecretKey.hex) })
        }
    }
}
