import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request as `LoopbackHTTPServer` read it off the socket.
struct CapturedRequest: Sendable {
    /// For example `POST /whatsapp/1/message/template HTTP/1.1`.
    var requestLine: String
    /// Header names in lowercase.
    var headers: [String: String]
    var body: Data
}

enum LoopbackSocketError: Error {
    case failed(String)
}

/// Binds a TCP socket to 127.0.0.1 on a port the kernel picks and, when `backlog` is given,
/// starts listening. The caller closes the descriptor.
func bindLoopbackSocket(listenBacklog backlog: Int32?) throws -> (descriptor: Int32, port: UInt16) {
    #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw LoopbackSocketError.failed("socket: errno \(errno)") }

    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else {
        close(descriptor)
        throw LoopbackSocketError.failed("bind: errno \(errno)")
    }
    if let backlog, listen(descriptor, backlog) != 0 {
        close(descriptor)
        throw LoopbackSocketError.failed("listen: errno \(errno)")
    }

    var boundAddress = sockaddr_in()
    var boundLength = length
    _ = withUnsafeMutablePointer(to: &boundAddress) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            getsockname(descriptor, $0, &boundLength)
        }
    }
    return (descriptor, UInt16(bigEndian: boundAddress.sin_port))
}

/// A socket on 127.0.0.1 that listens but never accepts or responds.
///
/// The kernel completes the TCP handshake from the backlog, so a client connects, sends its
/// request and then waits for a response that never comes.
final class SilentLoopbackListener: Sendable {
    let port: UInt16
    private let descriptor: Int32

    init() throws {
        (descriptor, port) = try bindLoopbackSocket(listenBacklog: 4)
    }

    deinit {
        close(descriptor)
    }

    var baseURL: URL {
        URL(string: "http://127.0.0.1:\(port)")!
    }
}

/// Returns a port on 127.0.0.1 with nothing listening, so connecting to it is refused.
func refusedLoopbackPort() throws -> UInt16 {
    let (descriptor, port) = try bindLoopbackSocket(listenBacklog: nil)
    close(descriptor)
    return port
}

/// Serves one canned HTTP response to each of the first `connections` connections on
/// 127.0.0.1, one request per connection, then stops.
///
/// The server runs on its own thread, because `accept` and `recv` block. It waits at most
/// `waitSeconds` for each connection and for each read, so a test that connects fewer times
/// still ends the thread.
final class LoopbackHTTPServer: Sendable {
    let port: UInt16
    private let captured = Mutex<[CapturedRequest]>([])

    /// Starts serving `status`, `headers` and `body` to `connections` clients in turn. The
    /// response carries `Connection: close`, so each request comes on a new connection.
    init(
        status: Int,
        reason: String = "OK",
        headers: [String: String] = ["Content-Type": "application/json"],
        body: String,
        connections: Int = 1,
        waitSeconds: Int32 = 10
    ) throws {
        let (listener, port) = try bindLoopbackSocket(listenBacklog: 4)
        self.port = port
        var response = "HTTP/1.1 \(status) \(reason)\r\n"
        for (name, value) in headers {
            response += "\(name): \(value)\r\n"
        }
        response += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let responseBytes = Array(response.utf8)
        let timeoutMilliseconds = waitSeconds * 1000

        // The thread owns the listening descriptor and closes it when it is done.
        let thread = Thread { [self] in
            defer { close(listener) }
            for _ in 0..<connections {
                guard Self.waitReadable(listener, timeoutMilliseconds) else { return }
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                defer { close(client) }
                guard let request = Self.readRequest(client, timeoutMilliseconds) else { return }
                self.captured.withLock { $0.append(request) }
                Self.sendAll(responseBytes, to: client)
            }
        }
        thread.start()
    }

    var baseURL: URL {
        URL(string: "http://127.0.0.1:\(port)")!
    }

    /// The first request the server read, or nil before a client has sent one.
    var request: CapturedRequest? {
        captured.withLock { $0.first }
    }

    /// Every request the server read, in arrival order.
    var requests: [CapturedRequest] {
        captured.withLock { $0 }
    }

    private static func sendAll(_ bytes: [UInt8], to client: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = send(client, buffer.baseAddress! + offset, buffer.count - offset, 0)
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    private static func waitReadable(_ descriptor: Int32, _ timeoutMilliseconds: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, timeoutMilliseconds) > 0
    }

    private static func readRequest(_ client: Int32, _ timeoutMilliseconds: Int32)
        -> CapturedRequest?
    {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        var expectedLength = 0
        var sentContinue = false

        while true {
            if headerEnd == nil, let range = bytes.firstRange(of: separator) {
                headerEnd = range.upperBound
                let head = String(decoding: bytes[..<range.lowerBound], as: UTF8.self)
                let headers = parseHeaders(head)
                expectedLength = Int(headers["content-length"] ?? "0") ?? 0
                if headers["expect"]?.lowercased() == "100-continue", !sentContinue {
                    let reply = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
                    _ = reply.withUnsafeBytes { send(client, $0.baseAddress!, $0.count, 0) }
                    sentContinue = true
                }
            }
            if let headerEnd, bytes.count - headerEnd >= expectedLength {
                let head = String(decoding: bytes[..<(headerEnd - 4)], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                return CapturedRequest(
                    requestLine: lines.first ?? "",
                    headers: parseHeaders(head),
                    body: Data(bytes[headerEnd..<(headerEnd + expectedLength)])
                )
            }
            guard waitReadable(client, timeoutMilliseconds) else { return nil }
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress!, $0.count, 0) }
            guard count > 0 else { return nil }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    private static func parseHeaders(_ head: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
        }
        return headers
    }
}
