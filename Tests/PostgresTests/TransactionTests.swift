import Foundation
import Logging
import Postgres
import Synchronization
import Testing

/// `withTransaction` commits, rollbacks and constraint errors against the test server.
@Suite struct TransactionTests {
    private func createTable(_ table: String, in pool: PostgresPool) async throws {
        try await pool.withConnection { connection in
            try connection.execute(
                unsafeSQL: """
                    CREATE TABLE \(table) (
                        id bigserial PRIMARY KEY,
                        email text NOT NULL CONSTRAINT \(table)_email_key UNIQUE
                    )
                    """
            )
        }
    }

    private func dropTable(_ table: String, in pool: PostgresPool) async throws {
        try await pool.withConnection { connection in
            try connection.execute(unsafeSQL: "DROP TABLE IF EXISTS \(table)")
        }
    }

    private func rowCount(_ table: String, in pool: PostgresPool) async throws -> Int {
        try await pool.withConnection { connection in
            let rows = try connection.query(
                PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)")
            )
            return try #require(rows.first).decode("n", as: Int.self)
        }
    }

    @Test func commitKeepsRows() async throws {
        let table = TestDatabase.uniqueName("tx_commit")
        try await TestDatabase.withPool(poolSize: 1) { pool in
            try await createTable(table, in: pool)
            let inserted = try await pool.withTransaction { connection in
                try connection.execute(
                    PostgresQuery(
                        unsafeSQL: "INSERT INTO \(table) (email) VALUES ($1), ($2)",
                        binds: ["a@example.com", "b@example.com"]
                    )
                )
            }
            #expect(inserted == 2)
            #expect(try await rowCount(table, in: pool) == 2)
            try await dropTable(table, in: pool)
        }
    }

    @Test func throwingBodyRollsBack() async throws {
        let table = TestDatabase.uniqueName("tx_rollback")
        try await TestDatabase.withPool(poolSize: 1) { pool in
            try await createTable(table, in: pool)
            await #expect(throws: IntentionalFailure.self) {
                try await pool.withTransaction { connection in
                    try connection.execute(
                        PostgresQuery(
                            unsafeSQL: "INSERT INTO \(table) (email) VALUES ($1)",
                            binds: ["rolled-back@example.com"]
                        )
                    )
                    throw IntentionalFailure()
                }
            }
            #expect(try await rowCount(table, in: pool) == 0)

            // The only connection must be usable and outside a transaction again, where
            // SAVEPOINT fails with SQLSTATE 25P01.
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try connection.execute(unsafeSQL: "SAVEPOINT outside_transaction")
                }
            }
            #expect(error?.sqlState == "25P01")
            try await dropTable(table, in: pool)
        }
    }

    @Test func uniqueViolationNamesConstraint() async throws {
        let table = TestDatabase.uniqueName("tx_unique")
        let email = "duplicate-\(UUID().uuidString)@example.com"
        try await TestDatabase.withPool(poolSize: 1) { pool in
            try await createTable(table, in: pool)
            let insert = PostgresQuery(
                unsafeSQL: "INSERT INTO \(table) (email) VALUES ($1)",
                binds: [email]
            )
            try await pool.withConnection { connection in
                try connection.execute(insert)
            }
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try connection.execute(insert)
                }
            }
            #expect(error?.isUniqueViolation == true)
            #expect(error?.sqlState == "23505")
            #expect(error?.code == .queryFailed)
            #expect(error?.constraint == "\(table)_email_key")
            #expect(error?.description.contains(email) == false)
            #expect(try await rowCount(table, in: pool) == 1)
            try await dropTable(table, in: pool)
        }
    }

    @Test func swallowedFailureStillRollsBack() async throws {
        let table = TestDatabase.uniqueName("tx_aborted")
        try await TestDatabase.withPool(poolSize: 1) { pool in
            try await createTable(table, in: pool)
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try connection.execute(
                        PostgresQuery(
                            unsafeSQL: "INSERT INTO \(table) (email) VALUES ($1)",
                            binds: ["kept?@example.com"]
                        )
                    )
                    // The body ignores a failed statement, which aborts the transaction.
                    _ = try? connection.execute("SELECT 1 / 0")
                }
            }
            #expect(error?.sqlState == "25P02")
            #expect(error?.operation == "commit")
            #expect(try await rowCount(table, in: pool) == 0)
            try await dropTable(table, in: pool)
        }
    }

    @Test func openTransactionRolledBackAfterBody() async throws {
        let table = TestDatabase.uniqueName("tx_left_open")
        let logs = InMemoryLogHandler()
        try await TestDatabase.withPool(poolSize: 1, logHandler: logs) { pool in
            try await createTable(table, in: pool)
            try await pool.withConnection { connection in
                try connection.execute(unsafeSQL: "BEGIN")
                try connection.execute(
                    PostgresQuery(
                        unsafeSQL: "INSERT INTO \(table) (email) VALUES ($1)",
                        binds: ["left-open@example.com"]
                    )
                )
            }
            #expect(try await rowCount(table, in: pool) == 0)
            #expect(logs.messages.contains("transaction left open by the caller, rolling back"))
            try await dropTable(table, in: pool)
        }
    }

    @Test func multiStatementScriptRuns() async throws {
        let table = TestDatabase.uniqueName("tx_script")
        try await TestDatabase.withPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                try connection.execute(
                    unsafeSQL: """
                        CREATE TABLE \(table) (id int PRIMARY KEY);
                        INSERT INTO \(table) VALUES (1), (2), (3);
                        CREATE INDEX ON \(table) (id);
                        """
                )
            }
            #expect(try await rowCount(table, in: pool) == 3)
            try await dropTable(table, in: pool)
        }
    }

    /// Two transactions that lock two rows in opposite orders deadlock; the server aborts one,
    /// and the pool runs it again, so both finish.
    @Test func deadlockedTransactionRunsAgain() async throws {
        let table = TestDatabase.uniqueName("tx_deadlock")
        try await TestDatabase.withPool(poolSize: 2) { pool in
            try await pool.withConnection { connection in
                try connection.execute(
                    unsafeSQL: """
                        CREATE TABLE \(table) (id int PRIMARY KEY, n int NOT NULL);
                        INSERT INTO \(table) VALUES (1, 0), (2, 0);
                        """
                )
            }
            let runs = RunCounter()
            async let one: Void = Self.lockBoth(pool, table, first: 1, second: 2, runs: runs)
            async let two: Void = Self.lockBoth(pool, table, first: 2, second: 1, runs: runs)
            _ = try await (one, two)

            #expect(runs.count == 3)
            let total = try await pool.withConnection { connection in
                try connection.query(
                    PostgresQuery(unsafeSQL: "SELECT sum(n) AS total FROM \(table)")
                )[0].decode("total", as: Int.self)
            }
            #expect(total == 4)
            try await dropTable(table, in: pool)
        }
    }

    /// Updates two rows in the given order, pausing after each so a second caller's opposite
    /// order deadlocks with it.
    private static func lockBoth(
        _ pool: PostgresPool,
        _ table: String,
        first: Int,
        second: Int,
        runs: RunCounter
    ) async throws {
        try await pool.withTransaction { connection in
            runs.increment()
            for id in [first, second] {
                try connection.execute(
                    PostgresQuery(
                        unsafeSQL: "UPDATE \(table) SET n = n + 1 WHERE id = $1",
                        binds: [id]
                    )
                )
                _ = try connection.query("SELECT pg_sleep(0.3)")
            }
        }
    }
}

/// Counts how many times transaction bodies ran.
private final class RunCounter: Sendable {
    private let value = Mutex(0)

    var count: Int { value.withLock { $0 } }

    func increment() {
        value.withLock { $0 += 1 }
    }
}
