import Foundation
import HTTPServer
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The parts of a request that the echo handler sends back as JSON.
private struct EchoedRequest: Codable {
    var method: String
    var path: String
    var query: [String: String]
    var headers: [[String]]
    var bodyBytes: Int
    var remoteAddress: String?

    init(_ request: HTTPRequest) {
        method = request.method
        path = request.path
        query = request.query
        headers = request.headers.map { [$0.name, $0.value] }
        bodyBytes = request.body.count
        remoteAddress = request.remoteAddress
    }

    func headerValues(_ name: String) -> [String] {
        headers.filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
    }
}

private let echoRequestAsJSON: @Sendable (HTTPRequest) async -> HTTPResponse = { request in
    let body = (try? JSONEncoder().encode(EchoedRequest(request))) ?? Data()
    return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body)
}

private let echoBody: @Sendable (HTTPRequest) async -> HTTPResponse = { request in
    HTTPResponse(
        status: 200,
        headers: ["Content-Type": "application/octet-stream"],
        body: request.body
    )
}

@Suite struct HTTPServerRequestTests {
    @Test func getEchoesQueryAndHeaders() async throws {
        let server = try TestServer.start(handler: echoRequestAsJSON)
        let session = makeSession()

        let (data, response) = try await session.send(
            server.url("/wabas/caf%C3%A9?name=a%20b&x=1&x=2&flag"),
            headers: ["X-Custom": "one", "Accept": "application/json"]
        )
        let echoed = try JSONDecoder().decode(EchoedRequest.self, from: data)

        #expect(response.statusCode == 200)
        #expect(echoed.method == "GET")
        #expect(echoed.path == "/wabas/café")
        #expect(echoed.query["name"] == "a b")
        #expect(echoed.query["x"] == "2")
        #expect(echoed.query["flag"] == "")
        #expect(echoed.headerValues("x-custom") == ["one"])
        #expect(echoed.headerValues("Accept") == ["application/json"])
        #expect(echoed.headerValues("Host") == ["127.0.0.1:\(server.port)"])
        #expect(echoed.bodyBytes == 0)
        #expect(echoed.remoteAddress == "127.0.0.1")
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test(arguments: [1, 64 << 10, 5 << 20])
    func postBodyEchoesIntact(bytes: Int) async throws {
        let server = try TestServer.start(handler: echoBody)
        let session = makeSession()
        let body = randomBody(bytes: bytes)

        let (data, response) = try await session.send(
            server.url("/upload"),
            method: "POST",
            headers: ["Content-Type": "application/octet-stream"],
            body: body
        )

        #expect(response.statusCode == 200)
        #expect(data.count == bytes)
        #expect(data == body)
        #expect(response.value(forHTTPHeaderField: "Content-Length") == String(bytes))
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test func bodyOverLimitGets413() async throws {
        let handled = Shared(0)
        let server = try TestServer.start(maxBodyBytes: 64 << 10) { request in
            handled.update { $0 += 1 }
            return HTTPResponse(status: 200, body: Data(String(request.body.count).utf8))
        }
        let session = makeSession()

        let (atLimitData, atLimit) = try await session.send(
            server.url("/upload"),
            method: "POST",
            body: randomBody(bytes: 64 << 10)
        )
        let (_, overLimit) = try await session.send(
            server.url("/upload"),
            method: "POST",
            body: randomBody(bytes: (64 << 10) + 1)
        )

        #expect(atLimit.statusCode == 200)
        #expect(String(decoding: atLimitData, as: UTF8.self) == String(64 << 10))
        #expect(overLimit.statusCode == 413)
        #expect(handled.value == 1)
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test func chunkedBodyOverLimitGets413() async throws {
        let handled = Shared(0)
        let server = try TestServer.start(maxBodyBytes: 1024) { _ in
            handled.update { $0 += 1 }
            return HTTPResponse(status: 200)
        }
        let chunk = String(repeating: "a", count: 800)
        let chunkedUpload = Data(
            ("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n").utf8
        )

        let responses = try await RawHTTPConnection.exchange(
            port: server.port,
            requests: [chunkedUpload, RawHTTPConnection.get("/after")]
        )

        #expect(responses.count == 2)
        #expect(responses.first?.status == 413)
        #expect(responses.last?.status == 200)
        #expect(handled.value == 1)
        await server.server.stop()
    }

    @Test func chunkedBodyFarOverLimitClosesConnection() async throws {
        let server = try TestServer.start(maxBodyBytes: 1024) { _ in HTTPResponse(status: 200) }
        let chunk = "320\r\n" + String(repeating: "a", count: 800) + "\r\n"
        let chunkedUpload = Data(
            ("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + String(repeating: chunk, count: 4) + "0\r\n\r\n").utf8
        )

        await #expect(throws: RawHTTPError.self) {
            try await RawHTTPConnection.exchange(port: server.port, requests: [chunkedUpload])
        }
        #expect(
            server.logs.records.contains {
                $0.message == "HTTP request body far over limit, closing connection"
            }
        )
        await server.server.stop()
    }

    @Test(arguments: [201, 404, 500])
    func statusAndHeadersReachClient(status: Int) async throws {
        let server = try TestServer.start { request in
            var headers: HTTPHeaders = ["Content-Type": "text/plain"]
            headers.add(name: "X-Request-Path", value: request.path)
            headers.add(name: "Location", value: "/wabas/7")
            return HTTPResponse(status: status, headers: headers, body: Data("status".utf8))
        }
        let session = makeSession()

        let (data, response) = try await session.send(server.url("/status/\(status)"))

        #expect(response.statusCode == status)
        #expect(response.value(forHTTPHeaderField: "X-Request-Path") == "/status/\(status)")
        #expect(response.value(forHTTPHeaderField: "Location") == "/wabas/7")
        #expect(response.value(forHTTPHeaderField: "Content-Type") == "text/plain")
        #expect(String(decoding: data, as: UTF8.self) == "status")
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test func emptyBodyResponseHasZeroLength() async throws {
        let server = try TestServer.start { _ in HTTPResponse(status: 404) }

        let responses = try await RawHTTPConnection.exchange(
            port: server.port,
            requests: [RawHTTPConnection.get("/missing")]
        )

        #expect(responses.first?.status == 404)
        #expect(responses.first?.headers["content-length"] == "0")
        #expect(responses.first?.body.isEmpty == true)
        await server.server.stop()
    }

    @Test func unknownMethodReachesHandler() async throws {
        let server = try TestServer.start(handler: echoRequestAsJSON)
        let session = makeSession()

        let (data, response) = try await session.send(server.url("/pot"), method: "BREW")
        let echoed = try JSONDecoder().decode(EchoedRequest.self, from: data)

        #expect(response.statusCode == 200)
        #expect(echoed.method == "BREW")
        #expect(echoed.path == "/pot")
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test func invalidStatusBecomes500() async throws {
        let server = try TestServer.start { _ in HTTPResponse(status: 42) }

        let responses = try await RawHTTPConnection.exchange(
            port: server.port,
            requests: [RawHTTPConnection.get("/")]
        )

        #expect(responses.first?.status == 500)
        #expect(
            server.logs.records.contains { $0.message == "HTTP handler returned an invalid status" }
        )
        await server.server.stop()
    }
}
