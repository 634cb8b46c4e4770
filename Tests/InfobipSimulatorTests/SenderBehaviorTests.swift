import Foundation
import Testing

@testable import InfobipSimulator

@Suite struct SenderBehaviorTests {
    let simulator = makeSimulator()

    @Test func acceptedMessageGetsPendingStatus() async {
        let id = uniqueMessageId()
        let response = await simulator.sendTemplates(
            [templateMessage(messageId: id)],
            bulkId: "BULK-1"
        )
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        let entry = response.body?["messages"]?[0]
        #expect(entry?["to"] == "441134960001")
        #expect(entry?["messageCount"] == 1)
        #expect(entry?["messageId"] == .string(id))
        #expect(entry?["status"] == MessageStatus.pendingEnroute)
        #expect(entry?["status"]?["description"] == "Message sent to next instance")
        #expect(response.body?["bulkId"] == "BULK-1")
    }

    @Test func missingIdsAreGenerated() async {
        let response = await simulator.sendTemplates([
            templateMessage(to: "441134960001"), templateMessage(to: "441134960002"),
        ])
        let entries = response.body?["messages"]?.arrayValue ?? []
        #expect(entries.count == 2)
        #expect(entries.first?["to"] == "441134960001")
        #expect(entries.last?["to"] == "441134960002")
        let ids = entries.compactMap { $0["messageId"]?.stringValue }
        #expect(ids.count == 2)
        #expect(Set(ids).count == 2)
        let bulkId = response.body?["bulkId"]?.stringValue ?? ""
        #expect(bulkId.count == 19)
        #expect(bulkId.allSatisfy { $0.isNumber })
    }

