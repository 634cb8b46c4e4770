public import Foundation

/// The base URL of an Infobip account, normalised to `scheme://host[:port]`.
///
/// Every account has its own host, such as `https://xyz.api.infobip.com`, and every API path is
/// appended to it. The rules:
/// - a bare host gets `https://`;
/// - one trailing slash is removed, but any other path, a query, a fragment or a user name is
///   rejected, since a pasted endpoint URL such as `.../whatsapp/1/message/template` would
///   otherwise double the path;
/// - plain `http` is rejected except for loopback hosts (`localhost`, `127.0.0.0/8`, `::1`),
///   which is how a local simulator is reached. The API key travels in a header, so it must
///   never cross a network in clear text.
public struct InfobipBaseURL: Sendable, Hashable, CustomStringConvertible {
    /// The normalised form, without a trailing slash.
    public let value: String

    public var description: String { value }

    public var url: URL {
        guard let url = URL(string: value) else {
            preconditionFailure("normalised base URL '\(value)' does not parse")
        }
        return url
    }

    public init(parsing text: String) throws(InfobipBaseURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        let withScheme = trimmed.contains("://") ? trimmed : "https://" + trimmed
        guard let components = URLComponents(string: withScheme),
            let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased(), !host.isEmpty
        else { throw .invalid(text) }

        guard components.path.isEmpty || components.path == "/" else {
            throw .hasPath(text, path: components.path)
        }
        guard components.query == nil, components.fragment == nil, components.user == nil
        else { throw .invalid(text) }
        guard scheme == "https" || (scheme == "http" && Self.isLoopback(host)) else {
            throw .insecureScheme(text)
        }

        // Foundation returns an IPv6 host with its brackets on Linux and without them on other
        // platforms; the normalised form has them exactly once.
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let portPart = components.port.map { ":\($0)" } ?? ""
        self.value = "\(scheme)://\(hostPart)\(portPart)"
    }

    private static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" {
            return true
        }
        let octets = host.split(separator: ".")
        return octets.count == 4 && octets.first == "127"
            && octets.allSatisfy { UInt8($0) != nil }
    }
}

/// Why a text is not a usable Infobip base URL.
public enum InfobipBaseURLError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case invalid(String)
    case hasPath(String, path: String)
    case insecureScheme(String)

    public var description: String {
        switch self {
        case .empty:
            "The base URL is empty. Copy it from the Infobip portal, such as "
                + "https://xyz.api.infobip.com."
        case .invalid(let text):
            "'\(text)' is not a valid base URL. Give the host only, such as "
                + "https://xyz.api.infobip.com."
        case .hasPath(let text, let path):
            "'\(text)' contains the path '\(path)'. Give the host only, such as "
                + "https://xyz.api.infobip.com; WabaRouter adds the API paths itself."
        case .insecureScheme(let text):
            "'\(text)' does not use https. Plain http is accepted only for loopback addresses "
                + "such as http://127.0.0.1:9090, because the API key would travel unencrypted."
        }
    }
}
