import Foundation
import HTTPServer
import Postgres

extension API {
    func createPortfolio(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let request = try PortfolioRequest.creation(try context.jsonBody())
        let portfolio = Portfolio(
            id: UUID(),
            tenantID: tenant.id,
            name: request.name ?? "",
            tier: request.tier ?? .tier250,
            limitSource: request.tier == nil ? .defaultTier : .api,
            limitCheckedAt: nil,
            createdAt: Date()
        )
        try await pool.withConnection { connection in
            try PortfolioStore.insert(connection, portfolio)
        }
        context.logger.info("portfolio created", ["portfolioId": portfolio.id.postgresText])
        var response = JSONResponse.make(status: 201, portfolio.representation())
        response.headers.add(name: "Location", value: "/portfolios/\(portfolio.id.postgresText)")
        return response
    }

    func listPortfolios(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let portfolios = try await pool.withConnection { connection in
            try PortfolioStore.list(connection, tenantID: tenant.id)
        }
        return JSONResponse.make(["portfolios": portfolios.map { $0.representation() }])
    }

    /// Returns the portfolio with the recipients counted in the rolling 24 hours.
    func getPortfolio(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let id = try context.uuidParameter("id", resource: "portfolio")
        let representation = try await pool.withConnection { connection in
            guard let portfolio = try PortfolioStore.find(connection, id: id, tenantID: tenant.id)
            else {
                throw Problem.notFound("portfolio", id: id.postgresText)
            }
            let usage = try ReachStore.usage(connection, portfolioID: id, now: Date())
            let limit = portfolio.tier.uniqueRecipients
            return portfolio.representation(
                usage: Portfolio.Usage(
                    uniqueRecipients: usage.used,
                    remaining: limit.map { max(0, $0 - usage.used) },
                    nextReleaseAt: usage.nextRelease
                )
            )
        }
        return JSONResponse.make(representation)
    }

    /// Renames the portfolio or sets its messaging limit. A raised limit wakes the
    /// dispatchers, since messages held for the limit may go at once.
    func updatePortfolio(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let id = try context.uuidParameter("id", resource: "portfolio")
        let request = try PortfolioRequest.change(try context.jsonBody())
        let portfolio = try await pool.withTransaction { connection in
            guard try PortfolioStore.find(connection, id: id, tenantID: tenant.id) != nil else {
                throw Problem.notFound("portfolio", id: id.postgresText)
            }
            if let name = request.name {
                try PortfolioStore.rename(connection, id: id, name: name)
            }
            if let tier = request.tier {
                try PortfolioStore.setTier(connection, id: id, tier: tier, source: .api)
                try PortfolioStore.releaseHeldMessages(connection, portfolioID: id)
            }
            return try PortfolioStore.find(connection, id: id, tenantID: tenant.id)
        }
        guard let portfolio else { throw Problem.notFound("portfolio", id: id.postgresText) }
        context.logger.info(
            "portfolio updated",
            ["portfolioId": id.postgresText, "messagingLimit": portfolio.tier.rawValue]
        )
        return JSONResponse.make(portfolio.representation())
    }

    /// Reads the messaging limit from Infobip's sender quality endpoint and stores it; returns
    /// the portfolio and what each sender reported.
    func refreshMessagingLimit(_ context: RequestContext, _ tenant: Tenant) async throws
        -> HTTPResponse
    {
        let id = try context.uuidParameter("id", resource: "portfolio")
        let readings = try await portfolioLimits.refresh(
            portfolioID: id,
            tenant: tenant,
            logger: context.logger
        )
        let portfolio = try await pool.withConnection { connection in
            try PortfolioStore.find(connection, id: id, tenantID: tenant.id)
        }
        guard let portfolio else { throw Problem.notFound("portfolio", id: id.postgresText) }
        return JSONResponse.make(
            RefreshAnswer(portfolio: portfolio.representation(), senders: readings)
        )
    }

    private struct RefreshAnswer: Encodable {
        var portfolio: Portfolio.Representation
        var senders: [PortfolioLimitService.SenderReading]
    }

    /// Loads the portfolio a new WABA joins: the one named, or a new one of its own.
    func portfolioForNewWaba(
        _ connection: PostgresConnection,
        requested: UUID?,
        wabaName: String,
        tenant: Tenant
    ) throws -> UUID {
        if let requested {
            guard try PortfolioStore.find(connection, id: requested, tenantID: tenant.id) != nil
            else {
                throw Problem.notFound(
                    "portfolio",
                    id: requested.postgresText,
                    field: "portfolioId"
                )
            }
            return requested
        }
        let portfolio = Portfolio(
            id: UUID(),
            tenantID: tenant.id,
            name: wabaName,
            tier: .tier250,
            limitSource: .defaultTier,
            limitCheckedAt: nil,
            createdAt: Date()
        )
        try PortfolioStore.insert(connection, portfolio)
        return portfolio.id
    }
}