    @Test func senderFaultRejectsEachMessage() async {
        await simulator.setBehavior("+44 113 496 0000", ["behavior": "senderFault"])
        let response = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())]
        )
        #expect(response.status == 200)
        #expect(response.body?["messages"]?[0]?["status"] == MessageStatus.rejectedSender)
        #expect(response.body?["messages"]?[0]?["status"]?["id"] == 13)
    }

    @Test func recipientFaultRejectsEachMessage() async {
        await simulator.setBehavior("441134960000", ["behavior": "recipientFault"])
        let response = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())]
        )
        let status = response.body?["messages"]?[0]?["status"]
        #expect(status?["groupId"] == 5)
        #expect(status?["groupName"] == "REJECTED")
        #expect(status?["id"] == 52)
        #expect(status?["name"] == "REJECTED_DESTINATION")
    }

    @Test func undeliverableIsAcceptedFirst() async {
        await simulator.setBehavior("441134960000", ["behavior": "undeliverable"])
        let response = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())]
        )
        #expect(response.body?["messages"]?[0]?["status"] == MessageStatus.pendingEnroute)
    }

    @Test func unauthorizedFailsWholeRequest() async {
        await simulator.setBehavior("441134960009", ["behavior": "unauthorized"])
        let response = await simulator.sendTemplates([
            templateMessage(messageId: uniqueMessageId()),
            templateMessage(from: "441134960009", messageId: uniqueMessageId()),
        ])
        #expect(response.status == 401)
        #expect(response.body == LegacyErrorBody.unauthorized)
    }

    @Test func tooManyRequestsSetsRetryAfter() async {
        await simulator.setBehavior(
            "441134960000",
            ["behavior": "tooManyRequests", "retryAfterSeconds": 7]
        )
        let response = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())]
        )
        #expect(response.status == 429)
        #expect(errorCode(response.body) == "TOO_MANY_REQUESTS")
        #expect(response.body?["requestError"]?["serviceException"]?["text"] == "Too many requests")
        #expect(response.headers["Retry-After"] == "7")
    }

    @Test func tooManyRequestsWithoutRetryAfter() async {
        await simulator.setBehavior("441134960000", ["behavior": "tooManyRequests"])
        let response = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())]
        )
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == nil)
    }

    @Test func serverErrorFailsWholeRequest() async {
        await simulator.setBehavior("441134960000", ["behavior": "serverError"])
        let response = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())]
        )
        #expect(response.status == 500)
        #expect(errorCode(response.body) == "GENERAL_ERROR")
        #expect(
            response.body?["requestError"]?["serviceException"]?["text"]
                == "Something went wrong. Please contact support."
        )
    }

    @Test func hangWaitsThenAccepts() async {
        await simulator.setBehavior("441134960000", ["behavior": "hang", "hangSeconds": 0.05])
        let response = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())]
        )
        #expect(response.status == 200)
        #expect(response.body?["messages"]?[0]?["status"] == MessageStatus.pendingEnroute)
    }

    @Test func serverErrorWaitsDelaySeconds() async {
        await simulator.setBehavior(
            "441134960000",
            ["behavior": "serverError", "delaySeconds": 0.3, "times": 1]
        )
        let started = ContinuousClock.now
        let response = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())]
        )
        let elapsed = ContinuousClock.now - started

        #expect(response.status == 500)
        #expect(elapsed >= .milliseconds(300))
    }

    @Test func timesCountsMessagesThenAccepts() async {
        await simulator.setBehavior("441134960000", ["behavior": "senderFault", "times": 2])
        let response = await simulator.sendTemplates(
            (0..<3).map { _ in templateMessage(messageId: uniqueMessageId()) }
        )
        let names = (response.body?["messages"]?.arrayValue ?? []).map { $0["status"]?["name"] }
        #expect(names == ["REJECTED_SENDER", "REJECTED_SENDER", "PENDING_ENROUTE"])
        let document = await simulator.call("GET", "/simulator/senders/441134960000", apiKey: nil)
        #expect(document.body?["behavior"] == "accept")
        #expect(document.body?["times"] == nil)
    }

    @Test func timesCountsWholeRequests() async {
        await simulator.setBehavior("441134960000", ["behavior": "serverError", "times": 1])
        let first = await simulator.sendTemplates([
            templateMessage(messageId: uniqueMessageId()),
            templateMessage(messageId: uniqueMessageId()),
        ])
        let second = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())])
        #expect(first.status == 500)
        #expect(second.status == 200)
    }

    @Test func remainingTimesAreReadBack() async {
        await simulator.setBehavior("441134960000", ["behavior": "recipientFault", "times": 3])
        _ = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())])
        let document = await simulator.call("GET", "/simulator/senders/441134960000", apiKey: nil)
        #expect(document.body?["behavior"] == "recipientFault")
        #expect(document.body?["times"] == 2)
    }

    @Test func duplicateMessageIdIsCounted() async {
        let id = uniqueMessageId()
        let first = await simulator.sendTemplates([templateMessage(messageId: id)])
        let second = await simulator.sendTemplates([
            templateMessage(messageId: id), templateMessage(messageId: uniqueMessageId()),
        ])
        #expect(first.body?["messages"]?[0]?["status"] == MessageStatus.pendingEnroute)
        #expect(second.status == 200)
        #expect(second.body?["messages"]?[0]?["status"] == MessageStatus.rejectedDuplicateMessageId)
        #expect(second.body?["messages"]?[1]?["status"] == MessageStatus.pendingEnroute)
        let stats = await simulator.call("GET", "/simulator/stats", apiKey: nil)
        #expect(stats.body?["templateRequests"] == 2)
        #expect(stats.body?["messagesAccepted"] == 2)
        #expect(stats.body?["duplicates"] == 1)
        #expect(stats.body?["duplicateMessageIds"] == [.string(id)])
    }

    @Test func rejectedIdIsNotDuplicateLater() async {
        let id = uniqueMessageId()
        await simulator.setBehavior("441134960000", ["behavior": "senderFault", "times": 1])
        _ = await simulator.sendTemplates([templateMessage(messageId: id)])
        let retry = await simulator.sendTemplates([templateMessage(messageId: id)])
        #expect(retry.body?["messages"]?[0]?["status"] == MessageStatus.pendingEnroute)
    }

    @Test func hangWaitsOncePerRequest() async {
        await simulator.setBehavior(
            "441134960000",
            ["behavior": "hang", "hangSeconds": 2, "times": 1]
        )
        let started = ContinuousClock.now
        let hung = await simulator.sendTemplates(
            (0..<5).map { _ in templateMessage(messageId: uniqueMessageId()) }
        )
        let elapsed = ContinuousClock.now - started
        let document = await simulator.call("GET", "/simulator/senders/441134960000", apiKey: nil)
        #expect(hung.status == 200)
        #expect(elapsed >= .seconds(2))
        // A wait per message would take 10 s. The margin is wide because a loaded two-core
        // machine was seen to add seconds to a request.
        #expect(elapsed < .seconds(8))
        // `times` counts requests, so the one request used it up.
        #expect(document.body?["behavior"] == "accept")
    }

    @Test func rateLimitedReportIsAccepted() async {
        let response = await simulator.setBehavior(
            "441134960000",
            ["reports": ["RATE_LIMITED", "SEEN"]]
        )
        #expect(response.status == 200)
        #expect(response.body?["reports"] == ["RATE_LIMITED", "SEEN"])
        let sent = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())])
        #expect(sent.body?["messages"]?[0]?["status"] == MessageStatus.pendingEnroute)
    }

    @Test func behaviourDocumentDefaults() async {
        let document = await simulator.call("GET", "/simulator/senders/441134960000", apiKey: nil)
        #expect(document.status == 200)
        #expect(document.body?["sender"] == "441134960000")
        #expect(document.body?["behavior"] == "accept")
        #expect(document.body?["reports"] == ["DELIVERED", "SEEN"])
        #expect(document.body?["reportDelayMs"] == 200)
        #expect(document.body?["hangSeconds"]?.doubleValue == 30)
        #expect(document.body?["delaySeconds"]?.doubleValue == 0)
        #expect(document.body?["qualityRating"] == "HIGH")
        #expect(document.body?["status"] == "CONNECTED")
        #expect(document.body?["currentLimit"] == "LIMIT_100K")
    }

    @Test func invalidBehaviourDocumentIsRejected() async {
        let cases: [JSONValue] = [
            ["behaviour": "senderFault"],
            ["behavior": "explode"],
            ["times": 0],
            ["reports": ["READ"]],
            ["qualityRating": "GREAT"],
            ["delaySeconds": -1],
            "not an object",
        ]
        for document in cases {
            let response = await simulator.setBehavior("441134960000", document)
            #expect(response.status == 400, "document \(document)")
            #expect(response.body?["error"]?.stringValue != nil, "document \(document)")
        }
        let unchanged = await simulator.call("GET", "/simulator/senders/441134960000", apiKey: nil)
        #expect(unchanged.body?["behavior"] == "accept")
    }

    @Test func deletingBehaviourRestoresDefault() async {
        await simulator.setBehavior("441134960000", ["behavior": "serverError"])
        let deleted = await simulator.call("DELETE", "/simulator/senders/441134960000", apiKey: nil)
        let response = await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())]
        )
        #expect(deleted.status == 204)
        #expect(response.status == 200)
    }

    @Test func qualityComesFromBehaviour() async {
        await simulator.setBehavior(
            "441134960001",
            ["qualityRating": "LOW", "status": "FLAGGED", "currentLimit": "LIMIT_250"]
        )
        let response = await simulator.call(
            "GET",
            "/whatsapp/1/senders/quality",
            query: ["senders": "441134960000, 441134960001"]
        )
        let results = response.body?["results"]?.arrayValue ?? []
        #expect(response.status == 200)
        #expect(results.count == 2)
        #expect(results.first?["sender"] == "441134960000")
        #expect(results.first?["qualityRating"] == "HIGH")
        #expect(results.first?["status"] == "CONNECTED")
        #expect(results.first?["currentLimit"] == "LIMIT_100K")
        #expect(results.last?["qualityRating"] == "LOW")
        #expect(results.last?["status"] == "FLAGGED")
        #expect(results.last?["currentLimit"] == "LIMIT_250")
        let lastUpdated = results.last?["lastUpdated"]?.stringValue ?? ""
        #expect(lastUpdated.hasSuffix("Z"))
        #expect(lastUpdated.count == 24)
    }

    @Test func qualityNeedsSenders() async {
        let response = await simulator.call("GET", "/whatsapp/1/senders/quality")
        #expect(response.status == 400)
        #expect(validationErrors(response.body)["senders"] == ["must not be blank"])
    }
}

@Suite struct HangShutdownTests {
    @Test(.timeLimit(.minutes(1))) func shutdownEndsHangEarly() async {
        let simulator = makeSimulator()
        await simulator.setBehavior("441134960000", ["behavior": "hang", "hangSeconds": 600])
        let send = Task {
            await simulator.sendTemplates([templateMessage(messageId: uniqueMessageId())])
        }
        // The request log entry shows that the request is in the simulator before shutdown.
        while await simulator.call("GET", "/simulator/requests", apiKey: nil).body == [] {
            try? await Task.sleep(for: .milliseconds(10))
        }
        simulator.shutdown()
        let response = await send.value
        #expect(response.status == 200)
        #expect(response.body?["messages"]?[0]?["status"] == MessageStatus.pendingEnroute)
    }
}
