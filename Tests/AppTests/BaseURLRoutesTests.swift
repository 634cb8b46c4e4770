import Foundation
import TestSupport
import Testing

/// `baseUrl` on `POST /wabas` takes a valid port and no internal IP address but loopback.
@Suite struct BaseURLRoutesTests {
    func createWaba(_ scenario: Scenario, baseURL: String) async throws -> TestResponse {
        try await scenario.client.send(
            "POST",
            "/wabas",
            json: [
                "name": "Acme", "apiKey": "demo-key-1234", "baseUrl": baseURL,
                "wabaId": String(Int.random(in: 100_000_000...999_999_999)),
            ]
        )
    }

    func invalidBaseURL(_ detail: String) -> [String: Any] {
        [
            "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
            "detail": detail, "field": "baseUrl", "instance": "/wabas",
        ]
    }

    @Test func portOutOfRangeRejected() async throws {
        try await withScenario { scenario in
            expectProblem(
                try await createWaba(scenario, baseURL: "https://xyz.api.infobip.com:99999"),
                status: 400,
                invalidBaseURL(
                    "'https://xyz.api.infobip.com:99999' has port 99999; a port is 1 to 65535. "
                        + "Give the port of the Infobip portal's base URL, or none for 443."
                )
            )
        }
    }

    @Test func metadataAddressRejected() async throws {
        try await withScenario { scenario in
            expectProblem(
                try await createWaba(scenario, baseURL: "https://169.254.169.254"),
                status: 400,
                invalidBaseURL(
                    "'https://169.254.169.254' points to 169.254.169.254, a link-local address "
                        + "(169.254.0.0/16). Give the Infobip account's public host, such as "
                        + "https://xyz.api.infobip.com. Of the internal addresses, only loopback "
                        + "ones such as 127.0.0.1 are accepted, for a local simulator."
                )
            )
            let list = try await scenario.client.send("GET", "/wabas", body: nil)
            #expect(list.json[objects: "wabas"].count == 1)
        }
    }

    @Test func privateIPv6AddressRejected() async throws {
        try await withScenario { scenario in
            let response = try await createWaba(scenario, baseURL: "https://[fd00::10]:8443")
            #expect(response.status == 400)
            #expect(response.json[string: "field"] == "baseUrl")
            #expect(response.json[string: "detail"]?.contains("fc00::/7") == true)
        }
    }

    @Test func loopbackSimulatorAccepted() async throws {
        try await withScenario { scenario in
            let response = try await createWaba(scenario, baseURL: scenario.simulator.baseURL)
            #expect(response.status == 201)
            #expect(response.json[string: "baseUrl"] == scenario.simulator.baseURL)
        }
    }
}
