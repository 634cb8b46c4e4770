public import Foundation

#if canImport(FoundationNetworking)
    public import FoundationNetworking
#endif

extension InfobipClient {
    /// Builds the request for `endpoint` with Infobip's headers.
    ///
    /// Headers: `Authorization: App <key>` and `Accept: application/json`, plus
    /// `Content-Type: application/json` when there is a body.
    ///
    /// - Parameter timeout: Maximum time for the request, 10 seconds by default.
    public static func makeRequest(
        _ endpoint: InfobipEndpoint,
        body: Data?,
        credentials: InfobipCredentials,
        timeout: Duration = .seconds(10)
    ) -> URLRequest {
        var request = URLRequest(url: endpoint.url(baseURL: credentials.baseURL))
        request.httpMethod = endpoint.method
        request.timeoutInterval = timeout.timeInterval
        request.cachePolicy = .reloadIgnoringLocalCacheData
        request.httpShouldHandleCookies = false
        request.setValue(credentials.authorizationHeader, forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        return request
    }

    /// Builds `POST /whatsapp/1/message/template` for the messages.
    ///
    /// - Throws: ``InfobipError`` with code `invalid_request_body` when the body cannot be
    ///   encoded, which happens for a non-finite location coordinate.
    public static func makeSendRequest(
        _ messages: [TemplateMessage],
        bulkId: String?,
        credentials: InfobipCredentials,
        timeout: Duration = .seconds(10)
    ) throws(InfobipError) -> URLRequest {
        let body = try encodeBody(
            TemplateSendRequest(messages: messages, bulkId: bulkId),
            operation: "encode template send"
        )
        return makeRequest(.sendTemplates, body: body, credentials: credentials, timeout: timeout)
    }

    /// Builds `POST /whatsapp/1/message/text` for one message.
    ///
    /// - Throws: ``InfobipError`` with code `invalid_request_body` when the body cannot be
    ///   encoded.
    public static func makeSendTextRequest(
        _ message: TextMessage,
        credentials: InfobipCredentials,
        timeout: Duration = .seconds(10)
    ) throws(InfobipError) -> URLRequest {
        let body = try encodeBody(message, operation: "encode text send")
        return makeRequest(.sendText, body: body, credentials: credentials, timeout: timeout)
    }

    /// Encodes a request body as compact JSON with sorted keys and unescaped slashes, so that
    /// equal values always give equal bytes.
    public static func encodeBody(
        _ value: some Encodable,
        operation: String = "encode request body"
    ) throws(InfobipError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw InfobipError(
                code: .invalidRequestBody,
                operation: operation,
                reason: bodyEncodingReason(error)
            )
        }
    }

    private static func bodyEncodingReason(_ error: any Error) -> String {
        guard case EncodingError.invalidValue(_, let context) = error else {
            return "\(error)"
        }
        let path = context.codingPath.map { key in
            key.intValue.map { "[\($0)]" } ?? key.stringValue
        }
        return "invalid value at \(path.joined(separator: ".")): \(context.debugDescription)"
    }
}
