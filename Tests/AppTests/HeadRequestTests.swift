import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `HEAD` on a `GET` route returns the `GET` response without its body. The bytes are read off a raw
/// socket, because an HTTP client never reads the body of a `HEAD` response.
@Suite struct HeadRequestTests {
    @Test func healthHeadHasHeadersOnly() async throws {
        try await withScenario { scenario in
            let get = try await RawExchange.send("GET", "/healthz", port: scenario.server.port)
            let head = try await RawExchange.send("HEAD", "/healthz", port: scenario.server.port)
            #expect(get.statusLine == "HTTP/1.1 200 OK")
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.headers["content-type"] == "application/json")
            #expect(head.headers["content-length"] == get.headers["content-length"])
            #expect(head.body.isEmpty)
            #expect(String(decoding: get.body, as: UTF8.self) == #"{"status":"ok"}"#)
        }
    }

    @Test func authenticatedHeadHasHeadersOnly() async throws {
        try await withScenario { scenario in
            let token = try #require(scenario.client.bearerToken)
            let head = try await RawExchange.send(
                "HEAD",
                "/wabas/\(scenario.wabaID)",
                port: scenario.server.port,
                headers: ["Authorization": "Bearer \(token)"]
            )
            #expect(head.statusLine == "HTTP/1.1 200 OK")
            #expect(head.headers["content-type"] == "application/json")
            #expect(Int(head.headers["content-length"] ?? "") ?? 0 > 0)
            #expect(head.body.isEmpty)
        }
    }

    @Test func headWithoutGetRouteNotAllowed() async throws {
        try await withScenario { scenario in
            let head = try await RawExchange.send(
                "HEAD",
                "/webhooks/infobip",
                port: scenario.server.port
            )
            #expect(head.statusLine == "HTTP/1.1 405 Method Not Allowed")
            #expect(head.body.isEmpty)
        }
    }

    @Test func methodNotAllowedListsHead() async throws {
        try await withScenario { scenario in
            let response = try await scenario.server.anonymousClient()
                .send("DELETE", "/healthz", body: nil)
            expectProblem(
                response,
                status: 405,
                [
                    "type": "urn:wabarouter:problem:method-not-allowed",
                    "title": "Method not allowed",
                    "detail": "DELETE is not supported here; use GET or HEAD.",
                    "instance": "/healthz",
                ]
            )
        }
    }

    @Test func literalRouteWithOtherMethodNotAllowed() async throws {
        try await withScenario { scenario in
            let response = try await scenario.client.send("GET", "/messages/bulk", body: nil)
            expectProblem(
                response,
                status: 405,
                [
                    "type": "urn:wabarouter:problem:method-not-allowed",
                    "title": "Method not allowed",
                    "detail": "GET is not supported here; use POST.",
                    "instance": "/messages/bulk",
                ]
            )
            #expect(response.header("Allow") == "POST")
        }
    }
}

/// One request on its own loopback connection with `Connection: close`, read to the end.
private enum RawExchange {
    struct Response: Sendable {
        var statusLine: String
        /// Header fields with lowercased names.
        var headers: [String: String]
        /// Every byte after the blank line that ends the header fields.
        var body: Data
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the blocking socket calls on a thread of their own, off the cooperative pool.
    static func send(
        _ method: String,
        _ path: String,
        port: Int,
        headers: [String: String] = [:]
    ) async throws -> Response {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers {
            request += "\(name): \(value)\r\n"
        }
        request += "\r\n"
        let bytes = Data(request.utf8)
        let data = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try exchange(bytes, port: port) }) }
                .start()
        }
        return try parse(data)
    }

    private static func exchange(_ request: Data, port: Int) throws -> Data {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket failed: \(errno)") }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw Failure(description: "connect to port \(port) failed: \(errno)")
        }
        let written = request.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
        guard written == request.count else { throw Failure(description: "send failed: \(errno)") }

        var received = Data()
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = recv(socket, &chunk, chunk.count, 0)
            guard count >= 0 else { throw Failure(description: "recv failed: \(errno)") }
            guard count > 0 else { return received }
            received.append(contentsOf: chunk[..<count])
        }
    }

    private static func parse(_ data: Data) throws -> Response {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw Failure(description: "no end of header fields in \(data.count) bytes")
        }
        let lines = String(decoding: data[..<end.lowerBound], as: UTF8.self)
            .components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return Response(statusLine: lines[0], headers: headers, body: Data(data[end.upperBound...]))
    }
}
