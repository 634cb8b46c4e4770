import Domain
import Foundation
import HTTPServer
import Postgres

extension API {
    /// Largest bulk body accepted, in bytes: 100,000 items of up to about 1 KiB each, with
    /// room to spare. The body is spooled to a file, never held in memory.
    static let maximumBulkBodyBytes = 256 << 20

    /// Accepts a bulk: 202 with its id, the number of messages accepted and each rejected item.
    func createBulk(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        try context.requireJSONContentType()
        let key = try IdempotencyKey(
            request: context.request,
            tenantID: tenant.id,
            endpoint: "POST /messages/bulk",
            bodyHash: Data()
        )?.key
        let answer = try await bulks.accept(
            context.request,
            tenant: tenant,
            idempotencyKey: key,
            logger: context.logger
        )
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Location", value: "/bulks/\(answer.bulkID.postgresText)")
        return HTTPResponse(status: answer.status, headers: headers, body: answer.body)
    }

    func getBulk(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let id = try context.uuidParameter("id", resource: "bulk")
        let view = try await pool.withConnection { connection in
            try BulkView.load(connection, id: id, tenantID: tenant.id)
        }
        return JSONResponse.make(view)
    }

    /// Pages through a bulk's messages in recipient order: `?status=&cursor=&limit=`.
    func listBulkMessages(_ context: RequestContext, _ tenant: Tenant) async throws
        -> HTTPResponse
    {
        let id = try context.uuidParameter("id", resource: "bulk")
        let query = try BulkMessagesQuery(context.request.query)
        let page = try await pool.withConnection { connection in
            guard try BulkStore.find(connection, id: id, tenantID: tenant.id) != nil else {
                throw Problem.notFound("bulk", id: id.postgresText)
            }
            let rows = try BulkStore.page(
                connection,
                bulkID: id,
                status: query.status,
                after: query.cursor ?? "",
                limit: query.limit
            )
            return try BulkMessagesQuery.Page(rows: rows, limit: query.limit)
        }
        return JSONResponse.make(page)
    }

    /// Cancels what is not yet sent: QUEUED messages become CANCELLED. Messages already sent
    /// finish normally, and so does the request of a batch in flight. A message of that batch
    /// that returns to the queue afterwards is cancelled instead of sent again. Cancelling
    /// again changes nothing.
    func cancelBulk(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let id = try context.uuidParameter("id", resource: "bulk")
        let (view, cancelled) = try await pool.withTransaction { connection in
            guard try BulkStore.find(connection, id: id, tenantID: tenant.id) != nil else {
                throw Problem.notFound("bulk", id: id.postgresText)
            }
            let cancelled = try BulkStore.cancel(connection, bulkID: id)
            return (try BulkView.load(connection, id: id, tenantID: tenant.id), cancelled)
        }
        context.logger.info(
            "bulk cancelled",
            ["bulkId": id.postgresText, "messages": String(cancelled)]
        )
        return JSONResponse.make(view)
    }
}
