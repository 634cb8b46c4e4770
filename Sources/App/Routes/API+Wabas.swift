import Domain
import Foundation
import HTTPServer
import Postgres

extension API {
    func createWaba(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let body = try context.jsonBody()
        try body.rejectUnknownFields(allowed: ["name", "apiKey", "baseUrl", "wabaId"])
        let name = try body.string("name", hint: "Give a name for this WABA, such as Acme Brasil.")
        let apiKey = try body.string(
            "apiKey",
            hint: "Give the Infobip API key of the account that serves this WABA."
        )
        let baseText = try body.string(
            "baseUrl",
            hint: "Give the account's Infobip base URL, such as https://xyz.api.infobip.com."
        )
        let businessAccountID = try body.string(
            "wabaId",
            hint: "Give Meta's id of the WhatsApp Business Account (digits)."
        )
        guard businessAccountID.count <= 64,
            businessAccountID.allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw Problem.invalidField(
                "wabaId",
                "wabaId '\(businessAccountID)' must be Meta's numeric WhatsApp Business Account "
                    + "id, such as 104857362918273."
            )
        }
        let baseURL: InfobipBaseURL
        do {
            baseURL = try InfobipBaseURL(parsing: baseText)
        } catch {
            throw Problem.invalidField("baseUrl", error.description)
        }
        let key = Self.strippingAppPrefix(apiKey)
        let waba = Waba(
            id: UUID(),
            tenantID: tenant.id,
            name: name,
            businessAccountID: businessAccountID,
            baseURL: baseURL.value,
            apiKeySealed: secretKey.seal(key),
            apiKeyLast4: String(key.suffix(4)),
            createdAt: Date()
        )
        do {
            try await pool.withConnection { connection in try WabaStore.insert(connection, waba) }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw Problem(
                .conflict,
                status: 409,
                title: "WABA already registered",
                detail:
                    "A WABA with wabaId '\(businessAccountID)' already exists for this API key. "
                    + "List them with GET /wabas.",
                field: "wabaId"
            )
        }
        context.logger.info("waba created", ["wabaId": waba.id.uuidString.lowercased()])
        var response = JSONResponse.make(status: 201, waba.representation)
        response.headers.add(name: "Location", value: "/wabas/\(waba.id.uuidString.lowercased())")
        return response
    }

    func listWabas(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let wabas = try await pool.withConnection { connection in
            try WabaStore.list(connection, tenantID: tenant.id)
        }
        return JSONResponse.make(["wabas": wabas.map(\.representation)])
    }

    func getWaba(_ context: RequestContext, _ tenant: Tenant) async throws -> HTTPResponse {
        let waba = try await requireWaba(context, tenant)
        return JSONResponse.make(waba.representation)
    }

    /// The WABA named by the `:id` path segment.
    ///
    /// - Throws: a 404 ``Problem`` when the tenant has no such WABA, so another tenant's id
    ///   looks exactly like an id that does not exist.
    func requireWaba(_ context: RequestContext, _ tenant: Tenant) async throws -> Waba {
        let id = try context.uuidParameter("id", resource: "WABA")
        let waba = try await pool.withConnection { connection in
            try WabaStore.find(connection, id: id, tenantID: tenant.id)
        }
        guard let waba else {
            throw Problem.notFound("WABA", id: id.uuidString.lowercased())
        }
        return waba
    }

    /// Infobip's keys are sent as `App <key>`; a key pasted with that prefix keeps one.
    static func strippingAppPrefix(_ key: String) -> String {
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("app ") {
            return String(trimmed.dropFirst(4)).trimmingCharacters(in: .whitespaces)
        }
        return trimmed
    }
}
