import Foundation
public import HTTPServer
public import Logging

/// One request with what the router and authentication added to it.
public struct RequestContext: Sendable {
    public var request: HTTPRequest
    /// Values of the `:name` segments of the matched route.
    public var parameters: [String: String]
    /// The caller's id, taken from `X-Request-Id` when it is sent, generated otherwise.
    public var requestID: String
    /// Carries the request id; handlers add their own ids to it.
    public var logger: Logger

    /// Returns a path parameter parsed as a UUID.
    ///
    /// - Throws: a 404 ``Problem`` when the segment is not a UUID, since no such resource can
    ///   exist.
    func uuidParameter(_ name: String, resource: String) throws(Problem) -> UUID {
        let text = parameters[name] ?? ""
        guard let id = UUID(uuidString: text) else {
            throw Problem.notFound(resource, id: text)
        }
        return id
    }

    /// Returns the body as a JSON object, after checking its media type.
    func jsonBody() throws(Problem) -> JSONObjectReader {
        try requireJSONContentType()
        return try JSONObjectReader(JSONValue.parse(request.body))
    }

    /// Throws a 415 unless `Content-Type` is `application/json`, with parameters such as
    /// `charset` allowed. The media type is compared whole, so `application/jsonp` is not JSON.
    func requireJSONContentType() throws(Problem) {
        let contentType = request.headers["Content-Type"] ?? ""
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        guard mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
        else {
            throw Problem(
                .unsupportedMediaType,
                status: 415,
                title: "Unsupported media type",
                detail: "The request body must be JSON. Send Content-Type: application/json."
            )
        }
    }
}
