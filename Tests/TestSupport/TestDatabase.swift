import Foundation
import Logging
import Postgres

/// The PostgreSQL server the suite runs against, named by `DATABASE_URL`.
///
/// `make test` starts a throwaway server and sets the variable. Each test server creates a
/// database of its own on it, so tests can run in parallel without sharing a queue.
public enum TestDatabase {
    /// The server's URL.
    public static var url: String {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            fatalError(
                "DATABASE_URL is not set. Run the suite with `make test`, which starts PostgreSQL."
            )
        }
        return url
    }

    /// Creates an empty database on the same server and returns its URL.
    public static func createDatabase(prefix: String = "wr_test") async throws -> String {
        let name =
            "\(prefix)_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let pool = PostgresPool(
            configuration: PostgresConfiguration(connectionString: url, poolSize: 1),
            logger: Logger(label: "test.postgres", level: .warning)
        )
        // CREATE DATABASE takes no bound parameters; the name is generated above from a UUID.
        try await pool.withConnection { connection in
            try connection.execute(unsafeSQL: "CREATE DATABASE \(name)")
        }
        await pool.shutdown()
        return replacingDatabase(in: url, with: name)
    }

    /// Replaces the database name of a `postgresql://` URL.
    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }
}
