import Foundation
import Postgres

/// SQL for tenants. Every function runs on the connection it is given, inside the caller's
/// transaction when there is one.
enum TenantStore {
    static func insert(_ connection: PostgresConnection, name: String, apiKeyHash: Data) throws
        -> Tenant
    {
        let id = UUID()
        let rows = try connection.query(
            """
            INSERT INTO tenants (id, name, api_key_hash) VALUES (\(id), \(name), \(apiKeyHash))
            RETURNING id, name, created_at
            """
        )
        return try tenant(from: rows[0])
    }

    static func find(_ connection: PostgresConnection, apiKeyHash: Data) throws -> Tenant? {
        let rows = try connection.query(
            "SELECT id, name, created_at FROM tenants WHERE api_key_hash = \(apiKeyHash)"
        )
        return try rows.first.map(tenant(from:))
    }

    static func count(_ connection: PostgresConnection) throws -> Int {
        let rows = try connection.query("SELECT count(*) AS n FROM tenants")
        return try rows[0].decode("n", as: Int.self)
    }

    private static func tenant(from row: PostgresRow) throws -> Tenant {
        Tenant(
            id: try row.decode("id"),
            name: try row.decode("name"),
            createdAt: try row.decode("created_at")
        )
    }
}
