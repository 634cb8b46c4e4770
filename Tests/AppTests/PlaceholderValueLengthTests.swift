import Foundation
import TestSupport
import Testing

/// A body placeholder value may have at most 1,024 characters, the length of a whole template
/// body, and a longer one is a 422 before anything is stored or sent.
@Suite struct PlaceholderValueLengthTests {
    @Test func overlongPlaceholderValueRejected() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            try await scenario.addTemplate()
            let long = String(repeating: "a", count: 1025)
            let response = try await scenario.send(params: ["body": ["Ana", long]])
            expectProblem(
                response,
                status: 422,
                [
                    "type": "urn:wabarouter:problem:parameter-mismatch",
                    "title": "Parameters do not match the template",
                    "detail": "params.body[1] has 1025 characters; a placeholder value may have "
                        + "at most 1024, the length of a whole template body. Shorten it.",
                    "field": "params.body[1]", "instance": "/messages/send",
                ]
            )
            #expect(try await scenario.simulator.sentMessages().isEmpty)

            let longest = String(repeating: "a", count: 1024)
            let accepted = try await scenario.send(params: ["body": ["Ana", longest]])
            #expect(accepted.status == 201, "\(accepted.text)")
        }
    }
}
