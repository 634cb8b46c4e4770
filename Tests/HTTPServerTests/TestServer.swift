import Foundation
import Logging
import Synchronization

@testable import HTTPServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A started server on 127.0.0.1 with a system-picked port, and the records it logged.
struct TestServer {
    let server: HTTPServer
    let logs: InMemoryLogHandler

    var port: Int { server.port }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(server.port)")! }

    /// Starts a server with `handler` on 127.0.0.1 and port 0 unless `port` is given.
    ///
    /// Without `bodyPolicy` every body is buffered up to `maxBodyBytes`. Spooled bodies go to
    /// `spoolDirectory`, by default the system's temporary directory. Idle connections close
    /// after `connectionTimeout`.
    static func start(
        port: Int = 0,
        maxBodyBytes: Int = 16 << 20,
        connectionTimeout: Duration = .seconds(10),
        threadCount: Int = 2,
        bodyPolicy: (@Sendable (String, String) -> HTTPServer.BodyPolicy)? = nil,
        spoolDirectory: URL? = nil,
        handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse
    ) throws -> TestServer {
        let logs = InMemoryLogHandler()
        var configuration = HTTPServer.Configuration(
            host: "127.0.0.1",
            port: port,
            maxBodyBytes: maxBodyBytes,
            connectionTimeout: connectionTimeout,
            threadCount: threadCount,
            bodyPolicy: bodyPolicy
        )
        if let spoolDirectory {
            configuration.spoolDirectory = spoolDirectory
        }
        let server = HTTPServer(
            configuration: configuration,
            logger: Logger(label: "test.http", level: .debug, handler: logs),
            handler: handler
        )
        try server.start()
        return TestServer(server: server, logs: logs)
    }

    func url(_ pathAndQuery: String) -> URL {
        URL(string: "http://127.0.0.1:\(server.port)\(pathAndQuery)")!
    }
}

/// Creates a URLSession for one test, with request timeouts so that a broken server fails the test
/// instead of hanging it.
func makeSession(maxConnections: Int = 6) -> URLSession {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = 30
    configuration.timeoutIntervalForResource = 60
    configuration.httpMaximumConnectionsPerHost = maxConnections
    return URLSession(configuration: configuration)
}

extension URLSession {
    /// Sends one request and returns the body and the HTTP response.
    func send(
        _ url: URL,
        method: String = "GET",
        headers: [String: String] = [:],
        body: Data? = nil
    ) async throws -> (Data, HTTPURLResponse) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.httpBody = body
        let (data, response) = try await data(for: request)
        guard let httpResponse = response as? HTTPURLResponse else {
            throw URLError(.badServerResponse)
        }
        return (data, httpResponse)
    }
}

/// A value shared between a test and its handler.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        self.storage = Mutex(value)
    }

    var value: Value {
        storage.withLock { $0 }
    }

    func update<Result: Sendable>(_ body: @Sendable (inout Value) -> Result) -> Result {
        storage.withLock { body(&$0) }
    }
}

/// Random bytes of the given size, so that a mangled body cannot pass by accident.
func randomBody(bytes: Int) -> Data {
    var generator = SystemRandomNumberGenerator()
    return Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
}
