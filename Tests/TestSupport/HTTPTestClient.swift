public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A response as a test inspects it.
public struct TestResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    /// The body parsed as a JSON object; empty when it is not one.
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    public var text: String {
        String(decoding: body, as: UTF8.self)
    }

    /// A header value, looked up case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Sends real HTTP requests over loopback.
public struct HTTPTestClient: Sendable {
    public let baseURL: String
    public var bearerToken: String?
    private let session: URLSession

    public init(baseURL: String, bearerToken: String? = nil, timeout: TimeInterval = 60) {
        self.baseURL = baseURL
        self.bearerToken = bearerToken
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = 64
        self.session = URLSession(configuration: configuration)
    }

    /// Sends `method path` with a JSON body built from `json` (any JSONSerialization value).
    public func send(
        _ method: String,
        _ path: String,
        json: Any? = nil,
        headers: [String: String] = [:]
    ) async throws -> TestResponse {
        let body = try json.map {
            try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys])
        }
        var allHeaders = headers
        if body != nil, allHeaders["Content-Type"] == nil {
            allHeaders["Content-Type"] = "application/json"
        }
        return try await send(method, path, body: body, headers: allHeaders)
    }

    /// Sends `method path` with a raw body.
    public func send(
        _ method: String,
        _ path: String,
        body: Data?,
        headers: [String: String] = [:]
    ) async throws -> TestResponse {
        guard let url = URL(string: baseURL + path) else {
            preconditionFailure("invalid test URL \(baseURL + path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if let bearerToken {
            request.setValue("Bearer \(bearerToken)", forHTTPHeaderField: "Authorization")
        }
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else {
            preconditionFailure("non-HTTP response from \(url)")
        }
        var headerMap: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            headerMap[String(describing: key)] = String(describing: value)
        }
        return TestResponse(status: http.statusCode, headers: headerMap, body: data)
    }
}
