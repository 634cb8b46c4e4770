import Domain
import Foundation
import Postgres

/// The answer to `POST /messages/send`: 201 once Infobip accepted or finally refused the
/// message, 202 while it is queued or its outcome is unknown.
struct SendAnswer: Sendable {
    var status: Int
    var body: Data
    var messageID: UUID

    init(status: Int, body: Data, messageID: UUID) {
        self.status = status
        self.body = body
        self.messageID = messageID
    }

    init(view: MessageView) {
        let pending: Set<MessageStatus> = [.queued, .sending]
        self.status = pending.contains(view.status) ? 202 : 201
        self.body = (try? JSONResponse.encoder.encode(view)) ?? Data()
        self.messageID = view.id
    }
}

extension MessageDispatcher {
    enum Prepared: Sendable {
        case stored(Message)
        /// A repeat of an idempotent request: its first answer, or the message as it is now.
        case replayed(SendAnswer)
    }

    /// Validates the request against the stored WABA and template, and stores the message
    /// with its idempotency key, in the caller's transaction.
    ///
    /// The message becomes claimable by dispatchers only after `inlineWait`, the time its
    /// sender has to send it inline, so dispatchers take it over only when that instance stops.
    static func prepare(
        _ connection: PostgresConnection,
        request: SendRequest,
        tenant: Tenant,
        idempotency: IdempotencyKey?,
        inlineWait: Duration
    ) throws -> Prepared {
        if let idempotency {
            switch try IdempotencyStore.claim(connection, idempotency) {
            case .new:
                break
            case .replay(let status, let body):
                let id = (try? JSONValue.parse(body)).flatMap(Self.messageID) ?? UUID()
                return .replayed(SendAnswer(status: status, body: body, messageID: id))
            case .inProgress(let messageID?, _):
                let view = try MessageView.load(connection, id: messageID, tenantID: tenant.id)
                return .replayed(SendAnswer(view: view))
            case .inProgress(nil, _):
                break
            case .mismatch:
                throw IdempotencyKey.mismatch
            }
        }

        let waba = try WabaResolver.resolve(
            connection,
            reference: request.wabaReference,
            tenant: tenant
        )
        let template = try TemplateResolver.resolve(
            connection,
            wabaID: waba.id,
            name: request.templateName,
            language: request.language
        )
        do {
            try request.params.validate(
                against: TemplateStructure(
                    components: template.components,
                    category: template.category
                )
            )
        } catch {
            throw Problem(
                .parameterMismatch,
                status: 422,
                title: "Parameters do not match the template",
                detail: error.detail,
                field: error.field
            )
        }
        try SenderStore.requireActive(connection, wabaID: waba.id)

        let now = Date()
        let message = Message(
            id: UUID(),
            tenantID: tenant.id,
            wabaID: waba.id,
            templateID: template.id,
            templateName: template.name,
            language: template.language,
            recipient: request.to.digits,
            params: MessageView.paramsJSON(request.params),
            callbackData: request.callbackData,
            status: .queued,
            senderID: nil,
            failureReason: nil,
            currentAttemptID: nil,
            createdAt: now,
            updatedAt: now
        )
        try MessageStore.insert(
            connection,
            message,
            readyAt: now.addingTimeInterval(inlineWait.seconds)
        )
        if let idempotency {
            try IdempotencyStore.attach(connection, idempotency, messageID: message.id)
        }
        return .stored(message)
    }

    private static func messageID(_ body: JSONValue) -> UUID? {
        guard case .object(let fields) = body, case .string(let id)? = fields["id"] else {
            return nil
        }
        return UUID(uuidString: id)
    }
}
