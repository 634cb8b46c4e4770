import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A numeric IPv4 or IPv6 socket address: the listen address handed to libmicrohttpd as
/// `MHD_OPTION_SOCK_ADDR`, and the formatting of client addresses.
enum SocketAddress {
    case ipv4(sockaddr_in)
    case ipv6(sockaddr_in6)

    /// Parses a numeric IPv4 or IPv6 `host`, or returns `nil` for anything else.
    init?(host: String, port: UInt16) {
        var ipv4 = sockaddr_in()
        if inet_pton(AF_INET, host, &ipv4.sin_addr) == 1 {
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = port.bigEndian
            self = .ipv4(ipv4)
            return
        }
        var ipv6 = sockaddr_in6()
        if inet_pton(AF_INET6, host, &ipv6.sin6_addr) == 1 {
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = port.bigEndian
            self = .ipv6(ipv6)
            return
        }
        return nil
    }

    var isIPv6: Bool {
        if case .ipv6 = self { true } else { false }
    }

    /// Calls `body` with a pointer to the `sockaddr` that is valid for the duration of the call.
    func withSockaddrPointer<Result>(_ body: (UnsafePointer<sockaddr>) -> Result) -> Result {
        switch self {
        case .ipv4(var address):
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
            }
        case .ipv6(var address):
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
            }
        }
    }

    /// Formats a client's address as a numeric string, with IPv4-mapped IPv6 addresses such
    /// as `::ffff:127.0.0.1` written as plain IPv4.
    static func numericHost(of address: UnsafePointer<sockaddr>) -> String? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let ipv4 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
            return format(family: AF_INET, address: ipv4.sin_addr)
        case AF_INET6:
            let ipv6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
            let bytes = withUnsafeBytes(of: ipv6.sin6_addr) { Array($0) }
            let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
            if bytes.prefix(12).elementsEqual(mappedPrefix) {
                return bytes.suffix(4).map(String.init).joined(separator: ".")
            }
            return format(family: AF_INET6, address: ipv6.sin6_addr)
        default:
            return nil
        }
    }

    private static func format<Address>(
        family: Int32,
        address: Address
    ) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let written = withUnsafeBytes(of: address) { addressBytes in
            buffer.withUnsafeMutableBufferPointer { output in
                inet_ntop(
                    family,
                    addressBytes.baseAddress,
                    output.baseAddress,
                    socklen_t(output.count)
                )
            }
        }
        guard written != nil else { return nil }
        let text = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: text, as: UTF8.self)
    }
}
