import Foundation
import Logging
import Testing

@testable import HTTPServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Holds handlers until the test opens the gate, and counts the handlers that have entered.
private actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private(set) var entered = 0

    func pass() async {
        entered += 1
        guard !isOpen else { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters {
            waiter.resume()
        }
        waiters.removeAll()
    }

    /// Waits up to 10 seconds until `count` handlers have entered.
    func waitForEntered(_ count: Int) async {
        for _ in 0..<1000 where entered < count {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Waits up to 10 seconds until `logs` contains a record with `message`.
private func waitForRecord(_ message: String, in logs: InMemoryLogHandler) async {
    for _ in 0..<1000 where !logs.records.contains(where: { $0.message == message }) {
        try? await Task.sleep(for: .milliseconds(10))
    }
}

private let answerOK: @Sendable (HTTPRequest) async -> HTTPResponse = { _ in
    HTTPResponse(status: 200, body: Data("ok".utf8))
}

@Suite struct HTTPServerLifecycleTests {
    @Test func portZeroBindsRealPort() async throws {
        let server = try TestServer.start(handler: answerOK)
        let session = makeSession()

        let (data, response) = try await session.send(server.url("/"))

        #expect(server.port > 0)
        #expect(server.port != 8080)
        #expect(response.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == "ok")
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test func bindToUsedPortThrows() async throws {
        let first = try TestServer.start(handler: answerOK)
        let logs = InMemoryLogHandler()
        let second = HTTPServer(
            configuration: HTTPServer.Configuration(host: "127.0.0.1", port: first.port),
            logger: Logger(label: "test.http", handler: logs),
            handler: answerOK
        )

        let error = #expect(throws: HTTPServerError.self) { try second.start() }

        #expect(error?.code == .startFailed)
        #expect(error?.description.contains("127.0.0.1:\(first.port)") == true)
        #expect(error?.description.contains("in use") == true)
        #expect(logs.records.contains { $0.message == "HTTP server failed to start" })
        await second.stop()
        await first.server.stop()
    }

    @Test func stoppedPortServesNewServer() async throws {
        let first = try TestServer.start(handler: answerOK)
        let port = first.port
        let session = makeSession()
        _ = try await session.send(first.url("/"))
        await first.server.stop()

        let second = try TestServer.start(port: port) { _ in
            HTTPResponse(status: 200, body: Data("second".utf8))
        }
        let (data, response) = try await session.send(second.url("/"))

        #expect(second.port == port)
        #expect(response.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == "second")
        session.invalidateAndCancel()
        await second.server.stop()
    }

    @Test func startAndStopAreLogged() async throws {
        let server = try TestServer.start(handler: answerOK)
        await server.server.stop()

        let started = server.logs.records.first { $0.message == "HTTP server started" }
        let stopped = server.logs.records.first { $0.message == "HTTP server stopped" }

        #expect(started?.level == .info)
        #expect(started?.metadata["host"] == "127.0.0.1")
        #expect(started?.metadata["port"] == String(server.port))
        #expect(stopped?.level == .info)
        #expect(stopped?.metadata["port"] == String(server.port))
    }

    @Test func secondStartThrowsAlreadyStarted() async throws {
        let server = try TestServer.start(handler: answerOK)

        let error = #expect(throws: HTTPServerError.self) { try server.server.start() }

        #expect(error?.code == .alreadyStarted)
        await server.server.stop()
    }

    @Test(arguments: ["localhost", "256.0.0.1", ""])
    func nonNumericHostIsRejected(host: String) throws {
        let server = HTTPServer(
            configuration: HTTPServer.Configuration(host: host, port: 0),
            logger: Logger(label: "test.http", handler: InMemoryLogHandler()),
            handler: answerOK
        )

        let error = #expect(throws: HTTPServerError.self) { try server.start() }

        #expect(error?.code == .invalidConfiguration)
    }

    @Test func ipv6LoopbackServesRequests() async throws {
        let server = HTTPServer(
            configuration: HTTPServer.Configuration(host: "::1", port: 0),
            logger: Logger(label: "test.http", handler: InMemoryLogHandler()),
            handler: { request in
                HTTPResponse(status: 200, body: Data((request.remoteAddress ?? "none").utf8))
            }
        )
        try server.start()

        // URLSession on Linux rejects URLs with an IPv6 literal, so a raw connection is used.
        let responses = try await RawHTTPConnection.exchange(
            port: server.port,
            requests: [RawHTTPConnection.get("/")],
            ipv6: true
        )

        #expect(responses.first?.status == 200)
        #expect(responses.first.map { String(decoding: $0.body, as: UTF8.self) } == "::1")
        await server.stop()
    }

    @Test func stopWaitsForRunningHandler() async throws {
        let gate = Gate()
        let server = try TestServer.start { _ in
            await gate.pass()
            return HTTPResponse(status: 200, body: Data("finished".utf8))
        }
        let session = makeSession()
        let pending = Task { try await session.send(server.url("/slow")) }
        await gate.waitForEntered(1)

        let stopping = Task { await server.server.stop() }
        await waitForRecord("HTTP server stopping", in: server.logs)
        await gate.open()
        await stopping.value
        let (data, response) = try await pending.value

        #expect(response.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == "finished")
        #expect(response.value(forHTTPHeaderField: "Connection")?.lowercased() == "close")
        session.invalidateAndCancel()
    }

    @Test func stopAnswersUnfinishedHandlerWith503() async throws {
        let gate = Gate()
        let server = try TestServer.start { _ in
            await gate.pass()
            return HTTPResponse(status: 200)
        }
        let session = makeSession()
        let pending = Task { try await session.send(server.url("/stuck")) }
        await gate.waitForEntered(1)

        await server.server.stop(drainTimeout: .milliseconds(200))
        let (_, response) = try await pending.value
        await gate.open()

        #expect(response.statusCode == 503)
        #expect(
            server.logs.records.contains {
                $0.message == "HTTP server stopped before all handlers finished"
                    && $0.metadata["abandonedRequests"] == "1"
            }
        )
    }

    @Test func stopTwiceIsHarmless() async throws {
        let server = try TestServer.start(handler: answerOK)

        await server.server.stop()
        await server.server.stop()

        let stops = server.logs.records.filter { $0.message == "HTTP server stopped" }
        #expect(stops.count == 1)
    }
}
