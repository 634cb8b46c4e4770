import Foundation
import TestSupport
import Testing

/// Requests the HTTP server refuses before any route runs still get problem documents.
@Suite struct RefusalProblemTests {
    @Test func oversizedBodyGetsProblem() async throws {
        try await withScenario { scenario in
            let body = Data(repeating: UInt8(ascii: " "), count: (16 << 20) + 1)
            let response = try await scenario.client.send(
                "POST",
                "/wabas",
                body: body,
                headers: ["Content-Type": "application/json"]
            )
            expectProblem(
                response,
                status: 413,
                [
                    "type": "urn:wabarouter:problem:payload-too-large",
                    "title": "Request body too large",
                    "detail": "The request body exceeds 16777216 bytes. Send a smaller body; a "
                        + "bulk carries at most 100000 messages.",
                    "instance": "/wabas",
                ]
            )
        }
    }
}
