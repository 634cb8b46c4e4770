import Domain
import Foundation
import HTTPServer
import Postgres

extension API {
    func createSender(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        let body = try context.jsonBody()
        try body.rejectUnknownFields(allowed: ["number", "status", "quality"])
        let numberText = try body.string(
            "number",
            hint:
                "Give the sender's WhatsApp number in international format, such as +5511987654321."
        )
        let number: PhoneNumber
        do {
            number = try PhoneNumber(parsing: numberText)
        } catch {
            throw Problem.invalidField("number", error.description)
        }
        let status = try Self.senderStatus(body) ?? .active
        let quality = try Self.quality(body) ?? .high
        let now = Date()
        let sender = Sender(
            id: UUID(),
            wabaId: waba.id,
            number: number.digits,
            status: status,
            quality: quality,
            score: quality.initialScore,
            lastUsedAt: nil,
            createdAt: now,
            updatedAt: now
        )
        do {
            try await pool.withConnection { connection in try SenderStore.insert(connection, sender)
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw Problem(
                .conflict,
                status: 409,
                title: "Sender already registered",
                detail: "The number \(number.digits) is already a sender of this WABA. Change it "
                    + "with PATCH /wabas/{id}/senders/{senderId}.",
                field: "number"
            )
        }
        context.logger.info(
            "sender created",
            [
                "senderId": sender.id.uuidString.lowercased(),
                "wabaId": waba.id.uuidString.lowercased(),
            ]
        )
        var response = JSONResponse.make(status: 201, sender)
        let location =
            "/wabas/\(waba.id.uuidString.lowercased())/senders/"
            + sender.id.uuidString.lowercased()
        response.headers.add(name: "Location", value: location)
        return response
    }

    func listSenders(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        let senders = try await pool.withConnection { connection in
            try SenderStore.list(connection, wabaID: waba.id)
        }
        return JSONResponse.make(["senders": senders])
    }

    /// Changes a sender's status or quality. Pausing or disabling a sender takes it out of
    /// selection for new messages at once; messages it already sent keep receiving reports.
    func updateSender(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        let senderID = try context.uuidParameter("senderId", resource: "sender")
        let body = try context.jsonBody()
        try body.rejectUnknownFields(allowed: ["status", "quality"])
        let status = try Self.senderStatus(body)
        let quality = try Self.quality(body)
        guard status != nil || quality != nil else {
            throw Problem.missingField(
                "status",
                hint: "Give status (ACTIVE, PAUSED or DISABLED), quality (HIGH, MEDIUM or LOW), "
                    + "or both."
            )
        }
        let updated = try await pool.withTransaction { connection in
            guard var sender = try SenderStore.find(connection, id: senderID, wabaID: waba.id)
            else {
                throw Problem.notFound("sender", id: senderID.uuidString.lowercased())
            }
            if let status {
                sender.status = status
            }
            if let quality, quality != sender.quality {
                sender.quality = quality
                sender.score = quality.initialScore
            }
            return try SenderStore.update(connection, sender)
        }
        context.logger.info(
            "sender updated",
            [
                "senderId": updated.id.uuidString.lowercased(),
                "status": updated.status.rawValue,
                "quality": updated.quality.rawValue,
            ]
        )
        return JSONResponse.make(updated)
    }

    private static func senderStatus(_ body: JSONObjectReader) throws(Problem) -> SenderStatus? {
        guard let text = try body.optionalString("status") else { return nil }
        guard let status = SenderStatus(rawValue: text) else {
            throw Problem.invalidField(
                "status",
                "status is '\(text)'; it must be ACTIVE, PAUSED or DISABLED."
            )
        }
        return status
    }

    private static func quality(_ body: JSONObjectReader) throws(Problem) -> Quality? {
        guard let text = try body.optionalString("quality") else { return nil }
        guard let quality = Quality(rawValue: text) else {
            throw Problem.invalidField(
                "quality",
                "quality is '\(text)'; it must be HIGH, MEDIUM or LOW."
            )
        }
        return quality
    }
}
