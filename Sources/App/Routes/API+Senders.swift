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

        try await retryingNumberConflicts(context) { () async throws(any Error) in
            do {
                try await pool.withConnection { connection in
                    try SenderStore.insert(connection, sender)
                }
            } catch let error as PostgresError where error.isUniqueViolation {
                guard error.constraint == Self.numberInUseIndex else {
                    throw Problem(
                        .conflict,
                        status: 409,
                        title: "Sender already registered",
                        detail: "The number \(number.digits) is already a sender of this WABA. "
                            + "Change it with PATCH /wabas/{id}/senders/{senderId}.",
                        field: "number"
                    )
                }
                throw try await numberConflict(tenant: tenant, number: number.digits, "number")
            }
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

        let updated = try await retryingNumberConflicts(context) { () async throws(any Error) in
            do {
                return try await pool.withTransaction { connection in
                    guard
                        var sender = try SenderStore.find(
                            connection,
                            id: senderID,
                            wabaID: waba.id
                        )
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
                guard let number else { throw error }
                throw try await numberConflict(tenant: tenant, number: number, "status")
            }
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

    /// The partial unique index that keeps a number in one of a tenant's WABAs.
    private static let numberInUseIndex = "senders_number_in_use"

    /// Thrown when the sender that held a number was DISABLED between the failed write and the
    /// lookup of its WABA, so the write may succeed if it runs again.
    private struct NumberReleased: Error {}

    /// Returns the 409 for a write that broke the one-WABA-per-number rule, naming the WABA
    /// that uses `number`, or throws ``NumberReleased`` when no WABA uses it any more.
    private func numberConflict(
        tenant: Tenant,
        number: String,
        _ field: String
    ) async throws -> Problem {
        let holder = try await pool.withConnection { connection in
            try SenderStore.wabaUsingNumber(connection, tenantID: tenant.id, number: number)
        }
        guard let holder else { throw NumberReleased() }
        return Self.numberInUse(number, holder: holder, field: field)
    }

    /// Runs `write` again, three times in all, while it collides with a sender that another
    /// request disables at the same moment, and throws a 409 when the number stays contended.
    private func retryingNumberConflicts<Result: Sendable>(
        _ context: RequestContext,
        _ write: () async throws(any Error) -> Result
    ) async throws -> Result {
        for attempt in 1..<3 {
            do {
                return try await write()
            } catch is NumberReleased {
                context.logger.info(
                    "sender write repeated because the number's holder was disabled meanwhile",
                    ["attempt": String(attempt)]
                )
            }
        }
        do {
            return try await write()
        } catch is NumberReleased {
            throw Problem(
                .conflict,
                status: 409,
                title: "Number in use",
                detail: "Another request is changing the senders that use this number. Repeat "
                    + "the request.",
                field: nil
            )
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
