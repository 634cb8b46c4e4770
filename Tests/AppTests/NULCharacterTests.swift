import Foundation
import Postgres
import TestSupport
import Testing

/// PostgreSQL cannot store U+0000. A request that contains it anywhere is rejected with a 400
/// that names the field, before anything is stored or sent to Infobip. A template that Infobip
/// lists with it is stored with U+FFFD in its place.
@Suite struct NULCharacterTests {
    static let detail =
        "contains the NUL character (U+0000), which cannot be stored. Remove it from the value."

    func invalidField(_ field: String, instance: String) -> [String: Any] {
        [
            "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
            "detail": "\(field) \(Self.detail)", "field": field, "instance": instance,
        ]
    }

    @Test func wabaNameWithNULRejected() async throws {
        try await withScenario { scenario in
            let response = try await sendRawJSON(
                scenario.client,
                "POST",
                "/wabas",
                #"{"name":"Ac\u0000me","apiKey":"demo-key-1234","#
                    + #""baseUrl":"https://xyz.api.infobip.com","wabaId":"1234"}"#
            )
            expectProblem(response, status: 400, invalidField("name", instance: "/wabas"))
            let list = try await scenario.client.send("GET", "/wabas", body: nil)
            #expect(list.json[objects: "wabas"].count == 1)
        }
    }

    @Test func memberNameWithNULRejected() async throws {
        try await withScenario { scenario in
            let response = try await sendRawJSON(
                scenario.client,
                "POST",
                "/wabas",
                #"{"name":"Acme","x\u0000y":1}"#
            )
            expectProblem(response, status: 400, invalidField(#"x\u0000y"#, instance: "/wabas"))
        }
    }

    @Test func senderNumberWithNULRejected() async throws {
        try await withScenario { scenario in
            let path = "/wabas/\(scenario.wabaID)/senders"
            let response = try await sendRawJSON(
                scenario.client,
                "POST",
                path,
                #"{"number":"+44 7700 900100\u0000"}"#
            )
            expectProblem(response, status: 400, invalidField("number", instance: path))
        }
    }

    @Test func placeholderValueWithNULRejected() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate()
            let response = try await sendRawJSON(
                scenario.client,
                "POST",
                "/messages/send",
                #"{"wabaId":"\#(scenario.wabaID)","to":"+44 7700 900001","#
                    + #""templateName":"order_update","language":"en","#
                    + #""params":{"body":["An\u0000a","A-100"]}}"#
            )
            expectProblem(
                response,
                status: 400,
                invalidField("params.body[0]", instance: "/messages/send")
            )
            #expect(try await scenario.simulator.sentMessages().isEmpty)
            let wabaID = try #require(UUID(uuidString: scenario.wabaID))
            let count = try await scenario.server.application.pool.withConnection { connection in
                try connection.query(
                    "SELECT count(*) AS n FROM messages WHERE waba_id = \(wabaID)"
                )[0].decode("n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test func templateComponentWithNULRejectedBeforeInfobip() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            let path = "/wabas/\(scenario.wabaID)/templates"
            let response = try await sendRawJSON(
                scenario.client,
                "POST",
                path,
                #"{"name":"order_update","language":"en","category":"UTILITY","#
                    + #""components":{"body":{"text":"Hello\u0000 {{1}}"}}}"#
            )
            expectProblem(
                response,
                status: 400,
                invalidField("components.body.text", instance: path)
            )
            #expect(try await scenario.simulator.requests().isEmpty)
        }
    }

    /// The template is created at the simulator directly, since WabaRouter rejects U+0000.
    @Test func templateSyncReplacesNUL() async throws {
        try await withScenario { scenario in
            let number = Scenario.randomNumber()
            try await scenario.addSender(number)
            let created = try await sendRawJSON(
                HTTPTestClient(baseURL: scenario.simulator.baseURL),
                "POST",
                "/whatsapp/2/senders/\(number)/templates",
                #"{"name":"nul_text","language":"en\u0000","category":"UTILITY","#
                    + #""structure":{"body":{"text":"Hello\u0000 {{1}}"}}}"#,
                authorization: "App test-infobip-key-1234"
            )
            #expect(created.status == 201, "\(created.text)")

            let synced = try await scenario.client.send(
                "POST",
                "/wabas/\(scenario.wabaID)/templates/sync",
                body: nil
            )
            #expect(synced.status == 200, "\(synced.text)")
            let template = try #require(synced.json[objects: "templates"].first)
            #expect(template[string: "name"] == "nul_text")
            #expect(template[string: "language"] == "en\u{FFFD}")
            let body = template[object: "components"][object: "body"]
            #expect(body[string: "text"] == "Hello\u{FFFD} {{1}}")
        }
    }
}

/// Sends a raw JSON body with an `Authorization` header, as Infobip's clients do.
private func sendRawJSON(
    _ client: HTTPTestClient,
    _ method: String,
    _ path: String,
    _ json: String,
    authorization: String
) async throws -> TestResponse {
    try await client.send(
        method,
        path,
        body: Data(json.utf8),
        headers: ["Content-Type": "application/json", "Authorization": authorization]
    )
}
