import Foundation
import Postgres
import TestSupport
import Testing

/// Each kind of bad input gets its own 4xx problem document, checked member by member, and
/// nothing reaches Infobip or the database.
@Suite struct ProblemResponseTests {
    func expectProblem(
        _ response: TestResponse,
        status: Int,
        _ expected: [String: Any],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(
            response.header("Content-Type") == "application/problem+json",
            sourceLocation: sourceLocation
        )
        var full = expected
        full["status"] = status
        #expect(
            Self.canonical(response.json) == Self.canonical(full),
            sourceLocation: sourceLocation
        )
    }

    /// JSON text with sorted keys, so two objects compare member by member.
    static func canonical(_ object: [String: Any]) -> String {
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "invalid"
    }

    func valid(_ scenario: Scenario) -> [String: Any] {
        [
            "wabaId": scenario.wabaID,
            "to": "+44 7700 900001",
            "templateName": "order_update",
            "language": "en",
            "params": ["body": ["Ana", "A-100"]],
        ]
    }

    func send(_ scenario: Scenario, _ body: [String: Any]) async throws -> TestResponse {
        try await scenario.client.send("POST", "/messages/send", json: body)
    }

    func expectNothingSent(_ scenario: Scenario) async throws {
        #expect(try await scenario.simulator.sentMessages().isEmpty)
        let wabaID = try #require(UUID(uuidString: scenario.wabaID))
        let count = try await scenario.server.application.pool.withConnection { connection in
            try connection.query("SELECT count(*) AS n FROM messages WHERE waba_id = \(wabaID)")[0]
                .decode("n", as: Int.self)
        }
        #expect(count == 0)
    }

    @Test func sendProblemsHaveExactBodies() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate()
            let instance = "/messages/send"

            let malformed = try await scenario.client.send(
                "POST",
                "/messages/send",
                body: Data("{\"wabaId\": ".utf8),
                headers: ["Content-Type": "application/json"]
            )
            expectProblem(
                malformed,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:malformed-json", "title": "Malformed JSON",
                    "detail": "The request body is not valid JSON: unexpected end of input at "
                        + "byte 11. Send a JSON object with Content-Type: application/json.",
                    "instance": instance,
                ]
            )

            var missingTo = valid(scenario)
            missingTo["to"] = nil
            expectProblem(
                try await send(scenario, missingTo),
                status: 400,
                [
                    "type": "urn:wabarouter:problem:missing-field", "title": "Missing field",
                    "detail": "to is missing. Give the recipient's number in international "
                        + "format, such as +5511987654321.",
                    "field": "to", "instance": instance,
                ]
            )

            var localNumber = valid(scenario)
            localNumber["to"] = "07700 900001"
            expectProblem(
                try await send(scenario, localNumber),
                status: 400,
                [
                    "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
                    "detail": "'07700 900001' has no country code. Add it in front, such as +55 "
                        + "for Brazil or +44 for the United Kingdom.",
                    "field": "to", "instance": instance,
                ]
            )

            var arrayParams = valid(scenario)
            arrayParams["params"] = ["Ana", "A-100"]
            expectProblem(
                try await send(scenario, arrayParams),
                status: 400,
                [
                    "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
                    "detail": "params must be an object, not an array.",
                    "field": "params", "instance": instance,
                ]
            )

            var unknownField = valid(scenario)
            unknownField["template"] = "order_update"
            expectProblem(
                try await send(scenario, unknownField),
                status: 400,
                [
                    "type": "urn:wabarouter:problem:unknown-field", "title": "Unknown field",
                    "detail": "template is not a known field. Known fields here: callbackData, "
                        + "language, params, templateName, to, wabaId.",
                    "field": "template", "instance": instance,
                ]
            )

            let unknownID = UUID().uuidString.lowercased()
            var unknownWaba = valid(scenario)
            unknownWaba["wabaId"] = unknownID
            expectProblem(
                try await send(scenario, unknownWaba),
                status: 404,
                [
                    "type": "urn:wabarouter:problem:waba-not-found", "title": "WABA not found",
                    "detail": "No WABA with id '\(unknownID)' exists for this API key. List yours "
                        + "with GET /wabas.",
                    "field": "wabaId", "instance": instance,
                ]
            )

            var fewParams = valid(scenario)
            fewParams["params"] = ["body": ["Ana"]]
            expectProblem(
                try await send(scenario, fewParams),
                status: 422,
                [
                    "type": "urn:wabarouter:problem:parameter-mismatch",
                    "title": "Parameters do not match the template",
                    "detail": "The template's body takes 2 placeholder values but params.body has "
                        + "1. Send one value per placeholder, in order.",
                    "field": "params.body", "instance": instance,
                ]
            )

            var wrongLanguage = valid(scenario)
            wrongLanguage["language"] = "en_GB"
            expectProblem(
                try await send(scenario, wrongLanguage),
                status: 422,
                [
                    "type": "urn:wabarouter:problem:language-not-available",
                    "title": "Language not available",
                    "detail": "The template 'order_update' has no 'en_GB' version. Infobip needs "
                        + "the exact code it was registered with; available: en.",
                    "field": "language", "availableLanguages": ["en"], "instance": instance,
                ]
            )

            var unknownTemplate = valid(scenario)
            unknownTemplate["templateName"] = "no_such_template"
            expectProblem(
                try await send(scenario, unknownTemplate),
                status: 422,
                [
                    "type": "urn:wabarouter:problem:template-not-found",
                    "title": "Template not found",
                    "detail": "The WABA has no template named 'no_such_template'. Create it with "
                        + "POST /wabas/{id}/templates or pull Infobip's list with POST "
                        + "/wabas/{id}/templates/sync.",
                    "field": "templateName", "instance": instance,
                ]
            )

            let unauthenticated = try await HTTPTestClient(baseURL: scenario.server.baseURL)
                .send("POST", "/messages/send", json: valid(scenario))
            expectProblem(
                unauthenticated,
                status: 401,
                [
                    "type": "urn:wabarouter:problem:unauthorized", "title": "Unauthorized",
                    "detail": "The request has no Authorization: Bearer header. Send "
                        + "Authorization: Bearer <key> with the key that `make run` printed on "
                        + "its first start, or one from `wabarouter tenant create`.",
                    "instance": instance,
                ]
            )
            #expect(unauthenticated.header("WWW-Authenticate") == "Bearer")

            let wrongType = try await scenario.client.send(
                "POST",
                "/messages/send",
                body: try JSONSerialization.data(withJSONObject: valid(scenario)),
                headers: ["Content-Type": "text/plain"]
            )
            expectProblem(
                wrongType,
                status: 415,
                [
                    "type": "urn:wabarouter:problem:unsupported-media-type",
                    "title": "Unsupported media type",
                    "detail": "The request body must be JSON. Send Content-Type: application/json.",
                    "instance": instance,
                ]
            )

            try await expectNothingSent(scenario)
        }
    }

    @Test func pendingTemplateRejectedBeforeSending() async throws {
        try await withScenario(simulatorArguments: ["--template-status", "PENDING"]) { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate()

            expectProblem(
                try await send(scenario, valid(scenario)),
                status: 422,
                [
                    "type": "urn:wabarouter:problem:template-not-approved",
                    "title": "Template not approved",
                    "detail": "The template 'order_update' (en) has status PENDING; only APPROVED "
                        + "templates can be sent. Wait for Meta's review, then pull the new "
                        + "status with POST /wabas/{id}/templates/sync.",
                    "field": "templateName", "instance": "/messages/send",
                ]
            )
            try await expectNothingSent(scenario)
        }
    }

    /// Another tenant's WABA answers exactly like one that does not exist.
    @Test func otherTenantsWabaIsNotFound() async throws {
        try await withScenario { scenario in
            let intruder = try await scenario.server.makeTenantClient(name: "intruder")
            let response = try await intruder.send("GET", "/wabas/\(scenario.wabaID)", body: nil)
            expectProblem(
                response,
                status: 404,
                [
                    "type": "urn:wabarouter:problem:not-found", "title": "Not found",
                    "detail": "No WABA with id '\(scenario.wabaID)' exists for this API key.",
                    "instance": "/wabas/\(scenario.wabaID)",
                ]
            )
            let list = try await intruder.send("GET", "/wabas", body: nil)
            #expect(list.json[objects: "wabas"].isEmpty)
            let senders = try await intruder.send(
                "GET",
                "/wabas/\(scenario.wabaID)/senders",
                body: nil
            )
            #expect(senders.status == 404)
        }
    }
}
