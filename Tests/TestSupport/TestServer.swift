public import App
public import Crypto
import Foundation
public import Logging

/// A WabaRouter instance started in this process on a free loopback port, against the test
/// database, reached over real HTTP.
public final class TestServer: Sendable {
    public let application: Application
    public let port: Int
    /// Records every log line, so tests can check what was logged and that no secret was.
    public let logs: InMemoryLogHandler

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts an instance; several may run against one database, as in production.
    ///
    /// Without `databaseURL` the instance gets a new, empty database of its own, because every
    /// instance's dispatchers claim queued messages of any WABA in their database: tests that
    /// shared one would send each other's messages.
    ///
    /// A free port can be taken by another process between the look-up and the bind, so a
    /// failed start is retried on another port a few times.
    public static func start(
        databaseURL: String? = nil,
        secretKey: SecretKey = TestServer.sharedSecretKey,
        infobipTimeout: Duration = .seconds(10),
        dispatch: DispatchConfiguration = TestServer.fastDispatch
    ) async throws -> TestServer {
        var database = databaseURL ?? ""
        if databaseURL == nil {
            database = try await TestDatabase.createDatabase()
        }
        var lastError: (any Error)?
        for _ in 0..<5 {
            do {
                return try await startOnce(
                    databaseURL: database,
                    secretKey: secretKey,
                    infobipTimeout: infobipTimeout,
                    dispatch: dispatch
                )
            } catch {
                lastError = error
            }
        }
        throw lastError ?? SimulatorError("the test server did not start")
    }

    private static func startOnce(
        databaseURL: String,
        secretKey: SecretKey,
        infobipTimeout: Duration,
        dispatch: DispatchConfiguration
    ) async throws -> TestServer {
        let port = FreePort.find()
        let logs = InMemoryLogHandler()
        let configuration = Configuration(
            databaseURL: databaseURL,
            port: port,
            host: "127.0.0.1",
            publicURL: "http://127.0.0.1:\(port)",
            logLevel: .debug,
            secretKey: secretKey,
            databasePoolSize: 4,
            infobipTimeout: infobipTimeout,
            dispatch: dispatch
        )
        let application = Application(
            configuration: configuration,
            logger: Logger(label: "test.wabarouter", level: .debug, handler: logs)
        )
        try await application.start()
        return TestServer(application: application, port: port, logs: logs)
    }

    /// Dispatch settings for tests: quick polling, so queued work never waits a full second,
    /// and two dispatch loops, since many servers share the machine's two cores.
    public static let fastDispatch: DispatchConfiguration = {
        var dispatch = DispatchConfiguration()
        dispatch.workers = 2
        dispatch.pollInterval = .milliseconds(200)
        dispatch.transientRequeueDelay = .milliseconds(100)
        return dispatch
    }()

    /// One key for every instance of the test process, since instances share WABAs.
    public static let sharedSecretKey = SecretKey.generate()

    private init(application: Application, port: Int, logs: InMemoryLogHandler) {
        self.application = application
        self.port = port
        self.logs = logs
    }

    /// Creates a tenant and returns a client that authenticates as it.
    public func makeTenantClient(name: String = "test") async throws -> HTTPTestClient {
        let (_, apiKey) = try await application.createTenant(name: name)
        return HTTPTestClient(baseURL: baseURL, bearerToken: apiKey)
    }

    /// A client without credentials, like Infobip posting a webhook.
    public func anonymousClient() -> HTTPTestClient {
        HTTPTestClient(baseURL: baseURL)
    }

    public func stop() async {
        await application.stop()
    }
}
