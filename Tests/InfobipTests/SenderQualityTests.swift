import Foundation
import Infobip
import Testing

@Suite struct SenderQualityTests {
    @Test func resultsKeepOrderAndRawValues() throws {
        let body = TestValues.data(
            #"""
            {"results":[
              {"sender":"441134960000","qualityRating":"MEDIUM","status":"CONNECTED",
               "currentLimit":"LIMIT_2K","lastUpdated":"2022-02-18T08:12:26.422Z"},
              {"sender":"441134960001","qualityRating":"GREEN","status":"OFFLINE",
               "currentLimit":"TIER_50","extra":true}
            ]}
            """#
        )
        let results = try InfobipClient.interpretSenderQuality(
            status: 200,
            headers: [:],
            body: body
        ).get()

        #expect(results.count == 2)
        #expect(results[0].sender == "441134960000")
        #expect(results[0].qualityRating == "MEDIUM")
        #expect(results[0].status == "CONNECTED")
        #expect(results[0].currentLimit == "LIMIT_2K")
        #expect(results[0].messagingLimit == .uniqueRecipientsPer24Hours(2_000))
        #expect(TestValues.milliseconds(results[0].lastUpdated) == 1_645_171_946_422)
        #expect(results[1].qualityRating == "GREEN")
        #expect(results[1].status == "OFFLINE")
        #expect(results[1].currentLimit == "TIER_50")
        #expect(results[1].messagingLimit == nil)
        #expect(results[1].lastUpdated == nil)
    }

    @Test func missingFieldNamesIndex() {
        let body = TestValues.data(
            #"""
            {"results":[
              {"sender":"441134960000","qualityRating":"HIGH","status":"CONNECTED",
               "currentLimit":"UNLIMITED"},
              {"sender":"441134960001","qualityRating":"HIGH","status":"CONNECTED"}
            ]}
            """#
        )
        let result = InfobipClient.interpretSenderQuality(status: 200, headers: [:], body: body)
        #expect(
            result
                == .failure(
                    .invalidResponse(
                        reason: "HTTP 200 body: missing field results[1].currentLimit"
                    )
                )
        )
    }

    @Test func unparsableLastUpdatedIsNil() throws {
        let body = TestValues.data(
            #"""
            {"results":[{"sender":"1","qualityRating":"HIGH","status":"CONNECTED",
             "currentLimit":"LIMIT_250","lastUpdated":"yesterday"}]}
            """#
        )
        let results = try InfobipClient.interpretSenderQuality(
            status: 200,
            headers: [:],
            body: body
        ).get()
        #expect(results.first?.lastUpdated == nil)
        #expect(results.first?.messagingLimit == .uniqueRecipientsPer24Hours(250))
    }

    @Test func errorStatusIsHTTPFailure() {
        let body = TestValues.legacyErrorBody(code: "BAD_REQUEST", text: "Bad request")
        let result = InfobipClient.interpretSenderQuality(status: 400, headers: [:], body: body)
        let expected = InfobipAPIError(
            code: "BAD_REQUEST",
            normalizedCode: "E400",
            text: "Bad request"
        )
        #expect(result == .failure(.http(status: 400, error: expected, retryAfter: nil)))
    }

    @Test func endpointKeepsCommasLiteral() {
        let endpoint = InfobipEndpoint.senderQuality(senders: ["+441134960000", "441134960001"])
        let url = endpoint.url(baseURL: URL(string: "https://xyz.api.infobip.com")!)
        #expect(endpoint.method == "GET")
        #expect(
            url.absoluteString
                == "https://xyz.api.infobip.com/whatsapp/1/senders/quality"
                + "?senders=%2B441134960000,441134960001"
        )
    }
}

@Suite struct MessagingLimitTests {
    static let limited: [(String, Int)] = [
        ("LIMIT_250", 250), ("LIMIT_2K", 2_000), ("LIMIT_10K", 10_000), ("LIMIT_100K", 100_000),
    ]

    @Test(arguments: limited)
    func tierMapsToRecipients(currentLimit: String, recipients: Int) {
        #expect(
            MessagingLimit(currentLimit: currentLimit) == .uniqueRecipientsPer24Hours(recipients)
        )
    }

    @Test func unlimitedIsNotNil() {
        #expect(MessagingLimit(currentLimit: "UNLIMITED") == .unlimited)
    }

    @Test(arguments: ["LIMIT_NA", "TIER_1K", "", "limit_250"])
    func unusableValueIsNil(currentLimit: String) {
        #expect(MessagingLimit(currentLimit: currentLimit) == nil)
    }
}
