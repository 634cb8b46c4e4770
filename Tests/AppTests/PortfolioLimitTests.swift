import Foundation
import TestSupport
import Testing

/// A business portfolio's messaging limit: new recipients wait once 250 were reached in 24
/// hours, while counted recipients, recipients with an open service window and a raised tier
/// let messages go.
@Suite struct PortfolioLimitTests {
    static let sender = "447700800001"

    /// Recipients of the second bulk, none of them counted before it.
    static let newRecipients = Scenario.recipients(50, from: 240)

    /// Sends a first bulk that counts 240 recipients against the default TIER_250 portfolio,
    /// then a second one to 50 new recipients, and returns the second bulk's id once 10 of
    /// its messages went and the other 40 wait.
    static func reachLimit(_ scenario: Scenario) async throws -> String {
        try await scenario.addSender(sender, messagesPerSecond: 1_000)
        try await scenario.simulator.configureSender(sender, ["behavior": "accept", "reports": []])
        try await scenario.addTemplate()
        let first = try await scenario.startBulk(to: Scenario.recipients(240))
        let firstView = try await scenario.waitForBulkDone(first)
        #expect(Scenario.count(firstView, "SENT") == 240)

        let second = try await scenario.startBulk(to: newRecipients)
        _ = try await scenario.waitForBulk(second) { view in
            Scenario.count(view, "SENT") == 10 && view[string: "state"] == "WAITING"
        }
        return second
    }

    /// Returns the recipients of the bulk's messages in `status`.
    static func recipients(_ scenario: Scenario, bulkID: String, status: String) async throws
        -> [String]
    {
        let page = try await scenario.client.send(
            "GET",
            "/bulks/\(bulkID)/messages?status=\(status)&limit=1000",
            body: nil
        )
        return page.json[objects: "messages"].compactMap { $0[string: "to"] }
    }

    @Test func newRecipientsWaitAtLimit() async throws {
        try await Scenario.run { scenario in
            let bulkID = try await Self.reachLimit(scenario)
            // Claims may still be running; give a stray one time to show up before counting.
            try await Task.sleep(for: .milliseconds(500))
            let view = try await scenario.bulk(bulkID)

            #expect(Scenario.count(view, "SENT") == 10)
            #expect(Scenario.count(view, "QUEUED") == 40)
            #expect(view[string: "state"] == "WAITING")
            let waiting = view[objects: "waiting"]
            #expect(waiting.map { $0[string: "reason"] } == ["portfolio-limit"])
            #expect(waiting.first?["messages"] as? Int == 40)
            let until = try #require(waiting.first?[string: "until"].flatMap(Self.date))
            #expect(until > Date().addingTimeInterval(23 * 3600))
            #expect(until <= Date().addingTimeInterval(24 * 3600))
            #expect(try await scenario.simulator.sentMessages().count == 250)

            let portfolioID = try await scenario.portfolioID()
            let portfolio = try await scenario.client.send(
                "GET",
                "/portfolios/\(portfolioID)",
                body: nil
            )
            let usage = portfolio.json[object: "usage"]
            #expect(usage["uniqueRecipients"] as? Int == 250)
            #expect(usage["remaining"] as? Int == 0)
        }
    }

    @Test func countedRecipientsStillGo() async throws {
        try await Scenario.run { scenario in
            _ = try await Self.reachLimit(scenario)
            let counted = Scenario.recipients(5)

            let single = try await scenario.send(to: counted[0])
            #expect(single.status == 201)
            #expect(single.json[string: "status"] == "SENT")
            let repeatBulk = try await scenario.startBulk(to: counted)
            let view = try await scenario.waitForBulkDone(repeatBulk)
            #expect(Scenario.count(view, "SENT") == 5)
            #expect(try await scenario.simulator.sentMessages().count == 256)
        }
    }

    @Test func inboundMessageOpensServiceWindow() async throws {
        try await Scenario.run { scenario in
            let bulkID = try await Self.reachLimit(scenario)
            let held = try await Self.recipients(scenario, bulkID: bulkID, status: "QUEUED")
            let user = try #require(held.first)

            let inbound = try await scenario.postInbound(from: user, to: Self.sender)
            #expect(inbound.status == 200)
            #expect(inbound.json["applied"] as? Int == 1)
            let view = try await scenario.waitForBulk(bulkID, timeout: .seconds(15)) {
                Scenario.count($0, "SENT") == 11
            }
            #expect(Scenario.count(view, "SENT") == 11)
            let sent = try await Self.recipients(scenario, bulkID: bulkID, status: "SENT")
            #expect(sent.contains(user))

            let single = try await scenario.send(to: held[1])
            #expect(single.status == 202)
            #expect(single.json[string: "status"] == "QUEUED")
        }
    }

    @Test func raisedTierReleasesHeldMessages() async throws {
        try await Scenario.run { scenario in
            let bulkID = try await Self.reachLimit(scenario)

            try await scenario.setMessagingLimit("TIER_2K")
            let view = try await scenario.waitForBulkDone(bulkID, timeout: .seconds(15))
            #expect(Scenario.count(view, "SENT") == 50)
            #expect(view[string: "state"] == "COMPLETED")
            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.count == 290)
            #expect(Set(sent.compactMap { $0[string: "to"] }).count == 290)
        }
    }

    static func date(_ text: String) -> Date? {
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return (try? fractional.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
