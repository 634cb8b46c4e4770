import Domain
import Foundation
import HTTPServer
import Postgres

extension API {
    func createSender(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        let request = try SenderRequest.creation(try context.jsonBody())
        guard let number = request.number else {
            preconditionFailure("a creation request always has a number")
        }
        let quality = request.quality ?? .high
        let now = Date()
        let sender = Sender(
            id: UUID(),
            wabaId: waba.id,
            number: number.digits,
            status: request.status ?? .active,
            quality: quality,
            score: quality.initialScore,
            lastUsedAt: nil,
            messagesPerSecond: request.messagesPerSecond ?? SenderRequest.defaultMessagesPerSecond,
            createdAt: now,
            updatedAt: now
        )

        do {
            try await pool.withConnection { connection in try SenderStore.insert(connection, sender)
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            if let holder = try await numberHolder(error, tenant: tenant, number: number.digits),
                holder != waba.id
            {
                throw Self.numberInUse(number.digits, holder: holder, field: "number")
            }
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

    /// Changes a sender's status, quality or rate. Pausing or disabling a sender takes it out
    /// of selection for new messages at once: its queued work goes through the other senders,
    /// and messages it already sent keep receiving reports.
    func updateSender(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        let senderID = try context.uuidParameter("senderId", resource: "sender")
        let request = try SenderRequest.change(try context.jsonBody())

        let updated: Sender
        do {
            updated = try await pool.withTransaction { connection in
                guard var sender = try SenderStore.find(connection, id: senderID, wabaID: waba.id)
                else {
                    throw Problem.notFound("sender", id: senderID.uuidString.lowercased())
                }
                if let status = request.status {
                    sender.status = status
                }
                if let rate = request.messagesPerSecond {
                    sender.messagesPerSecond = rate
                }
                if let quality = request.quality, quality != sender.quality {
                    sender.quality = quality
                    sender.score = quality.initialScore
                }
                return try SenderStore.update(connection, sender)
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            // Only a DISABLED sender set ACTIVE or PAUSED again can collide.
            let number = try await pool.withConnection { connection in
                try SenderStore.find(connection, id: senderID, wabaID: waba.id)?.number
            }
            guard let number,
                let holder = try await numberHolder(error, tenant: tenant, number: number)
            else { throw error }
            throw Self.numberInUse(number, holder: holder, field: "status")
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

    /// Returns the WABA that uses `number` when `error` broke the one-WABA-per-number rule.
    private func numberHolder(
        _ error: PostgresError,
        tenant: Tenant,
        number: String
    ) async throws -> UUID? {
        guard error.constraint == "senders_number_in_use" else { return nil }
        return try await pool.withConnection { connection in
            try SenderStore.wabaUsingNumber(connection, tenantID: tenant.id, number: number)
        }
    }

    private static func numberInUse(_ number: String, holder: UUID, field: String) -> Problem {
        Problem(
            .conflict,
            status: 409,
            title: "Number in use",
            detail: "The number \(number) is already an ACTIVE or PAUSED sender of WABA "
                + "\(holder.uuidString.lowercased()). A WhatsApp number belongs to one WABA: set "
                + "that sender DISABLED first.",
            field: field
        )
    }
}
