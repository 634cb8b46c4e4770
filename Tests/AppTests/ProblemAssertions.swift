import Foundation
import TestSupport
import Testing

/// Checks that `response` is an `application/problem+json` document with exactly the members of
/// `expected`, plus `status`.
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
    #expect(canonicalJSON(response.json) == canonicalJSON(full), sourceLocation: sourceLocation)
}

/// JSON text with sorted keys, so two objects compare member by member.
func canonicalJSON(_ object: [String: Any]) -> String {
    let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "invalid"
}

/// Sends a raw JSON body, so a test controls every byte, such as a `\u0000` escape.
func sendRawJSON(
    _ client: HTTPTestClient,
    _ method: String,
    _ path: String,
    _ json: String
) async throws -> TestResponse {
    try await client.send(
        method,
        path,
        body: Data(json.utf8),
        headers: ["Content-Type": "application/json"]
    )
}
