import Foundation
import Postgres

/// SQL for WABAs. Every lookup is scoped to a tenant, so another tenant's id finds nothing.
enum WabaStore {
    private static let columns = """
        id, tenant_id, name, business_account_id, base_url, api_key_sealed, api_key_last4, \
        portfolio_id, created_at
        """

    static func insert(_ connection: PostgresConnection, _ waba: Waba) throws {
        try connection.execute(
            """
            INSERT INTO wabas (id, tenant_id, name, business_account_id, base_url, api_key_sealed,
                               api_key_last4, portfolio_id, created_at)
            VALUES (\(waba.id), \(waba.tenantID), \(waba.name), \(waba.businessAccountID),
                    \(waba.baseURL), \(waba.apiKeySealed), \(waba.apiKeyLast4),
                    \(waba.portfolioID), \(waba.createdAt))
            """
        )
    }

    static func list(_ connection: PostgresConnection, tenantID: UUID) throws -> [Waba] {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL:
                    "SELECT \(columns) FROM wabas WHERE tenant_id = $1 ORDER BY created_at, id",
                binds: [tenantID]
            )
        )
        return try rows.map(waba(from:))
    }

    static func find(_ connection: PostgresConnection, id: UUID, tenantID: UUID) throws -> Waba? {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(columns) FROM wabas WHERE id = $1 AND tenant_id = $2",
                binds: [id, tenantID]
            )
        )
        return try rows.first.map(waba(from:))
    }

    static func find(
        _ connection: PostgresConnection,
        businessAccountID: String,
        tenantID: UUID
    ) throws -> Waba? {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(columns) FROM wabas WHERE business_account_id = $1 AND tenant_id = $2
                    """,
                binds: [businessAccountID, tenantID]
            )
        )
        return try rows.first.map(waba(from:))
    }

    /// Finds a WABA by WabaRouter's id; used where the tenant was already checked.
    static func find(_ connection: PostgresConnection, id: UUID) throws -> Waba? {
        let rows = try connection.query(
            PostgresQuery(unsafeSQL: "SELECT \(columns) FROM wabas WHERE id = $1", binds: [id])
        )
        return try rows.first.map(waba(from:))
    }

    /// Returns until when dispatch of the WABA is paused, if it is.
    static func dispatchPause(_ connection: PostgresConnection, id: UUID) throws -> Date? {
        let rows = try connection.query(
            "SELECT dispatch_paused_until FROM wabas WHERE id = \(id)"
        )
        return try rows.first?.decode("dispatch_paused_until", as: Date?.self)
    }

    private static func waba(from row: PostgresRow) throws -> Waba {
        Waba(
            id: try row.decode("id"),
            tenantID: try row.decode("tenant_id"),
            name: try row.decode("name"),
            businessAccountID: try row.decode("business_account_id"),
            baseURL: try row.decode("base_url"),
            apiKeySealed: try row.decode("api_key_sealed"),
            apiKeyLast4: try row.decode("api_key_last4"),
            portfolioID: try row.decode("portfolio_id"),
            createdAt: try row.decode("created_at")
        )
    }
}
