import Foundation
import HTTPServer
import Postgres

extension API {
    func createWaba(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let request = try WabaCreateRequest(try context.jsonBody())
        let sealed = secretKey.seal(request.apiKey)
        let waba: Waba
        do {
            waba = try await pool.withTransaction { connection in
                let portfolioID = try portfolioForNewWaba(
                    connection,
                    requested: request.portfolioID,
                    wabaName: request.name,
                    tenant: tenant
                )
                let waba = Waba(
                    id: UUID(),
                    tenantID: tenant.id,
                    name: request.name,
                    businessAccountID: request.businessAccountID,
                    baseURL: request.baseURL.value,
                    apiKeySealed: sealed,
                    // A short key's last four characters would give away too much of it.
                    apiKeyLast4: request.apiKey.count >= 12 ? String(request.apiKey.suffix(4)) : "",
                    portfolioID: portfolioID,
                    createdAt: Date()
                )
                try WabaStore.insert(connection, waba)
                return waba
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw Problem(
                .conflict,
                status: 409,
                title: "WABA already registered",
                detail: "A WABA with wabaId '\(request.businessAccountID)' already exists for "
                    + "this API key. List them with GET /wabas.",
                field: "wabaId"
            )
        }
        context.logger.info("waba created", ["wabaId": waba.id.uuidString.lowercased()])
        var response = JSONResponse.make(status: 201, waba.representation)
        response.headers.add(name: "Location", value: "/wabas/\(waba.id.uuidString.lowercased())")
        return response
    }

    func listWabas(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let wabas = try await pool.withConnection { connection in
            try WabaStore.list(connection, tenantID: tenant.id)
        }
        return JSONResponse.make(["wabas": wabas.map(\.representation)])
    }

    func getWaba(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        return JSONResponse.make(waba.representation)
    }

    /// Loads the WABA named by the `:id` path segment.
    ///
    /// - Throws: a 404 ``Problem`` when the tenant has no such WABA, so another tenant's id
    ///   looks exactly like an id that does not exist.
    func requireWaba(_ context: RequestContext, _ tenant: Tenant) async throws -> Waba {
        let id = try context.uuidParameter("id", resource: "WABA")
        let waba = try await pool.withConnection { connection in
            try WabaStore.find(connection, id: id, tenantID: tenant.id)
        }
        guard let waba else {
            throw Problem.notFound("WABA", id: id.uuidString.lowercased())
        }
        return waba
    }
}
