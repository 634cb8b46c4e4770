import Foundation
import Infobip
import Testing

@Suite struct InfobipWebhookTests {
    private func deliveryReports(_ json: String) throws -> [ItemResult<DeliveryReport>] {
        guard case .deliveryReports(let items) = try InfobipWebhook.parse(TestValues.data(json))
        else {
            Issue.record("expected delivery reports")
            return []
        }
        return items
    }

    @Test func brokenReportDoesNotHideOthers() throws {
        let items = try deliveryReports(
            #"""
            {"results":[
              {"messageId":"m-1","to":"441134960001","doneAt":"2019-04-09T16:01:56.494-0300",
               "status":{"groupId":3,"groupName":"DELIVERED","id":5,"name":"DELIVERED_TO_HANDSET"},
               "error":{"groupId":0,"groupName":"OK","id":0,"name":"NO_ERROR","permanent":false}},
              {"messageId":"m-2","to":"441134960002","status":{"groupId":"three"}},
              "not an object",
              {"messageId":"m-4","to":"441134960004",
               "status":{"groupId":2,"groupName":"UNDELIVERABLE","id":4,
                         "name":"UNDELIVERABLE_REJECTED_OPERATOR"},
               "error":{"groupId":1,"groupName":"HANDSET_ERRORS","id":7002,
                        "name":"EC_UNKNOWN_USER","permanent":true}}
            ]}
            """#
        )
        #expect(items.count == 4)

        let first = try #require(items[0].value)
        #expect(first.messageId == "m-1")
        #expect(first.status.name == "DELIVERED_TO_HANDSET")
        #expect(TestValues.milliseconds(first.doneAt) == 1_554_836_516_494)
        #expect(first.error?.id == 0)

        #expect(items[1] == .invalid(index: 1, reason: "field status.groupId is not of type Int"))
        guard case .invalid(let index, let reason) = items[2] else {
            Issue.record("expected item 2 to be invalid")
            return
        }
        #expect(index == 2)
        #expect(reason.hasPrefix("the value is not of type"))

        let fourth = try #require(items[3].value)
        #expect(fourth.messageId == "m-4")
        #expect(fourth.status.groupName == "UNDELIVERABLE")
        #expect(fourth.error?.id == 7002)
        #expect(fourth.error?.permanent == true)
    }

    @Test func missingMessageIdNamedInReason() throws {
        let items = try deliveryReports(
            #"{"results":[{"to":"1","status":\#(TestValues.pendingEnrouteJSON)}]}"#
        )
        #expect(items == [.invalid(index: 0, reason: "missing field messageId")])
    }

    @Test func unparseableTimestampBecomesNil() throws {
        let items = try deliveryReports(
            #"{"results":[{"messageId":"m","to":"1","sentAt":"yesterday","#
                + #""status":\#(TestValues.pendingEnrouteJSON)}]}"#
        )
        let report = try #require(items.first?.value)
        #expect(report.sentAt == nil)
        #expect(report.status.id == 7)
    }

    @Test func seenBatchWithBrokenItem() throws {
        let webhook = try InfobipWebhook.parse(
            TestValues.data(
                #"""
                {"results":[
                  {"messageId":"m-1","from":"385919998888","to":"41793026731",
                   "sentAt":"2018-12-12T11:21:57.793+0000","seenAt":"2018-12-12T11:21:58.251+0000"},
                  {"seenAt":"2018-12-12T11:21:58.251+0000"}
                ]}
                """#
            )
        )
        guard case .seenReports(let items) = webhook else {
            Issue.record("expected seen reports, got \(webhook)")
            return
        }
        #expect(items.count == 2)
        #expect(items[0].value?.messageId == "m-1")
        #expect(TestValues.milliseconds(items[0].value?.seenAt) == 1_544_613_718_251)
        #expect(items[1] == .invalid(index: 1, reason: "missing field messageId"))
    }

    @Test func inboundBatchWithBrokenItem() throws {
        let webhook = try InfobipWebhook.parse(
            TestValues.data(
                #"""
                {"results":[
                  {"from":"385919998888","to":"41793026731","messageId":"wamid.1",
                   "receivedAt":"2025-01-01T10:10:00.000+0000",
                   "message":{"type":"BUTTON","text":"Yes","payload":"YES"}},
                  {"from":"385919998888","to":"41793026731","messageId":"wamid.2",
                   "message":{"text":"no type"}}
                ],"messageCount":2,"pendingMessageCount":0}
                """#
            )
        )
        guard case .inboundMessages(let items) = webhook else {
            Issue.record("expected inbound messages, got \(webhook)")
            return
        }
        let first = try #require(items.first?.value)
        #expect(first.type == "BUTTON")
        #expect(first.payload == "YES")
        #expect(first.text == "Yes")
        #expect(items[1] == .invalid(index: 1, reason: "missing field message.type"))
    }

    @Test func emptyInboundBatchStaysInbound() throws {
        let webhook = try InfobipWebhook.parse(
            TestValues.data(#"{"results":[],"messageCount":0,"pendingMessageCount":0}"#)
        )
        guard case .inboundMessages(let items) = webhook else {
            Issue.record("expected inbound messages, got \(webhook)")
            return
        }
        #expect(items.isEmpty)
    }

    @Test func templateIdAsNumberOrString() throws {
        for id in [#""111""#, "111"] {
            let body = TestValues.data(
                #"""
                {"messageTemplateId":\#(id),"messageTemplateName":"order_update",
                 "messageTemplateLanguage":"en",
                 "timestamp":"2019-11-09T16:00:00.000+00:00",
                 "change":{"type":"TEMPLATE_STATUS_UPDATE","newStatus":"APPROVED","reason":"NONE"}}
                """#
            )
            guard case .templateUpdate(let event) = try InfobipWebhook.parse(body) else {
                Issue.record("expected a template update for id \(id)")
                continue
            }
            #expect(event.templateId == "111")
            #expect(event.newStatus == "APPROVED")
            #expect(TestValues.milliseconds(event.timestamp) == 1_573_315_200_000)
        }
    }

    @Test func templateEventWithoutNameThrows() {
        let body = TestValues.data(
            #"{"messageTemplateId":"1","messageTemplateLanguage":"en","#
                + #""change":{"type":"TEMPLATE_STATUS_UPDATE"}}"#
        )
        #expect(
            throws: InfobipError(
                code: .invalidTemplateUpdateEvent,
                operation: "parse webhook",
                reason: "missing field messageTemplateName"
            )
        ) {
            try InfobipWebhook.parse(body)
        }
    }

    @Test func nonJSONBodyThrows() {
        #expect(throws: InfobipError.self) {
            try InfobipWebhook.parse(TestValues.data("results=1"))
        }
        do {
            _ = try InfobipWebhook.parse(TestValues.data("results=1"))
        } catch let error as InfobipError {
            #expect(error.code == .invalidJSON)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: [
        "[]", #"{"foo":1}"#, #"{"results":{}}"#, #"{"results":[{"foo":1}]}"#,
        #"{"results":[{"seenAt":"x"},{"status":{}}]}"#,
    ])
    func unknownShapesThrow(body: String) {
        do {
            _ = try InfobipWebhook.parse(TestValues.data(body))
            Issue.record("expected an error for \(body)")
        } catch let error as InfobipError {
            #expect(error.code == .unknownWebhookShape)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func emptyResultsAreDeliveryReports() throws {
        let items = try deliveryReports(#"{"results":[]}"#)
        #expect(items.isEmpty)
    }
}
