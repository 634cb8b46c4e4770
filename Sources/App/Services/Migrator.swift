import Foundation
import Logging
import Postgres

/// Applies the numbered SQL files of a folder that the database has not seen yet.
///
/// Files are named `NNN_description.sql` and applied in numeric order, each in its own
/// transaction, and recorded in `schema_migrations`. A session-level advisory lock is held for
/// the whole run, so instances that start together apply each file exactly once: the first
/// applies, the others wait and then find nothing left to do.
struct Migrator: Sendable {
    /// Advisory lock key: the ASCII bytes of "WABAMIGR".
    static let advisoryLockKey: Int64 = 0x5741_4241_4D49_4752

    let directory: String
    let logger: Logger

    struct Migration: Sendable {
        var version: Int
        var name: String
        var sql: String
    }

    /// Reads the migration files, in version order.
    func migrations() throws -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError(
                "The migrations folder '\(directory)' cannot be read. Set MIGRATIONS_DIR to the "
                    + "folder holding the .sql files."
            )
        }
        var migrations: [Migration] = []
        for file in files where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let separator = stem.firstIndex(of: "_"),
                let version = Int(stem[..<separator])
            else {
                throw MigrationError(
                    "The migration file '\(file)' is not named NNN_description.sql."
                )
            }
            let path = (directory as NSString).appendingPathComponent(file)
            let sql = try String(contentsOfFile: path, encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst())
        where previous.version == next.version {
            throw MigrationError("Two migration files have version \(next.version).")
        }
        return migrations
    }

    /// Applies pending migrations and returns the versions applied by this call.
    func migrate(pool: PostgresPool) async throws -> [Int] {
        let migrations = try self.migrations()
        let logger = self.logger
        return try await pool.withConnection { connection in
            try connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
            defer {
                _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
            }
            try connection.execute(
                unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """
            )
            let rows = try connection.query("SELECT version FROM schema_migrations")
            let applied = Set(try rows.map { try $0.decode("version", as: Int.self) })
            var newlyApplied: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                logger.info(
                    "applying migration",
                    ["version": String(migration.version), "name": migration.name]
                )
                try connection.execute(unsafeSQL: "BEGIN")
                do {
                    try connection.execute(unsafeSQL: migration.sql)
                    try connection.execute(
                        """
                        INSERT INTO schema_migrations (version, name)
                        VALUES (\(migration.version), \(migration.name))
                        """
                    )
                    try connection.execute(unsafeSQL: "COMMIT")
                } catch {
                    try? connection.execute(unsafeSQL: "ROLLBACK")
                    logger.error(
                        "migration failed",
                        ["version": String(migration.version), "error": String(describing: error)]
                    )
                    throw error
                }
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }

    /// Returns the folder used when `MIGRATIONS_DIR` is not set: the `sql` folder of the source tree
    /// this binary was built from when it exists, else `./sql`.
    static func defaultDirectory() -> String {
        let sourceTree = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Services
            .deletingLastPathComponent()  // App
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("sql").path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: sourceTree, isDirectory: &isDirectory),
            isDirectory.boolValue
        {
            return sourceTree
        }
        return "sql"
    }
}

/// A migration folder or file that cannot be used.
struct MigrationError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
