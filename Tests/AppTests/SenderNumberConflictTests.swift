import Foundation
import TestSupport
import Testing

/// A number is an ACTIVE or PAUSED sender of at most one of a tenant's WABAs, and another
/// tenant may still register it.
@Suite struct SenderNumberConflictTests {
    static let number = "447700900123"

    /// Registers a second WABA for the scenario's tenant and returns its id.
    static func addWaba(_ scenario: Scenario, client: HTTPTestClient? = nil) async throws -> String
    {
        let response = try await (client ?? scenario.client).send(
            "POST",
            "/wabas",
            json: [
                "name": "Second WABA", "apiKey": "second-infobip-key-1234",
                "baseUrl": scenario.simulator.baseURL,
                "wabaId": String(Int.random(in: 100_000_000...999_999_999)),
            ]
        )
        #expect(response.status == 201)
        return try #require(response.json[string: "id"])
    }

    static func addSender(
        _ client: HTTPTestClient,
        wabaID: String,
        number: String = number
    ) async throws -> TestResponse {
        try await client.send("POST", "/wabas/\(wabaID)/senders", json: ["number": number])
    }

    static func numberInUse(holder: String, field: String, instance: String) -> [String: Any] {
        [
            "type": "urn:wabarouter:problem:conflict", "title": "Number in use",
            "detail": "The number \(number) is already an ACTIVE or PAUSED sender of WABA "
                + "\(holder). A WhatsApp number belongs to one WABA: set that sender DISABLED "
                + "first.",
            "field": field, "instance": instance,
        ]
    }

    @Test func sameWabaTwiceConflicts() async throws {
        try await withScenario { scenario in
            let first = try await Self.addSender(scenario.client, wabaID: scenario.wabaID)
            let second = try await Self.addSender(scenario.client, wabaID: scenario.wabaID)

            #expect(first.status == 201)
            expectProblem(
                second,
                status: 409,
                [
                    "type": "urn:wabarouter:problem:conflict",
                    "title": "Sender already registered",
                    "detail": "The number \(Self.number) is already a sender of this WABA. "
                        + "Change it with PATCH /wabas/{id}/senders/{senderId}.",
                    "field": "number", "instance": "/wabas/\(scenario.wabaID)/senders",
                ]
            )
        }
    }

    @Test func otherWabaOfTenantConflicts() async throws {
        try await withScenario { scenario in
            let otherWaba = try await Self.addWaba(scenario)
            _ = try await Self.addSender(scenario.client, wabaID: scenario.wabaID)

            let response = try await Self.addSender(scenario.client, wabaID: otherWaba)

            expectProblem(
                response,
                status: 409,
                Self.numberInUse(
                    holder: scenario.wabaID,
                    field: "number",
                    instance: "/wabas/\(otherWaba)/senders"
                )
            )
            let count = try await scenario.integer(
                "SELECT count(*)::int AS value FROM senders WHERE number = \(Self.number)"
            )
            #expect(count == 1)
        }
    }

    @Test func disabledNumberMovesToOtherWaba() async throws {
        try await withScenario { scenario in
            let otherWaba = try await Self.addWaba(scenario)
            let first = try await Self.addSender(scenario.client, wabaID: scenario.wabaID)
            let firstID = try #require(first.json[string: "id"])
            let disabled = try await scenario.client.send(
                "PATCH",
                "/wabas/\(scenario.wabaID)/senders/\(firstID)",
                json: ["status": "DISABLED"]
            )
            #expect(disabled.status == 200)

            let moved = try await Self.addSender(scenario.client, wabaID: otherWaba)
            #expect(moved.status == 201)

            let instance = "/wabas/\(scenario.wabaID)/senders/\(firstID)"
            let reactivated = try await scenario.client.send(
                "PATCH",
                instance,
                json: ["status": "ACTIVE"]
            )
            expectProblem(
                reactivated,
                status: 409,
                Self.numberInUse(holder: otherWaba, field: "status", instance: instance)
            )
            let list = try await scenario.client.send(
                "GET",
                "/wabas/\(scenario.wabaID)/senders",
                body: nil
            )
            #expect(list.json[objects: "senders"].map { $0[string: "status"] } == ["DISABLED"])
        }
    }

    @Test func otherTenantMayUseNumber() async throws {
        try await withScenario { scenario in
            _ = try await Self.addSender(scenario.client, wabaID: scenario.wabaID)
            let otherTenant = try await scenario.server.makeTenantClient(name: "other")
            let otherWaba = try await Self.addWaba(scenario, client: otherTenant)

            let response = try await Self.addSender(otherTenant, wabaID: otherWaba)

            #expect(response.status == 201)
            #expect(response.json[string: "number"] == Self.number)
        }
    }

    /// One request disables the number's sender in one WABA while another sets the number's
    /// DISABLED sender in a second WABA ACTIVE. Every response is 200 or 409, never a 500, and
    /// the number never has two live senders.
    @Test func concurrentSwapNeverFails() async throws {
        try await withScenario { scenario in
            let otherWaba = try await Self.addWaba(scenario)
            let first = try await Self.addSender(scenario.client, wabaID: scenario.wabaID)
            let firstPath =
                "/wabas/\(scenario.wabaID)/senders/"
                + (try #require(first.json[string: "id"]))
            let second = try await scenario.client.send(
                "POST",
                "/wabas/\(otherWaba)/senders",
                json: ["number": Self.number, "status": "DISABLED"]
            )
            let secondPath =
                "/wabas/\(otherWaba)/senders/"
                + (try #require(second.json[string: "id"]))
            var statuses: Set<Int> = []
            for round in 0..<40 {
                let (active, disabled) =
                    round.isMultiple(of: 2) ? (firstPath, secondPath) : (secondPath, firstPath)
                async let disabling = scenario.client.send(
                    "PATCH",
                    active,
                    json: ["status": "DISABLED"]
                )
                async let activating = scenario.client.send(
                    "PATCH",
                    disabled,
                    json: ["status": "ACTIVE"]
                )
                let answers = try await [disabling, activating]
                statuses.formUnion(answers.map(\.status))
                // Put the pair back in the state the next round expects.
                _ = try await scenario.client.send("PATCH", active, json: ["status": "DISABLED"])
                let restored = try await scenario.client.send(
                    "PATCH",
                    disabled,
                    json: ["status": "ACTIVE"]
                )
                #expect(restored.status == 200)
                let live = try await scenario.integer(
                    """
                    SELECT count(*)::int AS value FROM senders
                    WHERE number = \(Self.number) AND status <> 'DISABLED'
                    """
                )
                #expect(live <= 1)
            }
            #expect(statuses.isSubset(of: [200, 409]), "statuses \(statuses.sorted())")
        }
    }
}
