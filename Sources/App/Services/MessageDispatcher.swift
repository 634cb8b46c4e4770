import Crypto
import Domain
import Foundation
import Infobip
import Logging
import Postgres

/// Sends one template message: checks it against the template, stores it, picks a sender,
/// calls Infobip, and falls back to the next sender when the sender was at fault.
struct MessageDispatcher: Sendable {
    let pool: PostgresPool
    let infobip: InfobipClient
    let secretKey: SecretKey
    /// The `notifyUrl` given to Infobip with every message.
    let notifyURL: String
    /// Extra requests after a transient failure, on the same sender with the same id.
    var transientRetries = 2
    /// Maximum wait between transient retries, whatever `Retry-After` requests.
    var maximumRetryDelay: Duration = .seconds(5)

    /// Sends `request` for `tenant` and returns the stored message.
    ///
    /// - Throws: a ``Problem`` for a request that cannot be sent (unknown WABA or template,
    ///   wrong parameters, no active sender). Nothing is stored and Infobip is not called then.
    func send(_ request: SendRequest, tenant: Tenant, logger: Logger) async throws -> MessageView {
        let prepared = try await pool.withTransaction { connection in
            try Self.prepare(connection, request: request, tenant: tenant)
        }
        var logger = logger.with("messageId", prepared.message.id.uuidString.lowercased())
        logger = logger.with("wabaId", prepared.waba.id.uuidString.lowercased())
        logger.info("message queued", ["template": request.templateName])

        let apiKey = try secretKey.open(prepared.waba.apiKeySealed)
        let credentials = InfobipCredentials(baseURL: prepared.waba.url, apiKey: apiKey)
        let content = TemplateContent(request: request, language: prepared.template.language)
        await deliver(prepared.message, content: content, credentials: credentials, logger: logger)

        return try await MessageView.load(pool: pool, id: prepared.message.id, tenantID: tenant.id)
    }

    private struct Prepared: Sendable {
        var waba: Waba
        var template: Template
        var message: Message
    }

    /// Validates the request against the stored WABA and template, and stores the message.
    private static func prepare(
        _ connection: PostgresConnection,
        request: SendRequest,
        tenant: Tenant
    ) throws -> Prepared {
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
        let structure = TemplateStructure(
            components: template.components,
            category: template.category
        )
        do {
            try request.params.validate(against: structure)
        } catch {
            throw Problem(
                .parameterMismatch,
                status: 422,
                title: "Parameters do not match the template",
                detail: error.detail,
                field: error.field
            )
        }
        guard try SenderStore.hasActive(connection, wabaID: waba.id, excluding: []) else {
            throw Problem(
                .noActiveSender,
                status: 409,
                title: "No active sender",
                detail: "The WABA '\(waba.id.uuidString.lowercased())' has no ACTIVE sender. Add "
                    + "one with POST /wabas/{id}/senders or set a sender's status to ACTIVE.",
                field: "wabaId"
            )
        }
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
        try MessageStore.insert(connection, message)
        return Prepared(waba: waba, template: template, message: message)
    }
}
