import Foundation
import HTTPServer

extension API {
    func createTemplate(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        let request = try TemplateCreateRequest(try context.jsonBody())
        let template = try await templates.create(
            wabaID: waba.id,
            tenant: tenant,
            request: request,
            logger: context.logger.with("wabaId", waba.id.uuidString.lowercased())
        )
        return JSONResponse.make(status: 201, template)
    }

    func listTemplates(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        let list = try await pool.withConnection { connection in
            try TemplateStore.list(connection, wabaID: waba.id)
        }
        return JSONResponse.make(["templates": list])
    }

    func syncTemplates(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        let list = try await templates.sync(
            wabaID: waba.id,
            tenant: tenant,
            logger: context.logger.with("wabaId", waba.id.uuidString.lowercased())
        )
        return JSONResponse.make(["templates": list])
    }
}
