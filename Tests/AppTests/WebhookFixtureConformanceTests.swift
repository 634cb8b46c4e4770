import Foundation
import Postgres
import TestSupport
import Testing

private let fixturesDirectory = ProcessInfo.processInfo.environment["INFOBIP_FIXTURES_DIR"]

/// Feeds Infobip's published webhook examples to `POST /webhooks/infobip`, read in place from
/// the folder named by `INFOBIP_FIXTURES_DIR`.
@Suite(.enabled(if: fixturesDirectory != nil))
struct WebhookFixtureConformanceTests {
    static let directory = fixturesDirectory

    static func files(prefix: String) -> [String] {
        guard let directory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
    }

    static func load(_ name: String) throws -> [String: Any] {
        let url = URL(fileURLWithPath: try #require(directory)).appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Status each report fixture must produce once its message ids point at real messages.
    static let expectedStatus: [String: String] = [
        "delivery-report-delivered.json": "DELIVERED",
        "delivery-report-delivered-php-sdk.json": "DELIVERED",
        "delivery-report-failed-rcs-reference.json": "FAILED",
        "seen-report.json": "SEEN",
        "seen-report-php-sdk.json": "SEEN",
    ]

    @Test func everyReportFixtureCovered() {
        let files = Self.files(prefix: "delivery-report-") + Self.files(prefix: "seen-report")
        #expect(!files.isEmpty)
        #expect(Set(files) == Set(Self.expectedStatus.keys))
    }

    @Test(arguments: expectedStatus.keys.sorted())
    func reportFixtureMovesMessage(file: String) async throws {
        try await withScenario { scenario in
            let number = Scenario.randomNumber()
            try await scenario.addSender(number)
            try await scenario.simulator.configureSender(
                number,
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addTemplate()
            var payload = try Self.load(file)
            let items = payload["results"] as? [[String: Any]] ?? []
            #expect(!items.isEmpty)

            let unknown = try await scenario.server.anonymousClient()
                .send("POST", "/webhooks/infobip", json: payload)
            #expect(unknown.status == 200)
            #expect(unknown.json["skipped"] as? Int == items.count)

            var ids: [String] = []
            var rewritten: [[String: Any]] = []
            for var item in items {
                let response = try await scenario.send()
                let id = try #require(response.json[string: "id"])
                ids.append(id)
                item["messageId"] = id
                rewritten.append(item)
            }
            payload["results"] = rewritten
            let response = try await scenario.server.anonymousClient()
                .send("POST", "/webhooks/infobip", json: payload)
            #expect(response.status == 200)
            #expect(response.json["applied"] as? Int == items.count)
            for id in ids {
                let message = try await scenario.client.send("GET", "/messages/\(id)", body: nil)
                #expect(message.json[string: "status"] == Self.expectedStatus[file])
            }
        }
    }

    @Test func inboundFixturesAccepted() async throws {
        let files = Self.files(prefix: "inbound-")
        #expect(!files.isEmpty)
        try await withScenario { scenario in
            for file in files {
                let payload = try Self.load(file)
                let response = try await scenario.server.anonymousClient()
                    .send("POST", "/webhooks/infobip", json: payload)
                #expect(response.status == 200, "\(file)")
                let count = (payload["results"] as? [Any])?.count
                #expect(response.json["received"] as? Int == count, "\(file)")
            }
        }
    }

    /// Status events update the stored template with that Infobip id; category and quality
    /// events carry no status and change nothing.
    @Test func templateEventFixturesApplied() async throws {
        let files = Self.files(prefix: "template-update-event-")
        #expect(!files.isEmpty)
        try await withScenario { scenario in
            let wabaID = try #require(UUID(uuidString: scenario.wabaID))
            for file in files {
                let payload = try Self.load(file)
                let name = try #require(payload["messageTemplateName"] as? String)
                let language = try #require(payload["messageTemplateLanguage"] as? String)
                let infobipID = "\(payload["messageTemplateId"] ?? "")"
                try await scenario.server.application.pool.withConnection { connection in
                    try connection.execute(
                        """
                        INSERT INTO templates (id, waba_id, infobip_id, name, language, category,
                                               status, structure)
                        VALUES (\(UUID()), \(wabaID), \(infobipID), \(name), \(language),
                                'MARKETING', 'PENDING', '{}')
                        ON CONFLICT (waba_id, name, language) DO UPDATE SET status = 'PENDING'
                        """
                    )
                }
                let response = try await scenario.server.anonymousClient()
                    .send("POST", "/webhooks/infobip", json: payload)
                #expect(response.status == 200, "\(file)")
                let change = payload["change"] as? [String: Any] ?? [:]
                let stored = try await scenario.server.application.pool.withConnection {
                    connection in
                    try connection.query(
                        """
                        SELECT status FROM templates
                        WHERE waba_id = \(wabaID) AND name = \(name) AND language = \(language)
                        """
                    )[0].decode("status", as: String.self)
                }
                let expected = change["newStatus"] as? String ?? "PENDING"
                #expect(stored == expected, "\(file)")
            }
        }
    }
}
