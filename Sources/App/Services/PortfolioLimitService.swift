import Crypto
import Domain
import Foundation
import Infobip
import Logging
import Postgres

/// Reads a business portfolio's messaging limit from Infobip's sender quality endpoint.
///
/// Infobip reports Meta's tier per sender as `currentLimit`. Since October 2025 Meta sets one
/// limit for the whole portfolio, so every sender should report the same tier. When they
/// differ, the highest is taken, because Meta gave each portfolio the highest limit any of its
/// numbers had.
struct PortfolioLimitService: Sendable {
    let pool: PostgresPool
    let infobip: InfobipClient
    let secretKey: SecretKey

    /// One sender's values as Infobip reported them, returned to the caller.
    struct SenderReading: Sendable, Encodable {
        var wabaId: UUID
        var sender: String
        var currentLimit: String?
        var qualityRating: String?
        var status: String?
    }

    /// Asks Infobip for the limit of every non-disabled sender of the portfolio's WABAs and
    /// stores the highest usable tier. Returns the readings.
    ///
    /// - Throws: a 409 ``Problem`` when the portfolio has no sender to ask or no sender reports
    ///   a usable limit (`LIMIT_NA`), and a 502 when Infobip fails.
    func refresh(portfolioID: UUID, tenant: Tenant, logger: Logger) async throws
        -> [SenderReading]
    {
        let (senders, wabas) = try await pool.withConnection { connection in
            guard try PortfolioStore.find(connection, id: portfolioID, tenantID: tenant.id) != nil
            else {
                throw Problem.notFound("portfolio", id: portfolioID.postgresText)
            }
            let senders = try PortfolioStore.senderNumbers(connection, portfolioID: portfolioID)
            var wabas: [UUID: Waba] = [:]
            for wabaID in Set(senders.map(\.wabaID)) {
                wabas[wabaID] = try WabaStore.find(connection, id: wabaID)
            }
            return (senders, wabas)
        }
        guard !senders.isEmpty else {
            throw Problem(
                .conflict,
                status: 409,
                title: "No sender to ask",
                detail: "The portfolio's WABAs have no sender, and Infobip reports the messaging "
                    + "limit per sender. Add a sender, or set messagingLimit with PATCH.",
                field: "messagingLimit"
            )
        }

        var readings: [SenderReading] = []
        var tiers: [MessagingTier] = []
        for (wabaID, waba) in wabas.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            let numbers = senders.filter { $0.wabaID == wabaID }.map(\.number)
            let credentials = InfobipCredentials(
                baseURL: waba.url,
                apiKey: try secretKey.open(waba.apiKeySealed)
            )
            switch await infobip.senderQuality(numbers, credentials: credentials) {
            case .success(let qualities):
                for number in numbers {
                    let quality = qualities.first { $0.sender == number }
                    readings.append(
                        SenderReading(
                            wabaId: wabaID,
                            sender: number,
                            currentLimit: quality?.currentLimit,
                            qualityRating: quality?.qualityRating,
                            status: quality?.status
                        )
                    )
                    if let limit = quality.flatMap({ MessagingLimit(currentLimit: $0.currentLimit) }
                    ) {
                        tiers.append(MessagingTier(limit))
                    }
                }
            case .failure(let failure):
                logger.warning(
                    "reading the messaging limit from Infobip failed",
                    ["wabaId": wabaID.postgresText, "failure": String(describing: failure)]
                )
                throw TemplateService.problem(for: failure, action: "report sender quality")
            }
        }

        guard let tier = tiers.max(by: { $0.rank < $1.rank }) else {
            throw Problem(
                .conflict,
                status: 409,
                title: "No usable messaging limit",
                detail: "Infobip reported no usable currentLimit (LIMIT_NA or none) for the "
                    + "portfolio's senders. Set messagingLimit with PATCH /portfolios/{id}.",
                field: "messagingLimit",
                extensions: [
                    "senders": .array(
                        readings.map { .string("\($0.sender): \($0.currentLimit ?? "absent")") }
                    )
                ]
            )
        }
        try await pool.withTransaction { connection in
            try PortfolioStore.setTier(connection, id: portfolioID, tier: tier, source: .infobip)
            try PortfolioStore.releaseHeldMessages(connection, portfolioID: portfolioID)
        }
        logger.info(
            "messaging limit read from Infobip",
            ["portfolioId": portfolioID.postgresText, "messagingLimit": tier.rawValue]
        )
        return readings
    }
}

extension MessagingTier {
    /// The tier of a limit Infobip reported. A number that is no tier of Meta's counts as the
    /// highest tier it reaches, so the stored limit never exceeds what Infobip reported.
    init(_ limit: MessagingLimit) {
        switch limit {
        case .unlimited:
            self = .unlimited
        case .uniqueRecipientsPer24Hours(let count):
            self =
                MessagingTier.allCases
                .filter { ($0.uniqueRecipients ?? .max) <= count }
                .max { $0.rank < $1.rank } ?? .tier250
        }
    }

    /// Order from the lowest tier to unlimited.
    var rank: Int {
        MessagingTier.allCases.firstIndex(of: self) ?? 0
    }
}
