import Foundation
import TestSupport
import Testing

/// A WABA name must fit `wabas.name`, which accepts 1 to 200 characters as PostgreSQL counts them
/// (code points).
@Suite struct WabaNameLengthTests {
    func createWaba(_ scenario: Scenario, name: String) async throws -> TestResponse {
        try await scenario.client.send(
            "POST",
            "/wabas",
            json: [
                "name": name, "apiKey": "demo-key-1234",
                "baseUrl": "https://xyz.api.infobip.com",
                "wabaId": String(Int.random(in: 100_000_000...999_999_999)),
            ]
        )
    }

    @Test func nameOfMaximumLengthAccepted() async throws {
        try await withScenario { scenario in
            let name = String(repeating: "a", count: 200)
            let response = try await createWaba(scenario, name: name)
            #expect(response.status == 201)
            #expect(response.json[string: "name"] == name)
        }
    }

    @Test func nameOverMaximumRejected() async throws {
        try await withScenario { scenario in
            let response = try await createWaba(
                scenario,
                name: String(repeating: "a", count: 201)
            )
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
                    "detail": "name has 201 characters; the maximum is 200. Give a shorter "
                        + "name, such as Acme Brasil.",
                    "field": "name", "instance": "/wabas",
                ]
            )
        }
    }

    /// 101 letters written as "e" and a combining acute accent are 101 grapheme clusters but 202
    /// code points, which is what the database counts.
    @Test func nameCountedInCodePoints() async throws {
        try await withScenario { scenario in
            let name = String(repeating: "e\u{301}", count: 101)
            #expect(name.count == 101)
            let response = try await createWaba(scenario, name: name)
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
                    "detail": "name has 202 characters; the maximum is 200. Give a shorter "
                        + "name, such as Acme Brasil.",
                    "field": "name", "instance": "/wabas",
                ]
            )
            let list = try await scenario.client.send("GET", "/wabas", body: nil)
            #expect(list.json[objects: "wabas"].count == 1)
        }
    }
}
