import Domain
import Foundation
import Postgres

/// The API representation of a message, with its attempts and status history.
struct MessageView: Sendable, Encodable {
    struct SenderSummary: Sendable, Encodable {
        var id: UUID
        var number: String
    }

    var id: UUID
    var wabaId: UUID
    var to: String
    var templateName: String
    var language: String
    var params: JSONValue
    var callbackData: String?
    var status: MessageStatus
    /// The sender of the attempt Infobip accepted, once one did.
    var sender: SenderSummary?
    var failureReason: String?
    var attempts: [MessageAttempt]
    var history: [MessageEvent]
    var createdAt: Date
    var updatedAt: Date

    /// Reads a message of `tenantID` with its attempts and history.
    ///
    /// - Throws: a 404 ``Problem`` when the tenant has no such message.
    static func load(pool: PostgresPool, id: UUID, tenantID: UUID) async throws -> MessageView {
        try await pool.withConnection { connection in
            try load(connection, id: id, tenantID: tenantID)
        }
    }

    /// Reads a message of `tenantID` in the caller's connection.
    static func load(_ connection: PostgresConnection, id: UUID, tenantID: UUID) throws
        -> MessageView
    {
        guard let message = try MessageStore.find(connection, id: id, tenantID: tenantID) else {
            throw Problem.notFound("message", id: id.uuidString.lowercased())
        }
        let attempts = try MessageStore.attempts(connection, messageID: id)
        // The message's creation is its QUEUED entry; the rows hold what followed.
        let queued = MessageEvent(
            status: MessageStatus.queued.rawValue,
            applied: true,
            source: "api",
            occurredAt: message.createdAt,
            recordedAt: message.createdAt,
            detail: nil
        )
        let history = [queued] + (try MessageStore.events(connection, messageID: id))
        let sender = message.senderID.flatMap { senderID in
            attempts.last { $0.senderId == senderID }
                .map { SenderSummary(id: senderID, number: $0.senderNumber) }
        }
        return MessageView(
            id: message.id,
            wabaId: message.wabaID,
            to: message.recipient,
            templateName: message.templateName,
            language: message.language,
            params: message.params,
            callbackData: message.callbackData,
            status: message.status,
            sender: sender,
            failureReason: message.failureReason,
            attempts: attempts,
            history: history,
            createdAt: message.createdAt,
            updatedAt: message.updatedAt
        )
    }

    /// Returns the parameters as stored and shown, in the shape the send request used.
    static func paramsJSON(_ params: TemplateParameters) -> JSONValue {
        var object: [String: JSONValue] = ["body": .array(params.body.map(JSONValue.string))]
        if let header = params.header {
            object["header"] = headerJSON(header)
        }
        if !params.buttons.isEmpty {
            object["buttons"] = .array(
                params.buttons.map {
                    .object(["type": .string($0.type.rawValue), "parameter": .string($0.parameter)])
                }
            )
        }
        return .object(object)
    }

    private static func headerJSON(_ header: HeaderParameter) -> JSONValue {
        var object: [String: JSONValue] = ["type": .string(header.type)]
        switch header {
        case .text(let placeholder):
            object["placeholder"] = .string(placeholder)
        case .image(let url), .video(let url):
            object["mediaUrl"] = .string(url)
        case .document(let url, let filename):
            object["mediaUrl"] = .string(url)
            object["filename"] = .string(filename)
        case .location(let latitude, let longitude):
            object["latitude"] = .number(latitude)
            object["longitude"] = .number(longitude)
        }
        return .object(object)
    }
}
