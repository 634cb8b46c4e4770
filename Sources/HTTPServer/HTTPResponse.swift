public import Foundation

/// An HTTP response that a request handler returns.
///
/// The server sets `Content-Length` from `body` and ignores a `Content-Length` field in
/// `headers`. libmicrohttpd adds `Date` and the connection management fields.
public struct HTTPResponse: Sendable {
    /// The status code, from 200 to 599. The server sends 500 in place of other values.
    public var status: Int

    /// The response header fields, sent in this order.
    public var headers: HTTPHeaders

    /// The response body, sent as it is.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
