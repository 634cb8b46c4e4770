import Foundation
import Testing

@testable import InfobipSimulator

@Suite struct TemplateSendValidationTests {
    let simulator = makeSimulator()

    func errors(for body: JSONValue) async -> (Int, [String: JSONValue], JSONValue?) {
        let response = await simulator.call("POST", "/whatsapp/1/message/template", json: body)
        return (response.status, validationErrors(response.body), response.body)
    }

    @Test func missingMessagesIsRejected() async {
        let (status, errors, body) = await errors(for: [:])
        #expect(status == 400)
        #expect(errorCode(body) == "BAD_REQUEST")
        #expect(body?["requestError"]?["serviceException"]?["text"] == "Bad request")
        #expect(errors["messages"] == ["must not be null"])
    }

    @Test func emptyMessagesArrayIsRejected() async {
        let (status, errors, _) = await errors(for: ["messages": []])
        #expect(status == 400)
        #expect(errors["messages"] == ["must not be empty"])
    }

    @Test func missingPlaceholdersUsesFullPath() async {
        var message = templateMessage().objectValue ?? [:]
        message["content"] = [
            "templateName": "template_name", "language": "en",
            "templateData": ["body": [:]],
        ]
        let (status, errors, _) = await errors(for: ["messages": [.object(message)]])
        #expect(status == 400)
        #expect(
            errors["messages[0].content.templateData.body.placeholders"] == ["must not be null"]
        )
        #expect(errors.count == 1)
    }

    @Test func emptyPlaceholderElementIsRejected() async {
        let message = templateMessage(placeholders: ["fine", ""])
        let (_, errors, _) = await errors(for: ["messages": [templateMessage(), message]])
        #expect(
            errors["messages[1].content.templateData.body.placeholders[1]"] == ["must not be empty"]
        )
        #expect(errors.count == 1)
    }

    @Test func emptyPlaceholdersArrayIsAccepted() async {
        let message = templateMessage(messageId: uniqueMessageId(), placeholders: [])
        let response = await simulator.sendTemplates([message])
        #expect(response.status == 200)
    }

    @Test func fieldLengthLimitsAreChecked() async {
        let message: JSONValue = [
            "from": .string(String(repeating: "1", count: 25)),
            "to": .string(String(repeating: "2", count: 151)),
            "messageId": .string(String(repeating: "m", count: 201)),
            "callbackData": .string(String(repeating: "c", count: 4001)),
            "notifyUrl": .string("http://127.0.0.1/" + String(repeating: "u", count: 2040)),
            "content": [
                "templateName": "Bad-Name", "templateData": ["body": ["placeholders": []]],
            ],
        ]
        let (_, errors, _) = await errors(for: ["messages": [message]])
        #expect(errors["messages[0].from"] == ["size must be between 1 and 24"])
        #expect(errors["messages[0].to"] == ["size must be between 1 and 150"])
        #expect(errors["messages[0].messageId"] == ["size must be between 0 and 200"])
        #expect(errors["messages[0].callbackData"] == ["size must be between 0 and 4000"])
        #expect(errors["messages[0].notifyUrl"] == ["size must be between 0 and 2048"])
        #expect(
            errors["messages[0].content.templateName"] == [.string(FieldFormat.templateNameMessage)]
        )
        #expect(errors["messages[0].content.language"] == ["must not be null"])
    }

    @Test func missingFromAndContentAreRejected() async {
        let (_, errors, _) = await errors(for: ["messages": [["to": "441134960001"]]])
        #expect(errors["messages[0].from"] == ["must not be null"])
        #expect(errors["messages[0].content"] == ["must not be null"])
    }

    @Test func blankFromGetsBothMessages() async {
        var message = templateMessage().objectValue ?? [:]
        message["from"] = ""
        let (_, errors, _) = await errors(for: ["messages": [.object(message)]])
        #expect(
            errors["messages[0].from"] == ["size must be between 1 and 24", "must not be blank"]
        )
    }

    @Test(arguments: [" ", "\t\n\r", "\u{00A0}\u{2003}", "\u{200B}", "\u{3000} "])
    func whitespaceOnlyFromIsBlank(from: String) async {
        var message = templateMessage().objectValue ?? [:]
        message["from"] = .string(from)
        let (_, errors, _) = await errors(for: ["messages": [.object(message)]])
        #expect(errors["messages[0].from"] == ["must not be blank"])
    }

    @Test func fromWithTextIsNotBlank() async {
        var message = templateMessage().objectValue ?? [:]
        message["from"] = " 4411\u{00A0}"
        let (status, errors, _) = await errors(for: ["messages": [.object(message)]])
        #expect(status == 200)
        #expect(errors["messages[0].from"] == nil)
    }

    @Test func headerRulesFollowHeaderType() async {
        let headers: [(JSONValue, String, JSONValue)] = [
            (["type": "TEXT"], "placeholder", ["must not be null"]),
            (
                ["type": "TEXT", "placeholder": "a\tb"], "placeholder",
                [.string(FieldFormat.headerPlaceholderMessage)]
            ),
            (["type": "IMAGE"], "mediaUrl", ["must not be null"]),
            (
                ["type": "VIDEO", "mediaUrl": ""], "mediaUrl",
                ["size must be between 1 and 2048", "is not a valid url", "must not be blank"]
            ),
            (["type": "GIF", "mediaUrl": "not a url"], "mediaUrl", ["is not a valid url"]),
            (
                ["type": "DOCUMENT", "mediaUrl": "https://example.com/a.pdf"], "filename",
                ["must not be null"]
            ),
            (
                ["type": "DOCUMENT", "mediaUrl": "https://example.com/a.pdf", "filename": ""],
                "filename", ["size must be between 1 and 240", "must not be blank"]
            ),
            (
                ["type": "LOCATION", "latitude": 91, "longitude": 0], "latitude",
                ["must be less than or equal to 90"]
            ),
            (
                ["type": "LOCATION", "latitude": 0, "longitude": -180.5], "longitude",
                ["must be greater than or equal to -180"]
            ),
            (
                ["type": "AUDIO"], "type",
                ["must be one of TEXT, DOCUMENT, IMAGE, VIDEO, LOCATION, GIF"]
            ),
        ]
        for (header, field, expected) in headers {
            let message = messageWithTemplateData(["body": ["placeholders": []], "header": header])
            let (status, errors, _) = await errors(for: ["messages": [message]])
            #expect(status == 400, "header \(header)")
            #expect(
                errors["messages[0].content.templateData.header.\(field)"] == expected,
                "header \(header)"
            )
        }
    }

    @Test func buttonRulesFollowButtonType() async {
        let cases: [(JSONValue, String, JSONValue)] = [
            ([["type": "QUICK_REPLY"]], "[0].parameter", ["must not be null"]),
            ([["type": "URL", "parameter": ""]], "[0].parameter", ["must not be blank"]),
            (
                [["type": "COPY_CODE", "parameter": "0123456789abcdef"]], "[0].parameter",
                ["size must be between 1 and 15"]
            ),
            (
                [["type": "VOICE_CALL", "callValidityPeriod": 0]], "[0].callValidityPeriod",
                ["must be greater than or equal to 1"]
            ),
            (
                [["type": "CALL"]], "[0].type",
                [
                    .string(
                        "must be one of "
                            + TemplateSendValidator.buttonTypes.joined(separator: ", ")
                    )
                ]
            ),
            (
                [["type": "CATALOG"], ["type": "QUICK_REPLY", "parameter": "x"]], "",
                ["a CATALOG button must be the only button"]
            ),
            (
                [
                    ["type": "COPY_CODE", "parameter": "a"],
                    ["type": "COPY_CODE", "parameter": "b"],
                ],
                "", ["must contain at most 1 COPY_CODE button"]
            ),
            (
                .array(Array(repeating: ["type": "QUICK_REPLY", "parameter": "x"], count: 11)),
                "", ["size must be between 0 and 10"]
            ),
        ]
        for (buttons, suffix, expected) in cases {
            let message = messageWithTemplateData([
                "body": ["placeholders": []], "buttons": buttons,
            ])
            let (status, errors, _) = await errors(for: ["messages": [message]])
            #expect(status == 400, "buttons \(buttons)")
            #expect(
                errors["messages[0].content.templateData.buttons\(suffix)"] == expected,
                "buttons \(buttons)"
            )
        }
    }

    @Test func bodyThatIsNotJSONIsRejected() async {
        let response = await simulator.call(
            "POST",
            "/whatsapp/1/message/template",
            rawBody: Data("{not json".utf8)
        )
        #expect(response.status == 400)
        #expect(errorCode(response.body) == "BAD_REQUEST")
        #expect(validationErrors(response.body).isEmpty)
    }

    @Test func invalidRequestAcceptsNoMessage() async {
        let valid = templateMessage(messageId: uniqueMessageId())
        let invalid = templateMessage(placeholders: [nil])
        let response = await simulator.sendTemplates([valid, invalid])
        #expect(response.status == 400)
        #expect(
            validationErrors(response.body)["messages[1].content.templateData.body.placeholders[0]"]
                == ["must not be null"]
        )
        let stats = await simulator.call("GET", "/simulator/stats", apiKey: nil)
        #expect(stats.body?["messagesAccepted"] == 0)
        #expect(stats.body?["templateRequests"] == 1)
    }

    private func messageWithTemplateData(_ templateData: JSONValue) -> JSONValue {
        [
            "from": "441134960000", "to": "441134960001",
            "content": [
                "templateName": "template_name", "language": "en", "templateData": templateData,
            ],
        ]
    }
}
