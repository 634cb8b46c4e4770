import Foundation
import HTTPServer

extension API {
    /// Sends one template message. Returns 201 once Infobip accepted or finally refused it, and
    /// 202 while its outcome is unknown (Infobip did not respond) and its report is awaited.
    func sendMessage(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let request = try SendRequest(try context.jsonBody())
        let view = try await dispatcher.send(request, tenant: tenant, logger: context.logger)
        var response = JSONResponse.make(status: view.status == .queued ? 202 : 201, view)
        response.headers.add(
            name: "Location",
            value: "/messages/\(view.id.uuidString.lowercased())"
        )
        return response
    }

    func getMessage(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let id = try context.uuidParameter("id", resource: "message")
        return JSONResponse.make(
            try await MessageView.load(pool: pool, id: id, tenantID: tenant.id)
        )
    }
}
