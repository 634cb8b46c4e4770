import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@testable import App

@Suite struct MigrationTests {
    /// Several instances starting together on an empty database apply each migration once.
    @Test func concurrentMigrationsApplyOnce() async throws {
        let url = try await TestDatabase.createDatabase()
        let logger = Logger(label: "test.migrations", level: .warning)
        let pools = (0..<3).map { _ in
            PostgresPool(
                configuration: PostgresConfiguration(connectionString: url, poolSize: 1),
                logger: logger
            )
        }
        let migrator = Migrator(directory: Migrator.defaultDirectory(), logger: logger)
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for pool in pools {
                group.addTask { try await migrator.migrate(pool: pool) }
            }
            var all: [[Int]] = []
            for try await versions in group {
                all.append(versions)
            }
            return all
        }
        let expected = try migrator.migrations().map(\.version)
        #expect(applied.flatMap { $0 }.sorted() == expected)

        let again = try await migrator.migrate(pool: pools[0])
        #expect(again.isEmpty)
        let count = try await pools[0].withConnection { connection in
            try connection.query("SELECT count(*) AS n FROM schema_migrations")[0]
                .decode("n", as: Int.self)
        }
        #expect(count == expected.count)
        for pool in pools {
            await pool.shutdown()
        }
    }

    @Test func migrationFilesNamedByVersion() throws {
        let migrator = Migrator(
            directory: Migrator.defaultDirectory(),
            logger: Logger(label: "test.migrations", level: .warning)
        )
        let migrations = try migrator.migrations()
        #expect(migrations.first?.version == 1)
        #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
    }
}
