import Foundation
import Logging
import Postgres
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
}
