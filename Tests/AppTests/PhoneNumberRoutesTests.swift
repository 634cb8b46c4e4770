import Foundation
import TestSupport
import Testing

/// `number` and `to` are E.164 digits with a country code whose numbering plan fits them.
@Suite struct PhoneNumberRoutesTests {
    @Test func senderWithoutCountryCodeRejected() async throws {
        try await withScenario { scenario in
            let path = "/wabas/\(scenario.wabaID)/senders"
            let response = try await scenario.client.send(
                "POST",
                path,
                json: ["number": "7700 900300"]
            )
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
                    "detail": "'7700 900300' has 9 digits after country code +7, where numbers "
                        + "have 10. Check the number, and put its own country code in front if "
                        + "it has none, such as +44 for the United Kingdom.",
                    "field": "number", "instance": path,
                ]
            )
        }
    }

    @Test func senderDigitsAsReturnedAccepted() async throws {
        try await withScenario { scenario in
            let response = try await scenario.client.send(
                "POST",
                "/wabas/\(scenario.wabaID)/senders",
                json: ["number": "447700900100"]
            )
            #expect(response.status == 201)
            #expect(response.json[string: "number"] == "447700900100")
        }
    }

    @Test func recipientWithoutCountryCodeRejected() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate()
            let response = try await scenario.send(to: "7700900300")
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
                    "detail": "'7700900300' has 9 digits after country code +7, where numbers "
                        + "have 10. Check the number, and put its own country code in front if "
                        + "it has none, such as +44 for the United Kingdom.",
                    "field": "to", "instance": "/messages/send",
                ]
            )
            #expect(try await scenario.simulator.sentMessages().isEmpty)
        }
    }

    @Test func recipientWithUnassignedCodeRejected() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate()
            let response = try await scenario.send(to: "+999 1234 5678")
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
                    "detail": "'+999 1234 5678' does not start with an assigned country code. "
                        + "Put the country code in front, such as +55 for Brazil or +44 for the "
                        + "United Kingdom.",
                    "field": "to", "instance": "/messages/send",
                ]
            )
            #expect(try await scenario.simulator.sentMessages().isEmpty)
        }
    }
}
