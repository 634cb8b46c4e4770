import Foundation
import Postgres

/// Finds the WABA a request names, within the caller's tenant.
enum WabaResolver {
    /// Accepts WabaRouter's id (a UUID) or Meta's WABA id given at creation; Meta's ids are
    /// numeric, so the two never collide.
    ///
    /// - Throws: a 404 ``Problem`` of type `waba-not-found` when the tenant has no such WABA,
    ///   including when another tenant has one with that id.
    static func resolve(
        _ connection: PostgresConnection,
        reference: String,
        tenant: Tenant,
        field: String = "wabaId"
    ) throws -> Waba {
        let found: Waba?
        if let id = UUID(uuidString: reference) {
            found = try WabaStore.find(connection, id: id, tenantID: tenant.id)
        } else {
            found = try WabaStore.find(
                connection,
                businessAccountID: reference,
                tenantID: tenant.id
            )
        }
        guard let found else {
            throw Problem(
                .wabaNotFound,
                status: 404,
                title: "WABA not found",
                detail: "No WABA with id '\(reference)' exists for this API key. List yours with "
                    + "GET /wabas.",
                field: field
            )
        }
        return found
    }
}

extension Waba {
    /// The base URL as a `URL`; stored values were normalised when the WABA was created.
    var url: URL {
        guard let url = URL(string: baseURL) else {
            preconditionFailure("stored base URL '\(baseURL)' of WABA \(id) does not parse")
        }
        return url
    }
}
