import Foundation
import Infobip
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite struct TemplateSendEncodingTests {
    private func encodedText(_ value: some Encodable) throws -> String {
        String(decoding: try InfobipClient.encodeBody(value), as: UTF8.self)
    }

    @Test func minimalSendEncodesExactJSON() throws {
        let body = TemplateSendRequest(messages: [TestValues.message()])
        let expected =
            #"{"messages":[{"content":{"language":"en_GB","templateData":{"body":"#
            + #"{"placeholders":["Ana","42"]}},"templateName":"order_update"},"#
            + #""from":"441134960000","messageId":"msg-1","to":"441134960001"}]}"#
        #expect(try encodedText(body) == expected)
    }

    @Test func optionalFieldsEncodeWhenSet() throws {
        var message = TestValues.message()
        message.callbackData = "order=17"
        message.notifyUrl = "https://hooks.example.com/infobip/dlr"
        let body = TemplateSendRequest(messages: [message], bulkId: "batch-9")
        let expected =
            #"{"bulkId":"batch-9","messages":[{"callbackData":"order=17","content":"#
            + #"{"language":"en_GB","templateData":{"body":{"placeholders":["Ana","42"]}},"#
            + #""templateName":"order_update"},"from":"441134960000","messageId":"msg-1","#
            + #""notifyUrl":"https://hooks.example.com/infobip/dlr","to":"441134960001"}]}"#
        #expect(try encodedText(body) == expected)
    }

    @Test func emptyPlaceholdersStillSendBody() throws {
        let data = TemplateData(bodyPlaceholders: [])
        #expect(try encodedText(data) == #"{"body":{"placeholders":[]}}"#)
    }

    @Test(arguments: [
        (
            TemplateHeader.text(placeholder: "Spring sale"),
            #"{"placeholder":"Spring sale","type":"TEXT"}"#
        ),
        (
            TemplateHeader.image(mediaURL: "https://cdn.example.com/a.png"),
            #"{"mediaUrl":"https://cdn.example.com/a.png","type":"IMAGE"}"#
        ),
        (
            TemplateHeader.video(mediaURL: "https://cdn.example.com/a.mp4"),
            #"{"mediaUrl":"https://cdn.example.com/a.mp4","type":"VIDEO"}"#
        ),
        (
            TemplateHeader.document(mediaURL: "https://cdn.example.com/a.pdf", filename: "a.pdf"),
            #"{"filename":"a.pdf","mediaUrl":"https://cdn.example.com/a.pdf","type":"DOCUMENT"}"#
        ),
        (
            TemplateHeader.location(latitude: 45.5, longitude: -15.25),
            #"{"latitude":45.5,"longitude":-15.25,"type":"LOCATION"}"#
        ),
    ])
    func headerEncodesWithTypeTag(header: TemplateHeader, expected: String) throws {
        #expect(try encodedText(header) == expected)
    }

    @Test func headerInsideTemplateData() throws {
        let data = TemplateData(bodyPlaceholders: ["x"], header: .text(placeholder: "Hi"))
        let expected =
            #"{"body":{"placeholders":["x"]},"header":{"placeholder":"Hi","type":"TEXT"}}"#
        #expect(try encodedText(data) == expected)
    }

    @Test func buttonsEncodeInOrder() throws {
        let data = TemplateData(
            bodyPlaceholders: [],
            buttons: [
                .quickReply(parameter: "YES"), .url(parameter: "track/17"),
                .copyCode(parameter: "SAVE10"),
            ]
        )
        let expected =
            #"{"body":{"placeholders":[]},"buttons":[{"parameter":"YES","type":"QUICK_REPLY"},"#
            + #"{"parameter":"track/17","type":"URL"},{"parameter":"SAVE10","type":"COPY_CODE"}]}"#
        #expect(try encodedText(data) == expected)
    }

    @Test func emptyButtonsAndNilHeaderOmitted() throws {
        let text = try encodedText(TemplateData(bodyPlaceholders: ["a"], header: nil, buttons: []))
        #expect(!text.contains("buttons"))
        #expect(!text.contains("header"))
    }

    @Test func messageRoundTripsThroughCodable() throws {
        let message = TemplateMessage(
            from: "441134960000",
            to: "441134960001",
            messageId: "msg-2",
            templateName: "promo",
            language: "pt_BR",
            templateData: TemplateData(
                bodyPlaceholders: ["1"],
                header: .document(mediaURL: "https://cdn.example.com/x.pdf", filename: "x.pdf"),
                buttons: [.quickReply(parameter: "STOP")]
            ),
            callbackData: "cb",
            notifyUrl: "https://hooks.example.com"
        )
        let data = try InfobipClient.encodeBody(message)
        #expect(try JSONDecoder().decode(TemplateMessage.self, from: data) == message)
    }

    @Test func unknownHeaderTypeFailsDecoding() {
        let json = TestValues.data(#"{"type":"GIF","mediaUrl":"https://cdn.example.com/a.mp4"}"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TemplateHeader.self, from: json)
        }
    }

    @Test func nonFiniteCoordinateIsInvalidBody() {
        let data = TemplateData(header: .location(latitude: .nan, longitude: 0))
        let messages = [TestValues.message(templateData: data)]
        #expect(throws: InfobipError.self) {
            try InfobipClient.makeSendRequest(
                messages,
                bulkId: nil,
                credentials: TestValues.credentials
            )
        }
    }

    @Test func sendRequestHasInfobipHeaders() throws {
        let request = try InfobipClient.makeSendRequest(
            [TestValues.message()],
            bulkId: nil,
            credentials: TestValues.credentials
        )
        #expect(request.httpMethod == "POST")
        #expect(
            request.url?.absoluteString == "https://xyz.api.infobip.com/whatsapp/1/message/template"
        )
        #expect(request.value(forHTTPHeaderField: "Authorization") == "App \(TestValues.apiKey)")
        #expect(request.value(forHTTPHeaderField: "Content-Type") == "application/json")
        #expect(request.value(forHTTPHeaderField: "Accept") == "application/json")
        let body = try #require(request.httpBody)
        let expected = try InfobipClient.encodeBody(
            TemplateSendRequest(messages: [TestValues.message()])
        )
        #expect(body == expected)
    }

    @Test func sendRequestUsesGivenTimeout() throws {
        let request = try InfobipClient.makeSendRequest(
            [TestValues.message()],
            bulkId: nil,
            credentials: TestValues.credentials,
            timeout: .milliseconds(2500)
        )
        #expect(request.timeoutInterval == 2.5)
    }

    @Test func getRequestHasNoContentType() {
        let request = InfobipClient.makeRequest(
            .listTemplates(sender: "441134960000"),
            body: nil,
            credentials: TestValues.credentials
        )
        #expect(request.httpMethod == "GET")
        #expect(request.value(forHTTPHeaderField: "Content-Type") == nil)
        #expect(request.value(forHTTPHeaderField: "Accept") == "application/json")
        #expect(request.httpBody == nil)
    }

    @Test func textSendEncodesExactJSON() throws {
        let message = TextMessage(
            from: "441134960000",
            to: "441134960001",
            messageId: "t-1",
            text: "Hi"
        )
        let expected =
            #"{"content":{"text":"Hi"},"from":"441134960000","messageId":"t-1","#
            + #""to":"441134960001"}"#
        #expect(try encodedText(message) == expected)
    }
}

