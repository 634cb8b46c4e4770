import Foundation
import Infobip
import Testing

@Suite struct InfobipAPIErrorTests {
    @Test(arguments: [
        ("BAD_REQUEST", "E400"), ("UNAUTHORIZED", "E401"), ("FORBIDDEN", "E403"),
        ("NOT_FOUND", "E404"), ("TOO_MANY_REQUESTS", "E429"), ("GENERAL_ERROR", "E500"),
    ])
    func legacyCodesNormalize(code: String, normalized: String) throws {
        let body = TestValues.legacyErrorBody(code: code, text: "t")
        let error = try #require(InfobipAPIError.parse(body))
        #expect(error.code == code)
        #expect(error.normalizedCode == normalized)
        #expect(error.text == "t")
        #expect(error.validationErrors.isEmpty)
    }

    @Test func unknownLegacyCodeUsesStatus() throws {
        let body = TestValues.legacyErrorBody(code: "CONFLICT", text: "Conflict")
        let withStatus = try #require(InfobipAPIError.parse(body, status: 409))
        #expect(withStatus.code == "CONFLICT")
        #expect(withStatus.normalizedCode == "E409")
        let withoutStatus = try #require(InfobipAPIError.parse(body))
        #expect(withoutStatus.normalizedCode == "CONFLICT")
    }

    @Test func legacyValidationErrorsKept() throws {
        let body = TestValues.data(
            #"""
            {"requestError":{"serviceException":{"messageId":"BAD_REQUEST","text":"Bad request",
            "validationErrors":{"messages[0].to":
              ["must not be blank","size must be between 1 and 150"]}}}}
            """#
        )
        let error = try #require(InfobipAPIError.parse(body, status: 400))
        #expect(
            error.validationErrors["messages[0].to"]
                == ["must not be blank", "size must be between 1 and 150"]
        )
    }

    @Test func policyExceptionParses() throws {
        let body = TestValues.data(
            #"{"requestError":{"policyException":{"messageId":"FORBIDDEN","text":"Forbidden"}}}"#
        )
        let error = try #require(InfobipAPIError.parse(body, status: 403))
        #expect(error.code == "FORBIDDEN")
        #expect(error.normalizedCode == "E403")
    }

    @Test func apiErrorShapeParses() throws {
        let body = TestValues.data(
            #"""
            {"errorCode":"E400","description":"Request cannot be processed.","action":"Fix it.",
             "violations":[{"property":"status","violation":"Provide one of the valid values."},
                           {"property":"status","violation":"Second."},
                           {"property":"size","violation":"Too big."}],
             "resources":[]}
            """#
        )
        let error = try #require(InfobipAPIError.parse(body, status: 400))
        #expect(error.code == "E400")
        #expect(error.normalizedCode == "E400")
        #expect(error.text == "Request cannot be processed.")
        #expect(error.action == "Fix it.")
        #expect(
            error.validationErrors["status"] == ["Provide one of the valid values.", "Second."]
        )
        #expect(error.validationErrors["size"] == ["Too big."])
    }

    @Test func plainErrorFieldParses() throws {
        let error = try #require(
            InfobipAPIError.parse(TestValues.data(#"{"error":"Message not found"}"#), status: 400)
        )
        #expect(error.code == "E400")
        #expect(error.text == "Message not found")
    }

    @Test(arguments: ["", "<html>502 Bad Gateway</html>", "{}", "[]", #"{"requestError":{}}"#])
    func unknownBodiesGiveNil(body: String) {
        #expect(InfobipAPIError.parse(TestValues.data(body), status: 502) == nil)
    }
}
