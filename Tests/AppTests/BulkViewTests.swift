import Foundation
import TestSupport
import Testing

/// What `GET /bulks/{id}` reports about a bulk that is still sending.
@Suite struct BulkViewTests {
    /// Due messages held back only by the senders' rate are reported as waiting for sender
    /// capacity, while the bulk is SENDING and has an estimate.
    @Test func slowSenderShowsCapacityWait() async throws {
        try await BulkLifecycleTests.run(messagesPerSecond: 5) { scenario in
            let bulkID = try await scenario.startBulk(to: Scenario.recipients(40))
            let view = try await scenario.waitForBulk(bulkID, timeout: .seconds(10)) {
                Scenario.count($0, "SENT") >= 20
            }
            #expect(view[string: "state"] == "SENDING")
            let waits = view[objects: "waiting"]
            let capacity = waits.first { $0[string: "reason"] == "sender-capacity" }
            #expect((capacity?["messages"] as? Int ?? 0) > 0)
            #expect(capacity?[string: "detail"]?.contains("5 messages per second") == true)
            #expect(view[string: "estimatedCompletionAt"] != nil)
            let rate = view["ratePerSecond"] as? Double ?? 0
            #expect(rate > 2)
            #expect(rate < 8)
            _ = try await scenario.client.send("POST", "/bulks/\(bulkID)/cancel", body: nil)
        }
    }
}
