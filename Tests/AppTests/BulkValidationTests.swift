import Foundation
import TestSupport
import Testing

/// `POST /messages/bulk` input checks: a bad request as a whole gets its exact problem
/// document and stores nothing, while a bad item is listed in `rejected` and the other items
/// still go.
@Suite struct BulkValidationTests {
    static let sender = "447700800001"
    static let instance = "/messages/bulk"

    /// Runs `body` in a scenario with one sender without reports and the default template.
    static func run(_ body: (Scenario) async throws -> Void) async throws {
        try await Scenario.run { scenario in
            try await scenario.addSender(sender, messagesPerSecond: 1_000)
            try await scenario.simulator.configureSender(
                sender,
                ["behavior": "accept", "reports": []]
            )
            try await scenario.addTemplate()
            try await body(scenario)
        }
    }

    static func expectNothingStored(
        _ scenario: Scenario,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let bulks = try await scenario.integer("SELECT count(*)::int AS value FROM bulks")
        let messages = try await scenario.integer("SELECT count(*)::int AS value FROM messages")
        #expect(bulks == 0, sourceLocation: sourceLocation)
        #expect(messages == 0, sourceLocation: sourceLocation)
    }

    static func invalid(_ field: String, _ detail: String) -> [String: Any] {
        [
            "type": "urn:wabarouter:problem:invalid-field", "title": "Invalid field",
            "detail": detail, "field": field, "instance": instance,
        ]
    }

