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
///   never cross a network in clear text;
/// - a port must be 1 to 65535;
/// - a host written as an IP address must be a public or a loopback address, so that a tenant
///   cannot aim the server's requests at internal hosts. Private, carrier-grade NAT,
///   link-local, unique-local, multicast, reserved and unspecified addresses are rejected, and
///   so is a number that is not plain dotted decimal (such as `10.1` or `0x0a000001`), because
///   URL parsers differ on which address such a form means. The WHATWG URL standard reads both
///   examples as 10.0.0.1.
///
/// NOTE: host names are not resolved, so a name whose DNS record points to a private address
/// still passes.
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
        if let port = components.port, !(1...65535).contains(port) {
            throw .invalidPort(text, port: port)
        }
        try Self.checkAddress(host, original: text)

        // Foundation returns an IPv6 host with its brackets on Linux and without them on other
        // platforms; the normalised form has them exactly once.
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let portPart = components.port.map { ":\($0)" } ?? ""
        self.value = "\(scheme)://\(hostPart)\(portPart)"
    }

    /// Rejects a host that is an IP address outside the public and loopback ranges.
    private static func checkAddress(
        _ host: String,
        original: String
    ) throws(InfobipBaseURLError) {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let range: String?
        if bare.contains(":") {
            guard let address = IPv6Address(bare) else { throw .invalidIPAddress(original) }
            range = address.nonPublicRange
        } else if IPv4Address.endsInNumber(bare) {
            guard let address = IPv4Address(bare) else { throw .invalidIPAddress(original) }
            range = address.nonPublicRange
        } else {
            range = nil
        }
        if let range {
            throw .nonPublicAddress(original, address: bare, range: range)
        }
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
    case invalidPort(String, port: Int)
    /// A host that reads as an IP address but is not a valid one in plain notation.
    case invalidIPAddress(String)
    /// A host that is an IP address of a special-purpose range, described in `range` such as
    /// `a private address (10.0.0.0/8)`.
    case nonPublicAddress(String, address: String, range: String)

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
        case .invalidPort(let text, let port):
            "'\(text)' has port \(port); a port is 1 to 65535. Give the port of the Infobip "
                + "portal's base URL, or none for 443."
        case .invalidIPAddress(let text):
            "'\(text)' has a host that reads as an IP address but is not a valid one. Write an "
                + "IPv4 address as four decimal numbers, such as 127.0.0.1, or give a host name "
                + "such as xyz.api.infobip.com."
        case .nonPublicAddress(let text, let address, let range):
            "'\(text)' points to \(address), \(range). Give the Infobip account's public host, "
                + "such as https://xyz.api.infobip.com. Of the internal addresses, only loopback "
                + "ones such as 127.0.0.1 are accepted, for a local simulator."
        }
    }
}

/// An IPv4 address in plain dotted decimal, such as `10.0.0.1`.
private struct IPv4Address {
    var octets: [UInt8]

    init(octets: [UInt8]) {
        self.octets = octets
    }

    /// Parses exactly four decimal numbers from 0 to 255, without signs or leading zeros.
    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part == "0" || !part.hasPrefix("0"), let octet = UInt8(part)
            else { return nil }
            octets.append(octet)
        }
        self.octets = octets
    }

    /// Returns whether a host reads as an IPv4 address in some notation, because its last label,
    /// after one trailing dot, is a decimal number or starts with `0x`. The WHATWG URL standard
    /// reads such hosts as IPv4 (`10.1`, `167772161` and `0x0a000001` all mean 10.0.0.1), and
    /// no top-level domain is a number.
    static func endsInNumber(_ host: String) -> Bool {
        let withoutDot = host.hasSuffix(".") ? host.dropLast() : Substring(host)
        guard let last = withoutDot.split(separator: ".", omittingEmptySubsequences: false).last,
            !last.isEmpty
        else { return false }
        return last.allSatisfy { $0.isASCII && $0.isNumber } || last.lowercased().hasPrefix("0x")
    }

    /// The special-purpose range the address is in, or `nil` for a public or loopback address.
    ///
    /// Ranges after the IANA IPv4 special-purpose registry: 0.0.0.0/8 (RFC 1122), the private
    /// ranges of RFC 1918, 100.64.0.0/10 (RFC 6598), 169.254.0.0/16 (RFC 3927), multicast
    /// 224.0.0.0/4 and the reserved 240.0.0.0/4, which contains the broadcast address.
    var nonPublicRange: String? {
        let (a, b) = (octets[0], octets[1])
        switch a {
        case 0: return "an address of this network (0.0.0.0/8)"
        case 10: return "a private address (10.0.0.0/8)"
        case 100 where (64...127).contains(b): return "a carrier-grade NAT address (100.64.0.0/10)"
        case 169 where b == 254: return "a link-local address (169.254.0.0/16)"
        case 172 where (16...31).contains(b): return "a private address (172.16.0.0/12)"
        case 192 where b == 168: return "a private address (192.168.0.0/16)"
        case 224...239: return "a multicast address (224.0.0.0/4)"
        case 240...255: return "a reserved address (240.0.0.0/4)"
        default: return nil
        }
    }
}

