import Domain
import Foundation
import Postgres

/// SQL for business portfolios. Every lookup is scoped to a tenant.
enum PortfolioStore {
    private static let columns = """
        id, tenant_id, name, messaging_limit_tier, messaging_limit_source,
        messaging_limit_checked_at, created_at
        """

    static func insert(_ connection: PostgresConnection, _ portfolio: Portfolio) throws {
        try connection.execute(
            """
            INSERT INTO portfolios (id, tenant_id, name, messaging_limit_tier, messaging_limit,
                                    messaging_limit_source, messaging_limit_checked_at,
                                    created_at)
            VALUES (\(portfolio.id), \(portfolio.tenantID), \(portfolio.name),
                    \(portfolio.tier.rawValue), \(portfolio.tier.uniqueRecipients),
                    \(portfolio.limitSource.rawValue), \(portfolio.limitCheckedAt),
                    \(portfolio.createdAt))
            """
        )
    }

    static func list(_ connection: PostgresConnection, tenantID: UUID) throws -> [Portfolio] {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(columns) FROM portfolios WHERE tenant_id = $1
                    ORDER BY created_at, id
                    """,
                binds: [tenantID]
            )
        )
        return try rows.map(portfolio(from:))
    }

    static func find(_ connection: PostgresConnection, id: UUID, tenantID: UUID) throws
        -> Portfolio?
    {
        let rows = try connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(columns) FROM portfolios WHERE id = $1 AND tenant_id = $2",
                binds: [id, tenantID]
            )
        )
        return try rows.first.map(portfolio(from:))
    }

    /// Sets the tier and the unique-recipient limit that follows from it.
    static func setTier(
        _ connection: PostgresConnection,
        id: UUID,
        tier: MessagingTier,
        source: Portfolio.LimitSource
    ) throws {
        try connection.execute(
            """
            UPDATE portfolios SET messaging_limit_tier = \(tier.rawValue),
                messaging_limit = \(tier.uniqueRecipients), messaging_limit_source = \(source.rawValue),
                messaging_limit_checked_at = CASE WHEN \(source.rawValue) = 'infobip' THEN now()
                    ELSE messaging_limit_checked_at END,
                updated_at = now()
            WHERE id = \(id)
            """
        )
    }

    static func rename(_ connection: PostgresConnection, id: UUID, name: String) throws {
        try connection.execute(
            "UPDATE portfolios SET name = \(name), updated_at = now() WHERE id = \(id)"
        )
    }

    /// Returns the sender numbers of every WABA of the portfolio, with each WABA's id.
    static func senderNumbers(_ connection: PostgresConnection, portfolioID: UUID) throws
        -> [(wabaID: UUID, number: String)]
    {
        let rows = try connection.query(
            """
            SELECT s.waba_id, s.number FROM senders s JOIN wabas w ON w.id = s.waba_id
            WHERE w.portfolio_id = \(portfolioID) AND s.status <> 'DISABLED'
            ORDER BY s.waba_id, s.number
            """
        )
        return try rows.map { (try $0.decode("waba_id"), try $0.decode("number")) }
    }

    private static func portfolio(from row: PostgresRow) throws -> Portfolio {
        let tier: String = try row.decode("messaging_limit_tier")
        let source: String = try row.decode("messaging_limit_source")
        guard let tier = MessagingTier(rawValue: tier),
            let source = Portfolio.LimitSource(rawValue: source)
        else {
            preconditionFailure("portfolio row has tier '\(tier)' and source '\(source)'")
        }
        return Portfolio(
            id: try row.decode("id"),
            tenantID: try row.decode("tenant_id"),
            name: try row.decode("name"),
            tier: tier,
            limitSource: source,
            limitCheckedAt: try row.decode("messaging_limit_checked_at", as: Date?.self),
            createdAt: try row.decode("created_at")
        )
    }
}

extension PortfolioStore {
    /// Makes messages held back by the portfolio's limit due now and wakes the dispatchers,
    /// after a change of the limit.
    static func releaseHeldMessages(_ connection: PostgresConnection, portfolioID: UUID) throws {
        try connection.execute(
            """
            UPDATE messages m SET next_attempt_at = now(), wait_reason = NULL, updated_at = now()
            FROM wabas w
            WHERE w.portfolio_id = \(portfolioID) AND m.waba_id = w.id AND m.queue_state = 'queued'
              AND m.wait_reason = 'portfolio-limit'
            """
        )
        try connection.execute(
            """
            SELECT notify_queue(id) FROM wabas WHERE portfolio_id = \(portfolioID)
            """
        )
    }
}
