import Foundation
import Logging
import Testing

@testable import HTTPServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loopback connections that stay open without completing a request, closed by ``closeAll()``.
private final class IdleConnections: @unchecked Sendable {
    private(set) var sockets: [Int32] = []

    /// Opens `count` connections to `port`. Every second one sends half a request line, the
    /// others send nothing.
    func open(count: Int, port: Int) throws {
        let partialRequestLine = Data("GET /hal".utf8)
        for index in 0..<count {
            let socket = try RawHTTPConnection.connectToLoopback(port: port)
            sockets.append(socket)
            if index.isMultiple(of: 2) {
                try RawHTTPConnection.writeAll(partialRequestLine, to: socket)
            }
        }
    }

    func closeAll() {
        for socket in sockets {
            close(socket)
        }
        sockets.removeAll()
    }
}

/// Raises the soft limit on open files to at least `count`, within the hard limit, and
/// returns whether the process may now open that many.
private func raiseOpenFileLimit(to count: Int) -> Bool {
    let limit = OpenFileLimit.raiseSoftLimit(to: UInt64(count))
    return (limit?.soft ?? 0) >= UInt64(count)
}

/// Counts the IPv4 TCP sockets on local port `port` in state CLOSE-WAIT, which are
/// connections whose peer closed and which the server has not closed yet. Linux lists them in
/// `/proc/net/tcp` with state `08`.
private func closeWaitSocketCount(port: Int) throws -> Int {
    let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)
    let localSuffix = ":" + String(format: "%04X", port)
    var count = 0
    for line in table.split(separator: "\n").dropFirst() {
        let columns = line.split(separator: " ")
        guard columns.count > 3 else { continue }
        if columns[1].hasSuffix(localSuffix) && columns[3] == "08" {
            count += 1
        }
    }
    return count
}

@Suite struct HTTPServerIdleConnectionTests {
    /// More than libmicrohttpd's default limit of `FD_SETSIZE` - 4 connections.
    private static let idleCount = 1200

    @Test func requestAnsweredPastIdleConnections() async throws {
        // Each idle connection takes one descriptor here and one in the server.
        try #require(raiseOpenFileLimit(to: 2 * Self.idleCount + 256))
        // Idle connections outlive the 10-second read timeout of the request below, so a
        // server that waits for them to time out fails the test.
        let server = try TestServer.start(connectionTimeout: .seconds(60)) { request in
            HTTPResponse(status: 200, body: Data(request.path.utf8))
        }
        let idle = IdleConnections()
        defer { idle.closeAll() }

        try idle.open(count: Self.idleCount, port: server.port)
        let responses = try await RawHTTPConnection.exchange(
            port: server.port,
            requests: [RawHTTPConnection.get("/healthz")]
        )

        #expect(idle.sockets.count == Self.idleCount)
        #expect(responses.first?.status == 200)
        #expect(responses.first.map { String(decoding: $0.body, as: UTF8.self) } == "/healthz")
        idle.closeAll()
        await server.server.stop()
    }

    @Test func closedConnectionsReleased() async throws {
        try #require(raiseOpenFileLimit(to: 2 * Self.idleCount + 256))
        let server = try TestServer.start(connectionTimeout: .seconds(60)) { request in
            HTTPResponse(status: 200, body: Data(request.path.utf8))
        }
        let idle = IdleConnections()
        defer { idle.closeAll() }

        try idle.open(count: Self.idleCount, port: server.port)
        idle.closeAll()
        var remaining = try closeWaitSocketCount(port: server.port)
        // Up to 20 s: the suite runs many servers at once on two cores, and the server only
        // has to close them well before the 60-second idle timeout would.
        for _ in 0..<400 where remaining > 0 {
            try await Task.sleep(for: .milliseconds(50))
            remaining = try closeWaitSocketCount(port: server.port)
        }

        #expect(remaining == 0)
        await server.server.stop()
    }

    @Test(arguments: [0, 1, -1])
    func connectionLimitBelowThreadsRejected(connectionLimit: Int) throws {
        let server = HTTPServer(
            configuration: HTTPServer.Configuration(
                host: "127.0.0.1",
                port: 0,
                threadCount: 2,
                connectionLimit: connectionLimit
            ),
            logger: Logger(label: "test.http", handler: InMemoryLogHandler()),
            handler: { _ in HTTPResponse(status: 200) }
        )

        let error = #expect(throws: HTTPServerError.self) { try server.start() }

        #expect(error?.code == .invalidConfiguration)
        #expect(error?.description.contains("connectionLimit") == true)
    }
}
