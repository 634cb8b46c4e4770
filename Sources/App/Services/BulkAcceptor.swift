import Crypto
import Domain
import Foundation
import HTTPServer
import Logging
import Postgres

/// Accepts `POST /messages/bulk`: validates every item on its own, stores the good ones as
/// QUEUED messages of a new bulk, and reports the rejected ones by index.
///
/// The body is read twice from its spool file, never held whole: once for the members other
/// than `messages`, which may come in any order, and once item by item while the items are
/// inserted in chunks. Everything happens in one transaction, so a bulk is stored whole or
/// not at all, and dispatchers see it only once it is complete.
struct BulkAcceptor: Sendable {
    let pool: PostgresPool

    /// Messages inserted per statement.
    static let chunkSize = 5_000

    /// The answer to a bulk request, stored with its idempotency key.
    struct Answer: Sendable {
        var status: Int
        var body: Data
        var bulkID: UUID
        /// Messages this request stored: 0 when it repeated an earlier request.
        var storedMessages = 0
    }

    /// One rejected item of the answer.
    struct Rejection: Sendable, Encodable {
        var index: Int
        var to: String?
        var field: String?
        var reason: String
    }

    func accept(
        _ request: HTTPRequest,
        tenant: Tenant,
        idempotencyKey: String?,
        logger: Logger
    ) async throws -> Answer {
        let body = RequestBody(request)
        return try await pool.withTransaction { connection in
            try Self.accept(
                connection,
                body: body,
                tenant: tenant,
                idempotencyKey: idempotencyKey,
                logger: logger
            )
        }
    }

    private static func accept(
        _ connection: PostgresConnection,
        body: RequestBody,
        tenant: Tenant,
        idempotencyKey: String?,
        logger: Logger
    ) throws -> Answer {
        let now = Date()
        let (topLevel, digest) = try readTopLevel(body)
        if let key = idempotencyKey {
            let idempotency = IdempotencyKey(
                tenantID: tenant.id,
                endpoint: "POST /messages/bulk",
                key: key,
                requestHash: digest
            )
            switch try IdempotencyStore.claim(connection, idempotency) {
            case .new:
                let header = try topLevel.validated(now: now)
                let answer = try store(connection, body: body, header: header, tenant, now, logger)
                try IdempotencyStore.attach(connection, idempotency, bulkID: answer.bulkID)
                try IdempotencyStore.saveAnswer(
                    connection,
                    key: idempotency,
                    status: answer.status,
                    body: answer.body
                )
                return answer
            case .replay(let status, let stored):
                logger.info("idempotent repeat answered from the first request")
                let id = Self.bulkID(in: stored) ?? UUID()
                return Answer(status: status, body: stored, bulkID: id)
            case .inProgress:
                // The answer is stored in the transaction that stores the bulk, so a key
                // without one belongs to a request that never finished.
                throw Problem(
                    .conflict,
                    status: 409,
                    title: "Request in progress",
                    detail: "A bulk with this Idempotency-Key is still being stored. Retry in a "
                        + "few seconds.",
                    field: "Idempotency-Key"
                )
            case .mismatch:
                throw IdempotencyKey.mismatch
            }
        }
        let header = try topLevel.validated(now: now)
        return try store(connection, body: body, header: header, tenant, now, logger)
    }

    /// Validates the bulk against its WABA and template, and stores it with its items.
    private static func store(
        _ connection: PostgresConnection,
        body: RequestBody,
        header: BulkRequest,
        _ tenant: Tenant,
        _ now: Date,
        _ logger: Logger
    ) throws -> Answer {
        let waba = try WabaResolver.resolve(
            connection,
            reference: header.wabaReference,
            tenant: tenant
        )
        let template = try TemplateResolver.resolve(
            connection,
            wabaID: waba.id,
            name: header.templateName,
            language: header.language
        )
        try SenderStore.requireActive(connection, wabaID: waba.id)

        var bulk = BulkStore.Bulk(
            id: UUID(),
            tenantID: tenant.id,
            wabaID: waba.id,
            templateName: template.name,
            language: template.language,
            requested: 0,
            accepted: 0,
            duplicates: 0,
            rejected: 0,
            sendAt: header.sendAt,
            expiresAt: header.expiresAt,
            cancelledAt: nil,
            createdAt: now
        )
        try BulkStore.insert(connection, bulk, templateID: template.id)
        let delayed = header.sendAt.map { $0 > now } ?? false
        let shared = BulkStore.MessageTemplate(
            tenantID: tenant.id,
            wabaID: waba.id,
            templateID: template.id,
            templateName: template.name,
            language: template.language,
            bulkID: bulk.id,
            readyAt: delayed ? header.sendAt ?? now : now,
            expiresAt: header.expiresAt,
            waitReason: delayed ? .sendAt : nil,
            createdAt: now
        )
        let structure = TemplateStructure(
            components: template.components,
            category: template.category
        )
        let rejected = try storeItems(
            connection,
            body: body,
            structure: structure,
            shared: shared,
            bulk: &bulk
        )
        try BulkStore.setCounts(connection, bulk)
        try connection.execute("SELECT notify_queue(\(waba.id))")
        logger.info(
            "bulk accepted",
            [
                "bulkId": bulk.id.postgresText, "wabaId": waba.id.postgresText,
                "requested": String(bulk.requested), "accepted": String(bulk.accepted),
                "duplicates": String(bulk.duplicates), "rejected": String(bulk.rejected),
            ]
        )
        let answer = AcceptedBulk(
            bulkId: bulk.id,
            requested: bulk.requested,
            accepted: bulk.accepted,
            duplicates: bulk.duplicates,
            rejected: rejected,
            sendAt: header.sendAt,
            expiresAt: header.expiresAt
        )
        let encoded = (try? JSONResponse.encoder.encode(answer)) ?? Data()
        return Answer(
            status: 202,
            body: encoded,
            bulkID: bulk.id,
            storedMessages: bulk.accepted
        )
    }

