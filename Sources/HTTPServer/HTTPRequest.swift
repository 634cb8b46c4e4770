public import Foundation

/// A complete HTTP request as the server hands it to the request handler.
public struct HTTPRequest: Sendable {
    /// The request method as the client sent it, such as `GET` or `POST`, unknown methods included.
    public var method: String

    /// The percent-decoded path without the query string, such as `/wabas/1`.
    public var path: String

    /// The query arguments, percent-decoded and with `+` read as a space. When a name repeats,
    /// the last value wins, and an argument without `=` has the empty value.
    public var query: [String: String]

    /// The request header fields in arrival order.
    public var headers: HTTPHeaders

    /// The request body, empty when the client sent none or when it was spooled to a file.
    public var body: Data

    /// The request body as a temporary file, set whenever the route's ``HTTPServer/BodyPolicy``
    /// is ``HTTPServer/BodyPolicy/spool(maxBytes:)``, even for an empty body. It is `nil` for
    /// buffered bodies. When it is set, ``body`` is empty.
    public var spooledBody: SpooledBody?

    /// The client's numeric IP address, such as `127.0.0.1`, or `nil` when it is unknown.
    public var remoteAddress: String?

    /// Creates a request.
    public init(
        method: String,
        path: String,
        query: [String: String] = [:],
        headers: HTTPHeaders = HTTPHeaders(),
        body: Data = Data(),
        spooledBody: SpooledBody? = nil,
        remoteAddress: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.spooledBody = spooledBody
        self.remoteAddress = remoteAddress
    }
}
