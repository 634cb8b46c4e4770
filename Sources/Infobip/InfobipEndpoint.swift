public import Foundation

/// An Infobip API operation: its HTTP method, percent-encoded path and query.
public struct InfobipEndpoint: Sendable, Equatable {
    /// HTTP method, such as `POST`.
    public var method: String

    /// Path after the base URL, percent-encoded, starting with `/`.
    public var path: String

    /// Query parameters as name and value pairs, in order and not yet encoded.
    public var query: [QueryItem]

    /// One query parameter.
    public struct QueryItem: Sendable, Equatable {
        public var name: String
        public var value: String

        /// Creates a query parameter.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Creates an endpoint from an already percent-encoded path.
    public init(method: String, path: String, query: [QueryItem] = []) {
        self.method = method
        self.path = path
        self.query = query
    }

    /// `POST /whatsapp/1/message/template`: send template messages (200 `BulkMessageInfo`).
    public static let sendTemplates = InfobipEndpoint(
        method: "POST",
        path: "/whatsapp/1/message/template"
    )

    /// `POST /whatsapp/1/message/text`: send one text message (200 `SingleMessageInfo`).
    public static let sendText = InfobipEndpoint(method: "POST", path: "/whatsapp/1/message/text")

    /// `POST /whatsapp/2/senders/{sender}/templates`: create a template (201).
    public static func createTemplate(sender: String) -> InfobipEndpoint {
        InfobipEndpoint(method: "POST", path: "/whatsapp/2/senders/\(encode(sender))/templates")
    }

    /// `GET /whatsapp/2/senders/{sender}/templates`: all templates of the sender's WhatsApp
    /// Business Account, unpaged (200 `{"templates":[...]}`).
    public static func listTemplates(sender: String) -> InfobipEndpoint {
        InfobipEndpoint(method: "GET", path: "/whatsapp/2/senders/\(encode(sender))/templates")
    }

    /// `GET /whatsapp/1/templates?page=&size=`: one page of the account-wide template search
    /// (200 `{"results":[...],"paging":{...}}`).
    ///
    /// - Parameters:
    ///   - page: Zero-based page number.
    ///   - size: Templates per page. Infobip accepts 1 to 100 and defaults to 10.
    public static func searchTemplates(page: Int, size: Int) -> InfobipEndpoint {
        InfobipEndpoint(
            method: "GET",
            path: "/whatsapp/1/templates",
            query: [
                QueryItem(name: "page", value: String(page)),
                QueryItem(name: "size", value: String(size)),
            ]
        )
    }

    /// `GET /whatsapp/1/senders/quality?senders=a,b`: quality, status and messaging limit of
    /// each sender (200 `{"results":[...]}`). Infobip accepts 1 to 100 senders per request.
    public static func senderQuality(senders: [String]) -> InfobipEndpoint {
        InfobipEndpoint(
            method: "GET",
            path: "/whatsapp/1/senders/quality",
            query: [QueryItem(name: "senders", value: senders.joined(separator: ","))]
        )
    }

    /// Returns the endpoint's URL below `baseURL`, keeping any path `baseURL` already has.
    public func url(baseURL: URL) -> URL {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)
        var basePath = components?.percentEncodedPath ?? ""
        while basePath.hasSuffix("/") {
            basePath.removeLast()
        }
        components?.percentEncodedPath = basePath + path
        if query.isEmpty {
            components?.percentEncodedQuery = nil
        } else {
            components?.percentEncodedQuery =
                query
                .map { Self.encode($0.name) + "=" + Self.encode($0.value, keepingCommas: true) }
                .joined(separator: "&")
        }
        // Only a base URL that URLComponents cannot represent reaches the fallback.
        return components?.url ?? baseURL.appendingPathComponent(path)
    }

    /// RFC 3986 unreserved characters. Everything else, `+` and `/` included, is encoded.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    /// Unreserved characters and the comma, which RFC 3986 allows in a query. Infobip's list
    /// parameters, such as `senders`, separate their items with literal commas.
    private static let unreservedAndComma = unreserved.union(CharacterSet(charactersIn: ","))

    /// Percent-encodes one path segment or query component. With `keepingCommas`, commas stay
    /// literal.
    static func encode(_ text: String, keepingCommas: Bool = false) -> String {
        let allowed = keepingCommas ? unreservedAndComma : unreserved
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
