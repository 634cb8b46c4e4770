import Foundation
import TestSupport
import Testing

/// `apiKey` on `POST /wabas` becomes an `Authorization` header, so it must be a plausible key of
/// printable ASCII, and no error message repeats it.
@Suite struct ApiKeyValidationTests {
    func createWaba(_ scenario: Scenario, apiKey: String) async throws -> TestResponse {
        try await scenario.client.send(
            "POST",
            "/wabas",
            json: [
                "name": "Acme", "apiKey": apiKey, "baseUrl": "https://xyz.api.infobip.com",
                "wabaId": String(Int.random(in: 100_000_000...999_999_999)),
            ]
        )
    }

    func invalidKey(_ detail: String) -> [String: Any] {
        [
            "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
            "detail": detail, "field": "apiKey", "instance": "/wabas",
        ]
    }

    func wabaCount(_ scenario: Scenario) async throws -> Int {
        let list = try await scenario.client.send("GET", "/wabas", body: nil)
        return list.json[objects: "wabas"].count
    }

    @Test(arguments: ["App ", "  app   ", "APP \n"])
    func prefixAloneRejected(apiKey: String) async throws {
        try await withScenario { scenario in
            expectProblem(
                try await createWaba(scenario, apiKey: apiKey),
                status: 400,
                invalidKey(
                    "apiKey contains only the App prefix. Give the key that follows App in "
                        + "Infobip's Authorization header."
                )
            )
            #expect(try await wabaCount(scenario) == 1)
        }
    }

    @Test(arguments: [
        ("key\nX-Evil: 1", 4),
        ("demo key-1234", 5),
        ("demo-key-1234\t9", 14),
        ("demo-kéy-1234", 7),
        ("App demo\r\nkey-1234", 5),
    ])
    func unprintableCharacterRejected(apiKey: String, position: Int) async throws {
        try await withScenario { scenario in
            let response = try await createWaba(scenario, apiKey: apiKey)
            expectProblem(
                response,
                status: 400,
                invalidKey(
                    "apiKey has a space, line break, control or non-ASCII character at position "
                        + "\(position). Paste the key alone, as the Infobip portal shows it."
                )
            )
            #expect(!response.text.contains("demo"))
            #expect(try await wabaCount(scenario) == 1)
        }
    }

    @Test(arguments: [("abc1234", 7), ("App x", 1), ("  k-1234  ", 6)])
    func shortKeyRejected(apiKey: String, length: Int) async throws {
        try await withScenario { scenario in
            expectProblem(
                try await createWaba(scenario, apiKey: apiKey),
                status: 400,
                invalidKey(
                    "apiKey has \(length) characters; WabaRouter accepts keys of at least 8. "
                        + "Copy the whole key from the Infobip portal."
                )
            )
        }
    }

    /// Keys under 12 characters are accepted but their last four are not shown, since they
    /// would give away a third or more of the key.
    @Test(arguments: [
        ("abcd1234", nil as String?),
        ("abcdefgh123", nil),
        ("demo-key-1234", "1234"),
        ("App demo-key-1234", "1234"),
        (" \tdemo-key-5678\n", "5678"),
    ])
    func validKeyAccepted(apiKey: String, last4: String?) async throws {
        try await withScenario { scenario in
            let response = try await createWaba(scenario, apiKey: apiKey)
            #expect(response.status == 201)
            #expect(response.json[string: "apiKeyLast4"] == last4)
        }
    }
}
