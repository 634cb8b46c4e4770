import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A response read off a raw TCP connection.
struct RawHTTPResponse: Sendable {
    var status: Int
    /// Header fields with lowercased names. A repeated name keeps its last value.
    var headers: [String: String]
    var body: Data
}

/// Failures of ``RawHTTPConnection``.
struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
}

/// One blocking HTTP/1.1 connection to 127.0.0.1 or ::1, used to control exactly which bytes
/// go on which connection.
///
/// ``exchange(port:requests:ipv6:)`` runs on a thread of its own, so the blocking socket calls
/// never occupy a thread of the cooperative pool. Every read times out after 10 seconds.
enum RawHTTPConnection {
    /// Connects once, to ::1 when `ipv6` is set, then writes each request and reads its
    /// response in turn.
    static func exchange(
        port: Int,
        requests: [Data],
        ipv6: Bool = false
    ) async throws -> [RawHTTPResponse] {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result { try exchangeBlocking(port: port, requests, ipv6: ipv6) }
                )
            }
            thread.start()
        }
    }

    /// Returns a GET request for `path` with a `Host` field.
    static func get(_ path: String) -> Data {
        Data("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    }

    private static func exchangeBlocking(
        port: Int,
        _ requests: [Data],
        ipv6: Bool
    ) throws -> [RawHTTPResponse] {
        let socket = try connectToLoopback(port: port, ipv6: ipv6)
        defer { close(socket) }
        var reader = ResponseReader(socket: socket)
        var responses: [RawHTTPResponse] = []
        for request in requests {
            try writeAll(request, to: socket)
            responses.append(try reader.readResponse())
        }
        return responses
    }

    /// Opens a blocking TCP connection to 127.0.0.1, or ::1 when `ipv6` is set, whose reads
    /// time out after 10 seconds, and returns its socket. The caller closes it.
    static func connectToLoopback(port: Int, ipv6: Bool = false) throws -> Int32 {
        let family = ipv6 ? AF_INET6 : AF_INET
        #if canImport(Glibc)
            let socket = Glibc.socket(family, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let socket = Darwin.socket(family, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw RawHTTPError(description: "socket failed: \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(
            socket,
            SOL_SOCKET,
            SO_RCVTIMEO,
            &timeout,
            socklen_t(MemoryLayout<timeval>.size)
        )
        let result: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            address.sin6_addr = in6addr_loopback
            result = connect(socket, to: &address)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            result = connect(socket, to: &address)
        }
        guard result == 0 else {
            close(socket)
            throw RawHTTPError(description: "connect to loopback port \(port) failed: \(errno)")
        }
        return socket
    }

    private static func connect<Address>(_ socket: Int32, to address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                    Glibc.connect(socket, $0, socklen_t(MemoryLayout<Address>.size))
                #else
                    Darwin.connect(socket, $0, socklen_t(MemoryLayout<Address>.size))
                #endif
            }
        }
    }

    static func writeAll(_ data: Data, to socket: Int32) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = send(socket, buffer.baseAddress! + offset, buffer.count - offset, 0)
                guard written > 0 else {
                    throw RawHTTPError(description: "send failed: \(errno)")
                }
                offset += written
            }
        }
    }

    /// Reads responses framed by `Content-Length`, which libmicrohttpd always sends for
    /// buffer responses.
    private struct ResponseReader {
        let socket: Int32
        var buffered = Data()

        mutating func readResponse() throws -> RawHTTPResponse {
            let separator = Data("\r\n\r\n".utf8)
            var headEnd = buffered.range(of: separator)
            while headEnd == nil {
                try fill()
                headEnd = buffered.range(of: separator)
            }
            let head = String(decoding: buffered[..<headEnd!.lowerBound], as: UTF8.self)
            buffered = Data(buffered[headEnd!.upperBound...])

            let lines = head.components(separatedBy: "\r\n")
            let statusParts = lines[0].split(separator: " ")
            guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
                throw RawHTTPError(description: "invalid status line: \(lines[0])")
            }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                headers[name] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            let length = headers["content-length"].flatMap { Int($0) } ?? 0
            while buffered.count < length {
                try fill()
            }
            let body = Data(buffered.prefix(length))
            buffered = Data(buffered.dropFirst(length))
            return RawHTTPResponse(status: status, headers: headers, body: body)
        }

        private mutating func fill() throws {
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let count = recv(socket, &chunk, chunk.count, 0)
            guard count > 0 else {
                throw RawHTTPError(
                    description: count == 0
                        ? "connection closed by server" : "recv failed: \(errno)"
                )
            }
            buffered.append(contentsOf: chunk[..<count])
        }
    }
}
