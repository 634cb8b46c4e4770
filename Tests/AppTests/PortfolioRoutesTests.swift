import Foundation
import TestSupport
import Testing

@Suite struct PortfolioRoutesTests {
    @Test func newWabaGetsOwnPortfolio() async throws {
        try await withScenario { scenario in
            let waba = try await scenario.client.send("GET", "/wabas/\(scenario.wabaID)", body: nil)
            let portfolioID = try #require(waba.json[string: "portfolioId"])
            let portfolio = try await scenario.client.send(
                "GET",
                "/portfolios/\(portfolioID)",
                body: nil
            )
            #expect(portfolio.status == 200)
            #expect(portfolio.json[string: "messagingLimit"] == "TIER_250")
            #expect(portfolio.json["uniqueRecipientsLimit"] as? Int == 250)
            #expect(portfolio.json[string: "messagingLimitSource"] == "default")
            let usage = portfolio.json[object: "usage"]
            #expect(usage["uniqueRecipients"] as? Int == 0)
            #expect(usage["remaining"] as? Int == 250)
        }
    }

    @Test func wabaJoinsNamedPortfolio() async throws {
        try await withScenario { scenario in
            let created = try await scenario.client.send(
                "POST",
                "/portfolios",
                json: ["name": "Acme Group", "messagingLimit": "TIER_10K"]
            )
            #expect(created.status == 201)
            let portfolioID = try #require(created.json[string: "id"])
            #expect(created.header("Location") == "/portfolios/\(portfolioID)")
            #expect(created.json[string: "messagingLimitSource"] == "api")

            let waba = try await scenario.client.send(
                "POST",
                "/wabas",
                json: [
                    "name": "Second", "apiKey": "test-infobip-key-1234",
                    "baseUrl": scenario.simulator.baseURL, "wabaId": "2002002002",
                    "portfolioId": portfolioID,
                ]
            )
            #expect(waba.status == 201)
            #expect(waba.json[string: "portfolioId"] == portfolioID)
            let list = try await scenario.client.send("GET", "/portfolios", body: nil)
            #expect(list.json[objects: "portfolios"].count == 2)
        }
    }

    @Test func limitChangedWithPatch() async throws {
        try await withScenario { scenario in
            let portfolioID = try await portfolio(of: scenario)
            let patched = try await scenario.client.send(
                "PATCH",
                "/portfolios/\(portfolioID)",
                json: ["messagingLimit": "UNLIMITED"]
            )
            #expect(patched.status == 200)
            #expect(patched.json[string: "messagingLimit"] == "UNLIMITED")
            #expect(patched.json["uniqueRecipientsLimit"] == nil)
            #expect(patched.json[string: "messagingLimitSource"] == "api")
        }
    }

    @Test func unknownTierRejected() async throws {
        try await withScenario { scenario in
            let portfolioID = try await portfolio(of: scenario)
            let response = try await scenario.client.send(
                "PATCH",
                "/portfolios/\(portfolioID)",
                json: ["messagingLimit": "TIER_1K"]
            )
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:invalid-field",
                    "title": "Invalid field",
                    "detail": "messagingLimit 'TIER_1K' is not a tier. Use one of TIER_250, "
                        + "TIER_2K, TIER_10K, TIER_100K, UNLIMITED.",
                    "field": "messagingLimit",
                    "instance": "/portfolios/\(portfolioID)",
                ]
            )
        }
    }

    @Test func otherTenantsPortfolioNotFound() async throws {
        try await withScenario { scenario in
            let portfolioID = try await portfolio(of: scenario)
            let stranger = try await scenario.server.makeTenantClient(name: "stranger")
            let response = try await stranger.send("GET", "/portfolios/\(portfolioID)", body: nil)
            expectProblem(
                response,
                status: 404,
                [
                    "type": "urn:wabarouter:problem:not-found",
                    "title": "Not found",
                    "detail": "No portfolio with id '\(portfolioID)' exists for this API key.",
                    "instance": "/portfolios/\(portfolioID)",
                ]
            )
            let joined = try await stranger.send(
                "POST",
                "/wabas",
                json: [
                    "name": "Theirs", "apiKey": "test-infobip-key-1234",
                    "baseUrl": scenario.simulator.baseURL, "wabaId": "3003003003",
                    "portfolioId": portfolioID,
                ]
            )
            #expect(joined.status == 404)
            #expect(joined.json[string: "field"] == "portfolioId")
        }
    }

    /// Infobip reports Meta's tier per sender; the highest usable one becomes the limit.
    @Test func refreshReadsInfobipLimit() async throws {
        try await withScenario { scenario in
            let first = Scenario.randomNumber()
            let second = Scenario.randomNumber()
            try await scenario.addSender(first)
            try await scenario.addSender(second)
            try await scenario.simulator.configureSender(first, ["currentLimit": "LIMIT_10K"])
            try await scenario.simulator.configureSender(second, ["currentLimit": "LIMIT_NA"])
            let portfolioID = try await portfolio(of: scenario)

            let response = try await scenario.client.send(
                "POST",
                "/portfolios/\(portfolioID)/messaging-limit/refresh",
                body: nil
            )
            #expect(response.status == 200)
            let stored = response.json[object: "portfolio"]
            #expect(stored[string: "messagingLimit"] == "TIER_10K")
            #expect(stored[string: "messagingLimitSource"] == "infobip")
            #expect(stored["messagingLimitCheckedAt"] != nil)
            let readings = response.json[objects: "senders"]
            let limits = Dictionary(
                uniqueKeysWithValues: readings.map {
                    ($0[string: "sender"] ?? "", $0[string: "currentLimit"])
                }
            )
            #expect(limits[first] == "LIMIT_10K")
            #expect(limits[second] == "LIMIT_NA")
            let calls = try await scenario.simulator.requests(path: "/whatsapp/1/senders/quality")
            #expect(calls.count == 1)
        }
    }

    @Test func refreshWithoutSendersConflicts() async throws {
        try await withScenario { scenario in
            let portfolioID = try await portfolio(of: scenario)
            let response = try await scenario.client.send(
                "POST",
                "/portfolios/\(portfolioID)/messaging-limit/refresh",
                body: nil
            )
            expectProblem(
                response,
                status: 409,
                [
                    "type": "urn:wabarouter:problem:conflict",
                    "title": "No sender to ask",
                    "detail": "The portfolio's WABAs have no sender, and Infobip reports the "
                        + "messaging limit per sender. Add a sender, or set messagingLimit with "
                        + "PATCH.",
                    "field": "messagingLimit",
                    "instance": "/portfolios/\(portfolioID)/messaging-limit/refresh",
                ]
            )
        }
    }

    private func portfolio(of scenario: Scenario) async throws -> String {
        let waba = try await scenario.client.send("GET", "/wabas/\(scenario.wabaID)", body: nil)
        return try #require(waba.json[string: "portfolioId"])
    }
}