    @Test func malformedJSONRejected() async throws {
        try await Self.run { scenario in
            let response = try await sendRawJSON(
                scenario.client,
                "POST",
                "/messages/bulk",
                #"{"wabaId": "\#(scenario.wabaID)", "messages": [}"#
            )
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:malformed-json", "title": "Malformed JSON",
                    "detail": "The request body is not valid JSON: expected a value at byte 64. "
                        + "Send a JSON object with Content-Type: application/json.",
                    "instance": Self.instance,
                ]
            )
            try await Self.expectNothingStored(scenario)
        }
    }

    @Test func missingMessagesRejected() async throws {
        try await Self.run { scenario in
            let response = try await scenario.client.send(
                "POST",
                "/messages/bulk",
                json: ["wabaId": scenario.wabaID, "templateName": "order_update"]
            )
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:missing-field", "title": "Missing field",
                    "detail": "messages is missing. Give the recipients as an array of "
                        + "{to, params, callbackData} objects.",
                    "field": "messages", "instance": Self.instance,
                ]
            )
            try await Self.expectNothingStored(scenario)
        }
    }

    @Test func messagesNotArrayRejected() async throws {
        try await Self.run { scenario in
            let response = try await scenario.sendBulk([], extra: ["messages": ["to": "x"]])
            expectProblem(
                response,
                status: 400,
                Self.invalid(
                    "messages",
                    "messages must be an array of {to, params, callbackData} objects."
                )
            )
            try await Self.expectNothingStored(scenario)
        }
    }

    /// 100,001 distinct recipients, written straight into the body's bytes.
    static func oversizedBody(wabaID: String) -> Data {
        var text = #"{"wabaId":"\#(wabaID)","templateName":"order_update","messages":["#
        text.reserveCapacity(7_000_000)
        for index in 0...100_000 {
            if index > 0 {
                text += ","
            }
            let prefix = index < 100_000 ? "4477009" : "4477008"
            let number = prefix + String(format: "%05d", index % 100_000)
            text += #"{"to":"\#(number)","params":{"body":["Ana","A-1"]}}"#
        }
        text += "]}"
        return Data(text.utf8)
    }

    @Test func overMaximumItemsRejected() async throws {
        try await Self.run { scenario in
            let response = try await scenario.sendLargeBulk(
                Self.oversizedBody(wabaID: scenario.wabaID)
            )
            expectProblem(
                response,
                status: 400,
                Self.invalid(
                    "messages",
                    "messages has more than 100000 items. Split the recipients over several "
                        + "bulks."
                )
            )
            try await Self.expectNothingStored(scenario)
        }
    }

    @Test func unknownMemberRejected() async throws {
        try await Self.run { scenario in
            let response = try await scenario.sendBulk(
                Scenario.bulkItems(Scenario.recipients(2)),
                extra: ["priority": "high"]
            )
            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:unknown-field", "title": "Unknown field",
                    "detail": "priority is not a known field. Known fields here: expiresAt, "
                        + "language, messages, sendAt, templateName, wabaId.",
                    "field": "priority", "instance": Self.instance,
                ]
            )
            try await Self.expectNothingStored(scenario)
        }
    }

    @Test func badInstantsRejected() async throws {
        try await Self.run { scenario in
            let items = Scenario.bulkItems(Scenario.recipients(2))
            for (field, text) in [
                ("sendAt", "tomorrow"), ("sendAt", "2026-12-24T25:00:00Z"),
                ("expiresAt", "2027-02-30T09:00:00Z"), ("sendAt", "2026-12-24T09:00:00+0100"),
                ("expiresAt", "10000-01-01T00:00:00Z"),
            ] {
                let response = try await scenario.sendBulk(items, extra: [field: text])
                expectProblem(
                    response,
                    status: 400,
                    Self.invalid(
                        field,
                        "\(field) '\(text)' is not a valid RFC 3339 instant. Send a real date "
                            + "and time with its offset, like 2026-12-24T09:00:00Z or "
                            + "2026-12-24T09:00:00.000-03:00."
                    )
                )
            }

            for (field, text) in [
                ("sendAt", "1969-12-31T23:59:59Z"), ("sendAt", "1582-10-14T12:00:00Z"),
                ("expiresAt", "9999-01-01T00:00:00Z"), ("expiresAt", "9999-12-31T23:59:59-23:59"),
            ] {
                let response = try await scenario.sendBulk(items, extra: [field: text])
                expectProblem(
                    response,
                    status: 400,
                    Self.invalid(
                        field,
                        "\(field) '\(text)' is outside the accepted range. Send an instant from "
                            + "1970-01-01T00:00:00Z up to, not including, 9999-01-01T00:00:00Z."
                    )
                )
            }

            let sendAt = Date().addingTimeInterval(3600)
            let expiresBefore = try await scenario.sendBulk(
                items,
                extra: [
                    "sendAt": Self.iso(sendAt),
                    "expiresAt": Self.iso(sendAt.addingTimeInterval(-60)),
                ]
            )
            expectProblem(
                expiresBefore,
                status: 400,
                Self.invalid(
                    "expiresAt",
                    "expiresAt must be later than sendAt and than now; messages not sent by "
                        + "then become EXPIRED."
                )
            )

            let expiresPast = try await scenario.sendBulk(
                items,
                extra: ["expiresAt": Self.iso(Date().addingTimeInterval(-60))]
            )
            #expect(expiresPast.status == 400)
            #expect(expiresPast.json[string: "field"] == "expiresAt")
            try await Self.expectNothingStored(scenario)
        }
    }

    static func iso(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    @Test func unknownTemplateRejected() async throws {
        try await Self.run { scenario in
            let response = try await scenario.sendBulk(
                Scenario.bulkItems(Scenario.recipients(2)),
                extra: ["templateName": "missing_template"]
            )
            expectProblem(
                response,
                status: 422,
                [
                    "type": "urn:wabarouter:problem:template-not-found",
                    "title": "Template not found",
                    "detail": "The WABA has no template named 'missing_template'. Create it "
                        + "with POST /wabas/{id}/templates or pull Infobip's list with POST "
                        + "/wabas/{id}/templates/sync.",
                    "field": "templateName", "instance": Self.instance,
                ]
            )
            try await Self.expectNothingStored(scenario)
        }
    }

    @Test func noActiveSenderRejected() async throws {
        try await Scenario.run { scenario in
            let senderID = try await scenario.addSender(Self.sender, messagesPerSecond: 10)
            try await scenario.addTemplate()
            _ = try await scenario.updateSender(senderID, ["status": "PAUSED"])

            let response = try await scenario.sendBulk(Scenario.bulkItems(Scenario.recipients(2)))
            expectProblem(
                response,
                status: 409,
                [
                    "type": "urn:wabarouter:problem:no-active-sender",
                    "title": "No active sender",
                    "detail": "The WABA '\(scenario.wabaID)' has no ACTIVE sender. Add one with "
                        + "POST /wabas/{id}/senders or set a sender's status to ACTIVE.",
                    "field": "wabaId", "instance": Self.instance,
                ]
            )
            try await Self.expectNothingStored(scenario)
        }
    }

    @Test(arguments: ["text/plain", "application/jsonp", "application/json-patch+json", ""])
    func nonJSONContentTypeRejected(contentType: String) async throws {
        try await Self.run { scenario in
            let response = try await scenario.client.send(
                "POST",
                "/messages/bulk",
                body: Data(#"{"wabaId":"x"}"#.utf8),
                headers: ["Content-Type": contentType]
            )
            expectProblem(
                response,
                status: 415,
                [
                    "type": "urn:wabarouter:problem:unsupported-media-type",
                    "title": "Unsupported media type",
                    "detail": "The request body must be JSON. Send Content-Type: "
                        + "application/json.",
                    "instance": Self.instance,
                ]
            )
            try await Self.expectNothingStored(scenario)
        }
    }

    @Test func jsonWithCharsetAccepted() async throws {
        try await Self.run { scenario in
            let body = try JSONSerialization.data(withJSONObject: [
                "wabaId": scenario.wabaID, "templateName": "order_update", "language": "en",
                "messages": Scenario.bulkItems(Scenario.recipients(1)),
            ])
            let response = try await scenario.client.send(
                "POST",
                "/messages/bulk",
                body: body,
                headers: ["Content-Type": "Application/JSON ; charset=utf-8"]
            )
            #expect(response.status == 202)
        }
    }

    @Test func badItemsListedAsRejected() async throws {
        try await Self.run { scenario in
            let good = Scenario.recipients(3)
            let items: [[String: Any]] = [
                ["to": good[0], "params": ["body": ["Ana", "A-1"]]],
                ["to": "07700 900001", "params": ["body": ["Ana", "A-2"]]],
                ["to": good[1], "params": ["body": ["Ana"]]],
                ["to": good[2], "params": ["body": ["Ana", "A-3"]], "priority": 1],
                ["to": good[1], "params": ["body": ["Ana", "A-4"]]],
            ]
            let response = try await scenario.sendBulk(items)

            #expect(response.status == 202)
            #expect(response.json["requested"] as? Int == 5)
            #expect(response.json["accepted"] as? Int == 2)
            #expect(response.json["duplicates"] as? Int == 0)
            let rejected = response.json[objects: "rejected"]
            #expect(rejected.map { $0["index"] as? Int } == [1, 2, 3])
            #expect(
                rejected.map { $0[string: "field"] } == [
                    "messages[1].to", "messages[2].params.body", "messages[3].priority",
                ]
            )
            #expect(rejected.map { $0[string: "to"] } == ["07700 900001", good[1], good[2]])
            #expect(
                rejected.map { $0[string: "reason"] } == [
                    "'07700 900001' has no country code. Add it in front, such as +55 for "
                        + "Brazil or +44 for the United Kingdom.",
                    "The template's body takes 2 placeholder values but params.body has 1. Send "
                        + "one value per placeholder, in order.",
                    "messages[3].priority is not a known field. Known fields here: "
                        + "callbackData, params, to.",
                ]
            )

            let bulkID = try #require(response.json[string: "bulkId"])
            let view = try await scenario.waitForBulkDone(bulkID)
            #expect(Scenario.count(view, "SENT") == 2)
            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.compactMap { $0[string: "to"] }.sorted() == [good[0], good[1]])
        }
    }

    @Test func repeatedMemberNameRejectsItsItemAlone() async throws {
        try await Self.run { scenario in
            let good = Scenario.recipients(2)
            let body = """
                {"wabaId": "\(scenario.wabaID)", "templateName": "order_update",
                 "language": "en", "messages": [
                  {"to": "\(good[0])", "params": {"body": ["Ana", "A-1"]}},
                  {"to": "\(good[1])", "to": "447700900999", "params": {"body": ["Ana", "A-2"]}},
                  {"to": "\(good[1])", "params": {"body": ["Ana", "A-3"]}}]}
                """
            let response = try await sendRawJSON(scenario.client, "POST", "/messages/bulk", body)

            #expect(response.status == 202)
            #expect(response.json["requested"] as? Int == 3)
            #expect(response.json["accepted"] as? Int == 2)
            let rejected = response.json[objects: "rejected"]
            #expect(rejected.map { $0["index"] as? Int } == [1])
            #expect(rejected.map { $0[string: "field"] } == ["messages[1].to"])
            #expect(
                rejected.map { $0[string: "reason"] } == [
                    "messages[1].to appears twice in the same object. Send each member once."
                ]
            )
            let bulkID = try #require(response.json[string: "bulkId"])
            _ = try await scenario.waitForBulkDone(bulkID)
            let sent = try await scenario.simulator.sentMessages()
            #expect(sent.compactMap { $0[string: "to"] }.sorted() == good.sorted())
        }
    }

    @Test func repeatedTopLevelMemberRejected() async throws {
        try await Self.run { scenario in
            let body = """
                {"wabaId": "\(scenario.wabaID)", "templateName": "order_update",
                 "templateName": "other", "language": "en",
                 "messages": [{"to": "447700900001", "params": {"body": ["Ana", "A-1"]}}]}
                """
            let response = try await sendRawJSON(scenario.client, "POST", "/messages/bulk", body)

            expectProblem(
                response,
                status: 400,
                [
                    "type": "urn:wabarouter:problem:malformed-json", "title": "Malformed JSON",
                    "detail": "templateName appears twice in the same object. "
                        + "Send each member once.",
                    "field": "templateName", "instance": Self.instance,
                ]
            )
            try await Self.expectNothingStored(scenario)
        }
    }

    @Test func repeatedRecipientSentOnce() async throws {
        try await Self.run { scenario in
            let items: [[String: Any]] = [
                ["to": "+44 7700 900001", "params": ["body": ["Ana", "A-1"]]],
                ["to": "447700900001", "params": ["body": ["Ana", "A-2"]]],
                ["to": "+44 7700 900002", "params": ["body": ["Ana", "A-3"]]],
            ]
            let response = try await scenario.sendBulk(items)

            #expect(response.status == 202)
            #expect(response.json["requested"] as? Int == 3)
            #expect(response.json["accepted"] as? Int == 2)
            #expect(response.json["duplicates"] as? Int == 1)
            #expect(response.json[objects: "rejected"].isEmpty)
            let bulkID = try #require(response.json[string: "bulkId"])
            let view = try await scenario.waitForBulkDone(bulkID)
            #expect(Scenario.count(view, "SENT") == 2)
            let sent = try await scenario.simulator.sentMessages()
            #expect(
                sent.compactMap { $0[string: "to"] }.sorted() == ["447700900001", "447700900002"]
            )
        }
    }
}
