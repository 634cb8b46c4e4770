import Foundation
import HTTPServer
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite struct HTTPServerConnectionTests {
    @Test func sequentialRequestsShareOneSession() async throws {
        let server = try TestServer.start { request in
            HTTPResponse(status: 200, body: Data(request.path.utf8))
        }
        let session = makeSession(maxConnections: 1)

        for index in 0..<5 {
            let (data, response) = try await session.send(server.url("/sequential/\(index)"))

            #expect(response.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self) == "/sequential/\(index)")
        }
        session.invalidateAndCancel()
        await server.server.stop()
    }

    @Test func keepAliveServesRequestsOnOneConnection() async throws {
        let server = try TestServer.start { request in
            HTTPResponse(status: 200, body: Data(request.path.utf8))
        }
        let requests = (0..<3).map { RawHTTPConnection.get("/keep-alive/\($0)") }

        let responses = try await RawHTTPConnection.exchange(port: server.port, requests: requests)

        #expect(responses.count == 3)
        for (index, response) in responses.enumerated() {
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "/keep-alive/\(index)")
            #expect(response.headers["connection"]?.lowercased() != "close")
        }
        await server.server.stop()
    }
}
