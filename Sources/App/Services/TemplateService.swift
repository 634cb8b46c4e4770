import Crypto
import Foundation
import Infobip
import Logging
import Postgres

/// Creates templates through Infobip and pulls Infobip's list into the database.
///
/// Infobip addresses templates through a sender number, but they belong to the WABA. So any
/// ACTIVE sender of the WABA serves, and the stored template has no sender.
struct TemplateService: Sendable {
    let pool: PostgresPool
    let infobip: InfobipClient
    let secretKey: SecretKey

    /// Submits a template to Infobip and stores Infobip's response.
    func create(
        wabaID: UUID,
        tenant: Tenant,
        request: TemplateCreateRequest,
        logger: Logger
    ) async throws -> Template {
        let (waba, sender) = try await wabaAndSender(wabaID: wabaID, tenant: tenant)
        let credentials = try credentials(for: waba)
        let answer = await infobip.createTemplate(
            sender: sender.number,
            body: request.infobipBody(),
            credentials: credentials
        )
        switch answer {
        case .success(let created):
            logger.info(
                "template created at Infobip",
                ["template": created.name, "language": created.language, "status": created.status]
            )
            return try await pool.withTransaction { connection in
                try TemplateStore.upsert(
                    connection,
                    wabaID: waba.id,
                    record: TemplateRecord(created)
                )
            }
        case .failure(let failure):
            logger.info(
                "template creation failed at Infobip",
                ["failure": String(describing: failure)]
            )
            throw Self.problem(for: failure, action: "create the template")
        }
    }

    /// Pulls every template Infobip lists for the WABA and stores each one.
    func sync(wabaID: UUID, tenant: Tenant, logger: Logger) async throws -> [Template] {
        let (waba, sender) = try await wabaAndSender(wabaID: wabaID, tenant: tenant)
        let credentials = try credentials(for: waba)
        switch await infobip.listTemplates(sender: sender.number, credentials: credentials) {
        case .success(let templates):
            let records = templates.map(TemplateRecord.init)
            for record in records where record.containsNULCharacter {
                let replaced = record.replacingNULCharacters()
                logger.warning(
                    "template from Infobip contains NUL characters; stored with U+FFFD instead",
                    ["template": replaced.name, "language": replaced.language]
                )
            }
            let stored = try await pool.withTransaction { connection in
                for record in records {
                    try TemplateStore.upsert(connection, wabaID: waba.id, record: record)
                }
                return try TemplateStore.list(connection, wabaID: waba.id)
            }
            logger.info("templates synced from Infobip", ["count": String(templates.count)])
            return stored
        case .failure(let failure):
            logger.info("template sync failed at Infobip", ["failure": String(describing: failure)])
            throw Self.problem(for: failure, action: "list the templates")
        }
    }

    private func wabaAndSender(wabaID: UUID, tenant: Tenant) async throws -> (Waba, Sender) {
        try await pool.withConnection { connection in
            guard let waba = try WabaStore.find(connection, id: wabaID, tenantID: tenant.id) else {
                throw Problem.notFound("WABA", id: wabaID.uuidString.lowercased())
            }
            let senders = try SenderStore.list(connection, wabaID: waba.id)
            guard let sender = senders.first(where: { $0.status == .active }) else {
                throw Problem(
                    .noActiveSender,
                    status: 409,
                    title: "No active sender",
                    detail: "Infobip reaches templates through a sender number, and this WABA "
                        + "has no ACTIVE sender. Add one with POST /wabas/{id}/senders first."
                )
            }
            return (waba, sender)
        }
    }

    private func credentials(for waba: Waba) throws -> InfobipCredentials {
        InfobipCredentials(baseURL: waba.url, apiKey: try secretKey.open(waba.apiKeySealed))
    }

    /// Turns an Infobip failure into the problem returned to our caller.
    static func problem(for failure: InfobipFailure, action: String) -> Problem {
        switch failure {
        case .http(let status, let error, _) where status == 400:
            var extensions: [String: JSONValue] = [:]
            if let errors = error?.validationErrors, !errors.isEmpty {
                extensions["infobipValidationErrors"] = .object(
                    errors.mapValues { .array($0.map(JSONValue.string)) }
                )
            }
            return Problem(
                .infobipRejected,
                status: 422,
                title: "Infobip rejected the request",
                detail: "Infobip refused to \(action): \(error?.text ?? "Bad request"). Fix the "
                    + "fields it lists and retry.",
                extensions: extensions
            )
        case .http(let status, _, _) where status == 401 || status == 403:
            return Problem(
                .infobipRejected,
                status: 502,
                title: "Infobip rejected the API key",
                detail: "Infobip answered HTTP \(status) when asked to \(action). Check the WABA's "
                    + "apiKey and its scopes (whatsapp:manage) in the Infobip portal."
            )
        case .http(let status, let error, _):
            return Problem(
                .infobipUnavailable,
                status: 502,
                title: "Infobip failed",
                detail: "Infobip answered HTTP \(status)\(error.map { " (\($0.code))" } ?? "") "
                    + "when asked to \(action). Retry later."
            )
        case .timedOut, .notSent, .invalidResponse:
            return Problem(
                .infobipUnavailable,
                status: 502,
                title: "Infobip unreachable",
                detail: "Infobip could not be reached to \(action) (\(failure)). Check the WABA's "
                    + "baseUrl and retry later."
            )
        }
    }
}

extension TemplateRecord {
    init(_ template: InfobipTemplate) {
        self.init(
            infobipID: template.id,
            name: template.name,
            language: template.language,
            category: template.category,
            status: template.status,
            quality: template.quality,
            structure: (try? JSONValue.parse(template.structure)) ?? .object([:]),
            infobipResponse: nil
        )
    }
}
