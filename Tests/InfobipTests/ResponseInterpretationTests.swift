import Foundation
import Infobip
import Testing

@Suite struct ResponseInterpretationTests {
    @Test func acceptedAndRejectedEntriesReturned() throws {
        let body = TestValues.data(
            #"""
            {"messages":[
              {"to":"441134960001","messageCount":1,"messageId":"m-1",
               "status":{"groupId":1,"groupName":"PENDING","id":7,"name":"PENDING_ENROUTE",
                         "description":"Message sent to next instance"}},
              {"to":"441134960002","messageCount":0,"messageId":"m-2",
               "status":{"groupId":5,"groupName":"REJECTED","id":52,"name":"REJECTED_DESTINATION",
                         "description":"Invalid destination address.",
                         "action":"Check to parameter."}}
            ],"bulkId":"b-1"}
            """#
        )
        let result = InfobipClient.interpretSend(status: 200, headers: [:], body: body)
        let entries = try result.get()
        #expect(entries.count == 2)
        #expect(entries[0].messageId == "m-1")
        #expect(entries[0].status == TestValues.pendingEnroute)
        #expect(entries[1].messageId == "m-2")
        #expect(entries[1].to == "441134960002")
        #expect(entries[1].status.groupName == "REJECTED")
        #expect(entries[1].status.name == "REJECTED_DESTINATION")
        #expect(entries[1].status.action == "Check to parameter.")
    }

    @Test func tooManyRequestsCarriesRetryAfter() {
        let body = TestValues.legacyErrorBody(code: "TOO_MANY_REQUESTS", text: "Too many requests")
        let result = InfobipClient.interpretSend(
            status: 429,
            headers: ["retry-after": "3"],
            body: body
        )
        let expectedError = InfobipAPIError(
            code: "TOO_MANY_REQUESTS",
            normalizedCode: "E429",
            text: "Too many requests"
        )
        #expect(
            result == .failure(.http(status: 429, error: expectedError, retryAfter: .seconds(3)))
        )
    }

    @Test func httpDateRetryAfterUsesNow() {
        let now = Date(timeIntervalSince1970: 784_111_777 - 90)
        let failure = InfobipClient.httpFailure(
            status: 429,
            headers: ["Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"],
            body: Data(),
            now: now
        )
        #expect(failure == .http(status: 429, error: nil, retryAfter: .seconds(90)))
    }

    @Test func unauthorizedWithoutRetryAfter() {
        let body = TestValues.legacyErrorBody(code: "UNAUTHORIZED", text: "Invalid login details")
        let result = InfobipClient.interpretSend(status: 401, headers: [:], body: body)
        let expectedError = InfobipAPIError(
            code: "UNAUTHORIZED",
            normalizedCode: "E401",
            text: "Invalid login details"
        )
        #expect(result == .failure(.http(status: 401, error: expectedError, retryAfter: nil)))
    }

    @Test func gatewayPageGivesNilError() {
        let result = InfobipClient.interpretSend(
            status: 502,
            headers: [:],
            body: TestValues.data("<html>Bad Gateway</html>")
        )
        #expect(result == .failure(.http(status: 502, error: nil, retryAfter: nil)))
    }

    @Test(arguments: [
        "", "not json", "{}", #"{"messages":{}}"#,
        #"{"messages":[{"to":"1","messageId":"m","status":{"groupId":1}}]}"#,
    ])
    func undocumentedSuccessBodyIsInvalid(body: String) {
        let result = InfobipClient.interpretSend(
            status: 200,
            headers: [:],
            body: TestValues.data(body)
        )
        guard case .failure(.invalidResponse(let reason)) = result else {
            Issue.record("expected invalidResponse, got \(result)")
            return
        }
        #expect(reason.hasPrefix("HTTP 200 body:"))
    }

    @Test func missingStatusFieldNamedInReason() {
        let body = TestValues.data(#"{"messages":[{"to":"1","messageId":"m"}]}"#)
        let result = InfobipClient.interpretSend(status: 200, headers: [:], body: body)
        #expect(
            result
                == .failure(
                    .invalidResponse(reason: "HTTP 200 body: missing field messages[0].status")
                )
        )
    }

    @Test func textSendReadsSingleEntry() throws {
        let body = TestValues.data(
            #"{"to":"441134960001","messageCount":1,"messageId":"t-1","#
                + #""status":\#(TestValues.pendingEnrouteJSON)}"#
        )
        let entry = try InfobipClient.interpretSendText(status: 200, headers: [:], body: body).get()
        #expect(entry.messageId == "t-1")
        #expect(entry.messageCount == 1)
        #expect(entry.status == TestValues.pendingEnroute)
    }

    @Test func templateKeepsUnknownValuesRaw() throws {
        let body = TestValues.data(
            #"""
            {"templates":[{"id":987,"businessAccountId":"222","name":"future_template",
              "language":"xx_YY",
              "status":"SOME_NEW_STATUS","category":"NEW_CATEGORY","quality":"EXCELLENT",
              "structure":{"body":{"text":"Hi {{1}}"},"type":"TEXT"},"createdAt":"not a date",
              "somethingNew":{"a":1}}]}
            """#
        )
        let templates = try InfobipClient.interpretListTemplates(
            status: 200,
            headers: [:],
            body: body
        ).get()
        let template = try #require(templates.first)
        #expect(template.id == "987")
        #expect(template.businessAccountId == 222)
        #expect(template.status == "SOME_NEW_STATUS")
        #expect(template.category == "NEW_CATEGORY")
        #expect(template.quality == "EXCELLENT")
        #expect(template.language == "xx_YY")
        #expect(template.createdAt == nil)
        #expect(template.lastUpdatedAt == nil)
        let structure = String(decoding: template.structure, as: UTF8.self)
        #expect(structure == #"{"body":{"text":"Hi {{1}}"},"type":"TEXT"}"#)
    }

    @Test func templateWithoutStatusIsInvalid() {
        let body = TestValues.data(
            #"{"templates":[{"id":"1","name":"a","language":"en","category":"UTILITY","#
                + #""structure":{}}]}"#
        )
        let result = InfobipClient.interpretListTemplates(status: 200, headers: [:], body: body)
        #expect(
            result
                == .failure(
                    .invalidResponse(reason: "HTTP 200 body: missing field templates[0].status")
                )
        )
    }

    @Test func createTemplateNotFound() {
        let body = TestValues.data(
            #"{"requestError":{"serviceException":{"messageId":"NOT_FOUND","text":"Not found"}}}"#
        )
        let result = InfobipClient.interpretCreateTemplate(status: 404, headers: [:], body: body)
        let expectedError = InfobipAPIError(
            code: "NOT_FOUND",
            normalizedCode: "E404",
            text: "Not found"
        )
        #expect(result == .failure(.http(status: 404, error: expectedError, retryAfter: nil)))
    }
}

@Suite struct TransportErrorMappingTests {
    @Test(arguments: [
        URLError.Code.cannotFindHost, .dnsLookupFailed, .cannotConnectToHost,
        .notConnectedToInternet, .secureConnectionFailed, .serverCertificateUntrusted,
        .unsupportedURL, .badURL,
    ])
    func unsentErrorsMapToNotSent(code: URLError.Code) {
        let failure = InfobipFailure.fromTransportError(URLError(code))
        guard case .notSent = failure else {
            Issue.record("expected notSent for \(code), got \(failure)")
            return
        }
    }

    @Test(arguments: [
        URLError.Code.timedOut, .networkConnectionLost, .badServerResponse, .cancelled,
        .cannotParseResponse, .unknown,
    ])
    func ambiguousErrorsMapToTimedOut(code: URLError.Code) {
        #expect(InfobipFailure.fromTransportError(URLError(code)) == .timedOut)
    }

    @Test func nonURLErrorMapsToTimedOut() {
        #expect(InfobipFailure.fromTransportError(CancellationError()) == .timedOut)
    }

    @Test func failureCodesAreStable() {
        #expect(InfobipFailure.http(status: 503, error: nil, retryAfter: nil).code == "http_503")
        #expect(InfobipFailure.timedOut.code == "timed_out")
        #expect(InfobipFailure.notSent(reason: "x").code == "not_sent")
        #expect(InfobipFailure.invalidResponse(reason: "x").code == "invalid_response")
    }
}
