import Foundation
import Postgres
import Testing

/// Placeholder numbering and bind collection of `PostgresQuery`, without a server.
@Suite struct PostgresQueryTests {
    @Test func interpolationBecomesPlaceholders() {
        let id = 42
        let name = "O'Brien"
        let query: PostgresQuery = "SELECT * FROM t WHERE id = \(id) AND n = \(name)"
        #expect(query.sql == "SELECT * FROM t WHERE id = $1 AND n = $2")
        #expect(query.binds.count == 2)
        #expect(query.binds[0]?.postgresText == "42")
        #expect(query.binds[1]?.postgresText == "O'Brien")
    }

    @Test func nilOptionalBindsNull() {
        let missing: UUID? = nil
        let present: String? = "x"
        let query: PostgresQuery = "UPDATE t SET a = \(missing), b = \(present)"
        #expect(query.sql == "UPDATE t SET a = $1, b = $2")
        #expect(query.binds.count == 2)
        #expect(query.binds[0] == nil)
        #expect(query.binds[1]?.postgresText == "x")
    }

    @Test func literalWithoutValuesKeepsText() {
        let query: PostgresQuery = "SELECT 1"
        #expect(query.sql == "SELECT 1")
        #expect(query.binds.isEmpty)
        #expect(query.description == "SELECT 1")
    }

    @Test func unsafeSQLKeepsBinds() {
        let query = PostgresQuery(unsafeSQL: "SELECT $1, $2", binds: [1, nil])
        #expect(query.sql == "SELECT $1, $2")
        #expect(query.binds.count == 2)
        #expect(query.binds[1] == nil)
    }

    @Test func descriptionLeavesOutValues() {
        let secret = "hunter2"
        let query: PostgresQuery = "SELECT \(secret)"
        #expect(query.description == "SELECT $1")
    }
}
