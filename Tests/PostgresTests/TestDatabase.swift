import Foundation
import Logging
import Postgres
import Synchronization
import Testing

/// Access to the test server named by `DATABASE_URL`.
enum TestDatabase {
    /// Returns the server URL, or fails the test with instructions when `DATABASE_URL` is unset.
    static func url() throws -> String {
        try #require(
            ProcessInfo.processInfo.environment["DATABASE_URL"],
            """
            DATABASE_URL is not set. Start a server with `scripts/test-postgres.sh start DIR` \
            and export the URL it prints as DATABASE_URL.
            """
        )
    }

    /// Returns a name unique to one test, usable unquoted as a table or application name.
    static func uniqueName(_ prefix: String) -> String {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)
        return "\(prefix)_\(suffix)".lowercased()
    }

    /// Runs `body` with a new pool and shuts the pool down afterwards, also when `body` throws.
    static func withPool<T: Sendable>(
        poolSize: Int = 2,
        statementTimeout: Duration = .seconds(30),
        idleInTransactionTimeout: Duration = .seconds(60),
        applicationName: String = uniqueName("pgtest"),
        connectionString: String? = nil,
        logHandler: InMemoryLogHandler = InMemoryLogHandler(),
        _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        let configuration = PostgresConfiguration(
            connectionString: try connectionString ?? url(),
            poolSize: poolSize,
            statementTimeout: statementTimeout,
            idleInTransactionTimeout: idleInTransactionTimeout,
            applicationName: applicationName
        )
        let pool = PostgresPool(
            configuration: configuration,
            logger: Logger(label: "postgres.test", level: .debug, handler: logHandler)
        )
        do {
            let result = try await body(pool)
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    /// Polls `condition` every 20 ms until it is true or `timeout` passes, and returns whether it
    /// became true.
    ///
    /// Tests wait with this for server-side effects that have no completion signal, such as a
    /// terminated backend leaving `pg_stat_activity`.
    static func waitUntil(
        timeout: Duration = .seconds(10),
        _ condition: () async throws -> Bool
    ) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try await condition() {
                return true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    /// Returns `url` with `password` set, to check that no log record or error shows it.
    static func url(withPassword password: String) throws -> String {
        var components = try #require(URLComponents(string: url()))
        components.password = password
        return try #require(components.string)
    }

    /// Returns `url` with an `application_name` query parameter.
    static func url(withApplicationName name: String) throws -> String {
        var components = try #require(URLComponents(string: url()))
        var items = components.queryItems ?? []
        items.append(URLQueryItem(name: "application_name", value: name))
        components.queryItems = items
        return try #require(components.string)
    }
}

/// An error thrown from test bodies to trigger a rollback.
struct IntentionalFailure: Error, Equatable {}

/// Events in the order they happened, appended from several tasks.
final class EventLog: Sendable {
    private let events = Mutex<[String]>([])

    func append(_ event: String) {
        events.withLock { $0.append(event) }
    }

    var all: [String] {
        events.withLock { $0 }
    }
}

extension InMemoryLogHandler {
    /// Messages of all records so far, oldest first.
    var messages: [String] {
        records.map(\.message)
    }

    /// Returns whether any record's message or metadata contains `text`.
    func mentions(_ text: String) -> Bool {
        records.contains { record in
            record.message.contains(text)
                || record.metadata.contains { $0.key.contains(text) || $0.value.contains(text) }
        }
    }
}
