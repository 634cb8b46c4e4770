import Crypto
import Foundation
import HTTPServer
import Infobip
import Logging
import Postgres

/// The REST API: routes, authentication and the translation of errors into problem documents.
struct API: Sendable {
    let pool: PostgresPool
    let secretKey: SecretKey
    let dispatcher: MessageDispatcher
    let templates: TemplateService
    let reports: ReportProcessor
    let bulks: BulkAcceptor
    let portfolioLimits: PortfolioLimitService
    let logger: Logger

    private var authenticator: Authenticator { Authenticator(pool: pool) }

    typealias PublicHandler = @Sendable (API, RequestContext) async throws -> HTTPResponse
    typealias TenantHandler = @Sendable (API, RequestContext, Tenant) async throws -> HTTPResponse

    /// Routes anyone may call: health checks and Infobip's webhook.
    static let publicRoutes: Router<PublicHandler> = {
        var router = Router<PublicHandler>()
        router.add("GET", "/healthz") { _, _ in JSONResponse.make(["status": "ok"]) }
        router.add("GET", "/readyz") { api, context in try await api.readiness(context) }
        router.add("POST", "/webhooks/infobip") { api, context in
            try await api.receiveWebhook(context)
        }
        return router
    }()

    /// Routes that need a tenant's bearer key; each handler gets the tenant.
    static let tenantRoutes: Router<TenantHandler> = {
        var router = Router<TenantHandler>()
        router.add("POST", "/wabas") { try await $0.createWaba($1, $2) }
        router.add("GET", "/wabas") { try await $0.listWabas($1, $2) }
        router.add("GET", "/wabas/:id") { try await $0.getWaba($1, $2) }
        router.add("POST", "/wabas/:id/senders") { try await $0.createSender($1, $2) }
        router.add("GET", "/wabas/:id/senders") { try await $0.listSenders($1, $2) }
        router.add("PATCH", "/wabas/:id/senders/:senderId") { try await $0.updateSender($1, $2) }
        router.add("POST", "/wabas/:id/templates") { try await $0.createTemplate($1, $2) }
        router.add("GET", "/wabas/:id/templates") { try await $0.listTemplates($1, $2) }
        router.add("POST", "/wabas/:id/templates/sync") { try await $0.syncTemplates($1, $2) }
        router.add("POST", "/messages/send") { try await $0.sendMessage($1, $2) }
        router.add("POST", "/messages/bulk") { try await $0.createBulk($1, $2) }
        router.add("GET", "/bulks/:id") { try await $0.getBulk($1, $2) }
        router.add("GET", "/bulks/:id/messages") { try await $0.listBulkMessages($1, $2) }
        router.add("POST", "/bulks/:id/cancel") { try await $0.cancelBulk($1, $2) }
        router.add("GET", "/messages/:id") { try await $0.getMessage($1, $2) }
        router.add("POST", "/portfolios") { try await $0.createPortfolio($1, $2) }
        router.add("GET", "/portfolios") { try await $0.listPortfolios($1, $2) }
        router.add("GET", "/portfolios/:id") { try await $0.getPortfolio($1, $2) }
        router.add("PATCH", "/portfolios/:id") { try await $0.updatePortfolio($1, $2) }
        router.add("POST", "/portfolios/:id/messaging-limit/refresh") {
            try await $0.refreshMessagingLimit($1, $2)
        }
        return router
    }()

    /// Handles one request. It never throws, since every failure becomes a problem document.
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let requestID = Self.requestID(request)
        let logger = self.logger.with("requestId", requestID)
        var context = RequestContext(
            request: request,
            parameters: [:],
            requestID: requestID,
            logger: logger
        )
        var response: HTTPResponse
        do {
            response = try await route(&context)
        } catch let problem as Problem {
            response = problem.response(instance: request.path)
        } catch let error as PostgresError where error.code == .connectionFailed {
            logger.error("database unavailable", ["error": error.description])
            response = Problem(
                .databaseUnavailable,
                status: 503,
                title: "Database unavailable",
                detail: "The database cannot be reached. Retry later."
            ).response(instance: request.path)
        } catch {
            logger.error(
                "request failed",
                ["error": String(describing: error), "path": request.path]
            )
            response = Problem.internalError.response(instance: request.path)
        }
        response.headers.replaceOrAdd(name: "X-Request-Id", value: requestID)
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "request finished",
            [
                "method": request.method,
                "path": request.path,
                "status": String(response.status),
                "durationMilliseconds": String(elapsed.milliseconds),
            ]
        )
        return response
    }

    private func route(_ context: inout RequestContext) async throws -> HTTPResponse {
        let request = context.request
        switch Self.publicRoutes.match(method: request.method, path: request.path) {
        case .found(let handler, let parameters):
            context.parameters = parameters
            return try await handler(self, context)
        case .methodNotAllowed(let allowed):
            throw Self.methodNotAllowed(request.method, allowed: allowed)
        case .notFound:
            break
        }
        switch Self.tenantRoutes.match(method: request.method, path: request.path) {
        case .found(let handler, let parameters):
            context.parameters = parameters
            let tenant = try await authenticator.tenant(for: request)
            context.logger = context.logger.with("tenantId", tenant.id.uuidString.lowercased())
            return try await handler(self, context, tenant)
        case .methodNotAllowed(let allowed):
            throw Self.methodNotAllowed(request.method, allowed: allowed)
        case .notFound:
            throw Problem(
                .notFound,
                status: 404,
                title: "Not found",
                detail: "No endpoint \(request.method) \(request.path) exists. See the README for "
                    + "the API."
            )
        }
    }

    private static func methodNotAllowed(_ method: String, allowed: [String]) -> Problem {
        var problem = Problem(
            .methodNotAllowed,
            status: 405,
            title: "Method not allowed",
            detail: "\(method) is not supported here; use \(allowed.joined(separator: " or "))."
        )
        problem.headerFields["Allow"] = allowed.joined(separator: ", ")
        return problem
    }

    /// Returns the caller's `X-Request-Id` when it is short and printable, else a new UUID.
    private static func requestID(_ request: HTTPRequest) -> String {
        if let given = request.headers["X-Request-Id"], (1...128).contains(given.count),
            given.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline })
        {
            return given
        }
        return UUID().uuidString.lowercased()
    }

    private func readiness(_ context: RequestContext) async throws -> HTTPResponse {
        do {
            try await pool.withConnection { connection in
                _ = try connection.query("SELECT 1 AS one")
            }
            return JSONResponse.make(["status": "ready"])
        } catch {
            context.logger.warning("readiness check failed", ["error": String(describing: error)])
            return Problem(
                .databaseUnavailable,
                status: 503,
                title: "Database unavailable",
                detail: "The database cannot be reached."
            ).response(instance: context.request.path)
        }
    }
}
