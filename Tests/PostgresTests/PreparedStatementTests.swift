import Foundation
import Postgres
import Testing

/// Statements are prepared on the server once per session and then executed by name.
@Suite struct PreparedStatementTests {
    @Test func repeatedStatementPreparedOnce() async throws {
        try await TestDatabase.withPool(poolSize: 1) { pool in
            let values = try await pool.withConnection { connection in
                try (1...5).map { value in
                    try connection.query("SELECT \(value)::int8 * 2 AS doubled")[0]
                        .decode("doubled", as: Int.self)
                }
            }
            #expect(values == [2, 4, 6, 8, 10])
            let prepared = try await pool.withConnection { connection in
                try connection.query(
                    """
                    SELECT count(*) AS statements FROM pg_prepared_statements
                    WHERE statement = \("SELECT $1::int8 * 2 AS doubled")
                    """
                )[0].decode("statements", as: Int.self)
            }
            #expect(prepared == 1)
        }
    }

    /// A statement the server cannot prepare reports the server's own error, not the aborted
    /// transaction that a failed PREPARE leaves behind.
    @Test func unpreparableStatementKeepsItsError() async throws {
        try await TestDatabase.withPool(poolSize: 1) { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try connection.query("SELECT * FROM no_such_table_for_prepare")
                }
            }
            #expect(error?.sqlState == "42P01")
        }
    }

    @Test func statementReusedAfterRollback() async throws {
        try await TestDatabase.withPool(poolSize: 1) { pool in
            struct Rollback: Error {}
            _ = try? await pool.withTransaction { connection in
                _ = try connection.query("SELECT \(1)::int8 AS one")
                throw Rollback()
            }
            let one = try await pool.withConnection { connection in
                try connection.query("SELECT \(1)::int8 AS one")[0].decode("one", as: Int.self)
            }
            #expect(one == 1)
        }
    }
}
