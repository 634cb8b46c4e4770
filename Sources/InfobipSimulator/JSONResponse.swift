import Foundation
import HTTPServer

extension HTTPResponse {
    /// Returns a response whose body is `body` serialised, with `Content-Type: application/json`.
    static func json(_ status: Int, _ body: JSONValue, headers: HTTPHeaders = HTTPHeaders())
        -> HTTPResponse
    {
        var allHeaders = headers
        allHeaders.replaceOrAdd(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: allHeaders, body: body.serialized())
    }

    /// A 204 response without a body.
    static let noContent = HTTPResponse(status: 204)

    /// Returns a simulator control error, `{"error": message}`.
    static func simulatorError(_ status: Int, _ message: String) -> HTTPResponse {
        json(status, ["error": .string(message)])
    }
}
