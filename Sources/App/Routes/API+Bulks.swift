import Domain
import Foundation
import HTTPServer
import Logging
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
        if answer.storedMessages >= Self.analyzeThreshold {
            refreshMessageStatistics(after: answer, logger: context.logger)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Location", value: "/bulks/\(answer.bulkID.postgresText)")
        return HTTPResponse(status: answer.status, headers: headers, body: answer.body)
    }

    /// Bulks of at least this many messages refresh the planner's statistics of `messages`.
    static let analyzeThreshold = 10_000

    /// Runs `ANALYZE messages` in the background once a large bulk is stored.
    ///
    /// The claim and maintenance queries pick among partial indexes on `queue_state`. With
    /// statistics from a moment when nothing was queued, PostgreSQL judged every such index
    /// empty and scanned all of a new bulk's rows on each claim. On a database containing one
    /// sent bulk of 100,000, that measured about 69 ms a claim and cut throughput to a third.
    /// Autovacuum would analyze only after a tenth of the table changed, which on a large
    /// table a bulk never reaches. ANALYZE reads a fixed sample, so its cost does not grow
    /// with the table.
    private func refreshMessageStatistics(after answer: BulkAcceptor.Answer, logger: Logger) {
        let pool = self.pool
        let bulkID = answer.bulkID.postgresText
        Task {
            do {
                try await pool.withConnection { connection in
                    try connection.execute("ANALYZE messages")
                }
                logger.debug("message statistics refreshed", ["bulkId": bulkID])
            } catch {
                logger.warning(
                    "refreshing message statistics failed",
                    ["bulkId": bulkID, "error": String(describing: error)]
                )
            }
        }
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
