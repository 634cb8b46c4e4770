import Crypto
import Foundation
import HTTPServer
import Postgres

/// Resolves `Authorization: Bearer <key>` to the tenant that owns the key.
struct Authenticator: Sendable {
    let pool: PostgresPool

    func tenant(for request: HTTPRequest) async throws -> Tenant {
        guard let header = request.headers["Authorization"], header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else {
            throw Self.unauthorized("The request has no Authorization: Bearer header.")
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let hash = APIToken.hash(token)
        let tenant = try await pool.withConnection { connection in
            try TenantStore.find(connection, apiKeyHash: hash)
        }
        guard let tenant else {
            throw Self.unauthorized("The API key is not valid.")
        }
        return tenant
    }

    private static func unauthorized(_ reason: String) -> Problem {
        var problem = Problem(
            .unauthorized,
            status: 401,
            title: "Unauthorized",
            detail: reason + " Send Authorization: Bearer <key> with the key that `make run` "
                + "printed on its first start, or one from `wabarouter tenant create`."
        )
        // RFC 6750 names the scheme a client must use in every 401.
        problem.headerFields["WWW-Authenticate"] = "Bearer"
        return problem
    }
}
