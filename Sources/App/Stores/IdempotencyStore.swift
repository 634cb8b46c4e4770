import Foundation
import Postgres

/// A request sent with an `Idempotency-Key` header.
struct IdempotencyKey: Sendable {
    var tenantID: UUID
    /// Method and path, such as `POST /messages/send`; keys are scoped to it.
    var endpoint: String
    var key: String
    /// Digest of the request body's bytes.
    var requestHash: Data
}

/// SQL of idempotency keys. A key is claimed in the same transaction that stores the request's
/// effect, so a concurrent repeat waits on the key's row until the first request commits, and
/// then finds its result.
enum IdempotencyStore {
    enum Claim: Sendable {
        /// The key is new; the caller acts and attaches its result.
        case new
        /// The first request stored its answer.
        case replay(status: Int, body: Data)
        /// The first request stored its message or bulk but not its answer yet.
        case inProgress(messageID: UUID?, bulkID: UUID?)
        /// The key came with another body.
        case mismatch
    }

    static func claim(_ connection: PostgresConnection, _ key: IdempotencyKey) throws -> Claim {
        let inserted = try connection.query(
            """
            INSERT INTO idempotency_keys (tenant_id, endpoint, key, request_hash)
            VALUES (\(key.tenantID), \(key.endpoint), \(key.key), \(key.requestHash))
            ON CONFLICT (tenant_id, endpoint, key) DO NOTHING
            RETURNING key
            """
        )
        guard inserted.isEmpty else { return .new }
        let rows = try connection.query(
            """
            SELECT request_hash, response_status, response_body, message_id, bulk_id
            FROM idempotency_keys
            WHERE tenant_id = \(key.tenantID) AND endpoint = \(key.endpoint) AND key = \(key.key)
            """
        )
        guard let row = rows.first else { return .new }
        guard try row.decode("request_hash", as: Data.self) == key.requestHash else {
            return .mismatch
        }
        if let status = try row.decode("response_status", as: Int?.self),
            let body = try row.decode("response_body", as: Data?.self)
        {
            return .replay(status: status, body: body)
        }
        return .inProgress(
            messageID: try row.decode("message_id", as: UUID?.self),
            bulkID: try row.decode("bulk_id", as: UUID?.self)
        )
    }

    static func attach(
        _ connection: PostgresConnection,
        _ key: IdempotencyKey,
        messageID: UUID? = nil,
        bulkID: UUID? = nil
    ) throws {
        try connection.execute(
            """
            UPDATE idempotency_keys SET message_id = \(messageID), bulk_id = \(bulkID)
            WHERE tenant_id = \(key.tenantID) AND endpoint = \(key.endpoint) AND key = \(key.key)
            """
        )
    }

    static func saveAnswer(
        _ connection: PostgresConnection,
        key: IdempotencyKey,
        status: Int,
        body: Data
    ) throws {
        try connection.execute(
            """
            UPDATE idempotency_keys SET response_status = \(status), response_body = \(body)
            WHERE tenant_id = \(key.tenantID) AND endpoint = \(key.endpoint) AND key = \(key.key)
            """
        )
    }

    /// Deletes keys older than 24 hours, at most `limit` per call, and returns how many.
    static func deleteExpired(_ connection: PostgresConnection, limit: Int) throws -> Int {
        try connection.execute(
            """
            DELETE FROM idempotency_keys WHERE ctid IN (
                SELECT ctid FROM idempotency_keys
                WHERE created_at < now() - interval '24 hours' LIMIT \(limit))
            """
        )
    }
}