@Suite struct InfobipCredentialsTests {
    @Test(arguments: [
        "abc-123", "App abc-123", "app abc-123", "  App   abc-123 ", "APP abc-123\n",
    ])
    func authorizationHeaderNotDoubled(apiKey: String) {
        let credentials = InfobipCredentials(
            baseURL: URL(string: "https://xyz.api.infobip.com")!,
            apiKey: apiKey
        )
        #expect(credentials.authorizationHeader == "App abc-123")
    }

    @Test func descriptionHidesApiKey() {
        let credentials = TestValues.credentials
        #expect(!"\(credentials)".contains(TestValues.apiKey))
        #expect(!String(reflecting: credentials).contains(TestValues.apiKey))
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains(TestValues.apiKey))
    }
}

@Suite struct InfobipEndpointTests {
    @Test func senderIsPercentEncodedInPath() {
        let endpoint = InfobipEndpoint.createTemplate(sender: "+44 113/496")
        #expect(endpoint.method == "POST")
        #expect(endpoint.path == "/whatsapp/2/senders/%2B44%20113%2F496/templates")
    }

    @Test func listTemplatesPath() {
        let endpoint = InfobipEndpoint.listTemplates(sender: "441134960000")
        #expect(endpoint.method == "GET")
        #expect(endpoint.path == "/whatsapp/2/senders/441134960000/templates")
    }

    @Test func urlKeepsBasePathAndQuery() {
        let base = URL(string: "http://127.0.0.1:8080/infobip/")!
        let url = InfobipEndpoint.searchTemplates(page: 2, size: 100).url(baseURL: base)
        #expect(
            url.absoluteString
                == "http://127.0.0.1:8080/infobip/whatsapp/1/templates?page=2&size=100"
        )
    }

    @Test func urlOnBareHost() {
        let base = URL(string: "https://xyz.api.infobip.com")!
        let url = InfobipEndpoint.sendText.url(baseURL: base)
        #expect(url.absoluteString == "https://xyz.api.infobip.com/whatsapp/1/message/text")
    }
}