    private struct AcceptedBulk: Encodable {
        var bulkId: UUID
        var requested: Int
        var accepted: Int
        var duplicates: Int
        var rejected: [Rejection]
        var sendAt: Date?
        var expiresAt: Date?
    }

    /// Reads `messages` item by item, inserting the valid ones in chunks; returns the
    /// rejected items and fills in the bulk's counts.
    private static func storeItems(
        _ connection: PostgresConnection,
        body: RequestBody,
        structure: TemplateStructure,
        shared: BulkStore.MessageTemplate,
        bulk: inout BulkStore.Bulk
    ) throws -> [Rejection] {
        // Reading and checking items runs on a thread of its own, a chunk ahead of the inserts,
        // so the instance's work overlaps the database's instead of alternating with it.
        let channel = BoundedChannel<ItemChunk>(capacity: 2)
        let producerDone = DispatchSemaphore(value: 0)
        let producer = Thread {
            defer { producerDone.signal() }
            do {
                try readItems(try body.chunks(), structure: structure, into: channel)
                channel.finish()
            } catch {
                channel.finish(throwing: error)
            }
        }
        producer.name = "bulk-items"
        producer.start()
        defer {
            channel.cancel()
            producerDone.wait()
        }

        var rejected: [Rejection] = []
        while let chunk = try channel.receive() {
            rejected += chunk.rejected
            bulk.duplicates += chunk.duplicates
            bulk.requested = chunk.itemsRead
            guard chunk.rows.count > 0 else { continue }
            let stored = try BulkStore.insertMessages(connection, chunk.rows, shared: shared)
            bulk.accepted += stored.count
            bulk.duplicates += chunk.rows.count - stored.count
        }
        bulk.rejected = rejected.count
        return rejected
    }

    /// Items read and checked since the previous chunk.
    private struct ItemChunk {
        var rows = BulkStore.MessageRows()
        var rejected: [Rejection] = []
        /// Recipients repeated inside this chunk; repeats across chunks are found on insert.
        var duplicates = 0
        /// Items read so far, this chunk's included.
        var itemsRead = 0
    }

    /// Reads `messages` item by item, checks each, and sends chunks of rows to insert.
    private static func readItems(
        _ reader: @escaping () throws -> Data?,
        structure: TemplateStructure,
        into channel: BoundedChannel<ItemChunk>
    ) throws {
        var parser = JSONStreamParser(read: reader)
        var chunk = ItemChunk()
        var inChunk: Set<String> = []
        var index = -1
        do {
            try parser.beginObject()
            while let member = try parser.nextMember() {
                guard member == "messages" else {
                    try parser.skipValue()
                    continue
                }
                try parser.beginArray()
                while try parser.nextElement() {
                    index += 1
                    guard index < BulkRequest.maximumMessages else { throw tooManyItems }
                    guard let value = try readItem(&parser, index: index, into: &chunk) else {
                        continue
                    }
                    let item: BulkItem
                    do {
                        item = try BulkItem(value, index: index, structure: structure)
                    } catch {
                        chunk.rejected.append(rejection(error, value: value, index: index))
                        continue
                    }
                    guard inChunk.insert(item.to.digits).inserted else {
                        chunk.duplicates += 1
                        continue
                    }
                    chunk.rows.ids.append(UUID())
                    chunk.rows.recipients.append(item.to.digits)
                    chunk.rows.params.append(MessageView.paramsJSON(item.params).compactText)
                    chunk.rows.callbacks.append(item.callbackData ?? "")
                    chunk.rows.hasCallback.append(item.callbackData != nil)
                    if chunk.rows.count >= chunkSize {
                        chunk.itemsRead = index + 1
                        guard channel.send(chunk) else { return }
                        chunk = ItemChunk()
                        inChunk.removeAll(keepingCapacity: true)
                    }
                }
            }
            try parser.finish()
        } catch let error as JSONStreamError {
            throw malformed(error)
        }
        chunk.itemsRead = index + 1
        channel.send(chunk)
    }

