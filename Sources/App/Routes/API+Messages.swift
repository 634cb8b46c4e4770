import Crypto
import Foundation
import HTTPServer

extension API {
    /// Sends one template message. Returns 201 once Infobip accepted or finally refused it, and
    /// 202 while it is queued or its outcome is unknown (Infobip did not respond) and its
    /// report is awaited. A repeat with the same `Idempotency-Key` and body returns the first
    /// answer and sends nothing.
    func sendMessage(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let request = try SendRequest(try context.jsonBody())
        let idempotency = try IdempotencyKey(
            request: context.request,
            tenantID: tenant.id,
            endpoint: "POST /messages/send",
            bodyHash: ContentDigest.of(context.request.body)
        )
        let answer = try await dispatcher.send(
            request,
            tenant: tenant,
            idempotency: idempotency,
            logger: context.logger
        )
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(
            name: "Location",
            value: "/messages/\(answer.messageID.uuidString.lowercased())"
        )
        return HTTPResponse(status: answer.status, headers: headers, body: answer.body)
    }

    func getMessage(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let id = try context.uuidParameter("id", resource: "message")
        return JSONResponse.make(
            try await MessageView.load(pool: pool, id: id, tenantID: tenant.id)
        )
    }
}