/// An IPv6 address as eight 16-bit groups.
private struct IPv6Address {
    var groups: [UInt16]

    /// Parses the text notation of RFC 4291, which has hexadecimal groups, at most one `::`, and
    /// an optional dotted IPv4 address in place of the last two groups. A zone (`%eth0`) is
    /// rejected.
    init?(_ text: String) {
        let halves = text.components(separatedBy: "::")
        if halves.count == 2 {
            guard let head = Self.groups(halves[0], endsWithIPv4: false),
                let tail = Self.groups(halves[1], endsWithIPv4: true),
                head.count + tail.count <= 7
            else { return nil }
            let zeros = [UInt16](repeating: 0, count: 8 - head.count - tail.count)
            groups = head + zeros + tail
        } else {
            guard halves.count == 1, let all = Self.groups(text, endsWithIPv4: true),
                all.count == 8
            else { return nil }
            groups = all
        }
    }

    private static func groups(_ text: String, endsWithIPv4: Bool) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, field) in fields.enumerated() {
            if endsWithIPv4, index == fields.count - 1, field.contains(".") {
                guard let v4 = IPv4Address(field) else { return nil }
                groups.append(UInt16(v4.octets[0]) << 8 | UInt16(v4.octets[1]))
                groups.append(UInt16(v4.octets[2]) << 8 | UInt16(v4.octets[3]))
            } else {
                guard (1...4).contains(field.count), field.allSatisfy(\.isHexDigit),
                    let group = UInt16(field, radix: 16)
                else { return nil }
                groups.append(group)
            }
        }
        return groups
    }

    /// The last 32 bits as an IPv4 address.
    private var embeddedIPv4: IPv4Address {
        IPv4Address(octets: groups[6...7].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
    }

    /// The special-purpose range the address is in, or `nil` for a public or loopback address.
    ///
    /// Ranges after RFC 4291 (unspecified `::`, link-local fe80::/10, multicast ff00::/8 and
    /// the IPv4-mapped ::ffff:0:0/96), RFC 4193 (unique-local fc00::/7), RFC 3879 (the
    /// deprecated site-local fec0::/10) and RFC 6052 (NAT64, 64:ff9b::/96). An address that
    /// embeds an IPv4 address is judged by that address.
    var nonPublicRange: String? {
        let first = groups[0]
        let zeroPrefix = groups[0..<5].allSatisfy { $0 == 0 }
        if zeroPrefix, groups[5] == 0 {
            if groups[6] == 0, groups[7] <= 1 {
                return groups[7] == 0 ? "the unspecified address (::)" : nil
            }
            return embeddedIPv4.nonPublicRange
        }
        if zeroPrefix, groups[5] == 0xFFFF {
            return embeddedIPv4.nonPublicRange
        }
        if first == 0x64, groups[1] == 0xFF9B, groups[2..<6].allSatisfy({ $0 == 0 }) {
            return embeddedIPv4.nonPublicRange
        }
        switch first {
        case 0xFC00...0xFDFF: return "a unique-local address (fc00::/7)"
        case 0xFE80...0xFEBF: return "a link-local address (fe80::/10)"
        case 0xFEC0...0xFEFF: return "a site-local address (fec0::/10)"
        case 0xFF00...0xFFFF: return "a multicast address (ff00::/8)"
        default: return nil
        }
    }
}