    /// Reads item `index`, or rejects it and returns `nil` when an object in it repeats a member
    /// name.
    private static func readItem(
        _ parser: inout JSONStreamParser,
        index: Int,
        into chunk: inout ItemChunk
    ) throws -> JSONValue? {
        // A do-catch here crashes the Swift 6.3 compiler's ownership checks, and Result does not.
        let result = Result { () throws(JSONStreamError) in try parser.readValue() }
        switch result {
        case .success(let value):
            return value
        case .failure(let error) where error.cause == .duplicateMember:
            let problem = Problem.duplicateMember(error.path ?? "messages[\(index)]")
            chunk.rejected.append(rejection(problem, value: .null, index: index))
            return nil
        case .failure(let error):
            throw error
        }
    }

    private static func rejection(_ problem: Problem, value: JSONValue, index: Int) -> Rejection {
        var to: String?
        if case .object(let members) = value, case .string(let text)? = members["to"] {
            to = text
        }
        return Rejection(index: index, to: to, field: problem.field, reason: problem.detail)
    }

    /// The top-level members of a bulk body other than `messages`, read but not validated.
    private struct TopLevel {
        var members: [String: JSONValue] = [:]
        var hasMessages = false

        /// Validates the members. A repeat of an idempotent request skips this, because it
        /// returns the first answer even once its `sendAt` or `expiresAt` lie in the past.
        func validated(now: Date) throws -> BulkRequest {
            let header = try BulkRequest(JSONObjectReader(.object(members)), now: now)
            guard hasMessages else {
                throw Problem.missingField(
                    "messages",
                    hint: "Give the recipients as an array of {to, params, callbackData} objects."
                )
            }
            return header
        }
    }

    /// Reads the members other than `messages`, counts the items of `messages`, and returns
    /// the digest of the whole body.
    ///
    /// - Throws: a 400 ``Problem`` for a body that is not a JSON object, for `messages` that
    ///   is not an array, and for more than ``BulkRequest/maximumMessages`` items, before any
    ///   item is stored.
    private static func readTopLevel(_ body: RequestBody) throws -> (TopLevel, Data) {
        var digest = ContentDigest()
        let chunks = try body.chunks()
        var parser = JSONStreamParser {
            let chunk = try chunks()
            if let chunk {
                digest.update(chunk)
            }
            return chunk
        }
        var topLevel = TopLevel()
        do {
            guard try parser.peekKind() == .object else {
                throw Problem(
                    .malformedJSON,
                    status: 400,
                    title: "Malformed JSON",
                    detail: "The request body must be a JSON object with wabaId, templateName "
                        + "and messages."
                )
            }
            try parser.beginObject()
            while let member = try parser.nextMember() {
                if member == "messages" {
                    topLevel.hasMessages = true
                    try skipItems(&parser)
                } else {
                    topLevel.members[member] = try parser.readValue()
                }
            }
            try parser.finish()
        } catch let error as JSONStreamError {
            throw malformed(error)
        }
        return (topLevel, digest.finish())
    }

    /// Skips the `messages` array, counting its items: there must be 1 to the maximum.
    private static func skipItems(_ parser: inout JSONStreamParser) throws {
        guard try parser.peekKind() == .array else {
            throw Problem.invalidField(
                "messages",
                "messages must be an array of {to, params, callbackData} objects."
            )
        }
        try parser.beginArray()
        var count = 0
        while try parser.nextElement() {
            count += 1
            guard count <= BulkRequest.maximumMessages else {
                throw tooManyItems
            }
            let skipped = Result { () throws(JSONStreamError) in try parser.skipValue() }
            // The second pass rejects an item with a repeated member name alone.
            if case .failure(let error) = skipped, error.cause != .duplicateMember {
                throw error
            }
        }
        guard count > 0 else {
            throw Problem.invalidField(
                "messages",
                "messages is empty. Give at least one {to, params, callbackData} object."
            )
        }
    }

    private static let tooManyItems = Problem.invalidField(
        "messages",
        "messages has more than \(BulkRequest.maximumMessages) items. Split the recipients over "
            + "several bulks."
    )

    private static func malformed(_ error: JSONStreamError) -> any Error {
        if error.cause == .duplicateMember, let path = error.path {
            return Problem.duplicateMember(path)
        }
        guard error.cause == .invalidJSON else { return error }
        return Problem.malformedJSON(error)
    }

    private static func bulkID(in body: Data) -> UUID? {
        guard case .object(let members)? = try? JSONValue.parse(body),
            case .string(let id)? = members["bulkId"]
        else { return nil }
        return UUID(uuidString: id)
    }
}

/// A request body read in chunks, whether the server spooled it to a file or kept it.
private struct RequestBody: Sendable {
    let spooled: SpooledBody?
    let data: Data

    init(_ request: HTTPRequest) {
        spooled = request.spooledBody
        data = request.body
    }

    /// Returns a function that yields the body's chunks in order, then nil.
    func chunks() throws -> () throws -> Data? {
        if let spooled {
            var reader = try spooled.makeReader()
            return { try reader.next() }
        }
        var remaining: Data? = data.isEmpty ? nil : data
        return {
            defer { remaining = nil }
            return remaining
        }
    }
}
