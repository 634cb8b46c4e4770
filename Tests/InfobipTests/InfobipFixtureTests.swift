import Foundation
import Infobip
import Testing

/// Reads Infobip's published example payloads from the folder in `INFOBIP_FIXTURES_DIR`.
enum Fixtures {
    static let directory = ProcessInfo.processInfo.environment["INFOBIP_FIXTURES_DIR"]

    static func load(_ name: String) throws -> Data {
        let folder = try #require(directory, "INFOBIP_FIXTURES_DIR is not set")
        return try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
    }

    /// One error fixture and what parsing it must give.
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var file: String
        var status: Int
        var code: String
        var normalizedCode: String
        var text: String
        var action: String? = nil
        var validationErrors: [String: [String]] = [:]

        var testDescription: String { file }
    }

    static let legacyErrors: [ErrorCase] = [
        ErrorCase(
            file: "error-400.json",
            status: 400,
            code: "BAD_REQUEST",
            normalizedCode: "E400",
            text: "Bad request"
        ),
        ErrorCase(
            file: "error-400-validation-filename.json",
            status: 400,
            code: "BAD_REQUEST",
            normalizedCode: "E400",
            text: "Bad request",
            validationErrors: [
                "content.templateData.header.filename": ["size must be between 1 and 240"]
            ]
        ),
        ErrorCase(
            file: "error-400-validation-header-placeholder.json",
            status: 400,
            code: "BAD_REQUEST",
            normalizedCode: "E400",
            text: "Bad request",
            validationErrors: [
                "content.templateData.header.placeholder": [
                    "cannot have new-line/tab characters or more than 4 consecutive spaces"
                ]
            ]
        ),
        ErrorCase(
            file: "error-400-validation-media-url.json",
            status: 400,
            code: "BAD_REQUEST",
            normalizedCode: "E400",
            text: "Bad request",
            validationErrors: [
                "content.templateData.header.mediaUrl": [
                    "size must be between 1 and 2048", "is not a valid url", "must not be blank",
                ]
            ]
        ),
        ErrorCase(
            file: "error-401.json",
            status: 401,
            code: "UNAUTHORIZED",
            normalizedCode: "E401",
            text: "Unauthorized"
        ),
        ErrorCase(
            file: "error-401-go-sdk.json",
            status: 401,
            code: "UNAUTHORIZED",
            normalizedCode: "E401",
            text: "Invalid login details"
        ),
        ErrorCase(
            file: "error-403.json",
            status: 403,
            code: "FORBIDDEN",
            normalizedCode: "E403",
            text: "Forbidden"
        ),
        ErrorCase(
            file: "error-404.json",
            status: 404,
            code: "NOT_FOUND",
            normalizedCode: "E404",
            text: "Not found"
        ),
        ErrorCase(
            file: "error-429.json",
            status: 429,
            code: "TOO_MANY_REQUESTS",
            normalizedCode: "E429",
            text: "Too many requests"
        ),
        ErrorCase(
            file: "error-500.json",
            status: 500,
            code: "GENERAL_ERROR",
            normalizedCode: "E500",
            text: "Something went wrong. Please contact support."
        ),
        ErrorCase(
            file: "text-error-400-validation.json",
            status: 400,
            code: "BAD_REQUEST",
            normalizedCode: "E400",
            text: "Bad request",
            validationErrors: [
                "content.text": ["size must be between 1 and 4096", "must not be blank"]
            ]
        ),
        ErrorCase(
            file: "template-create-error-404.json",
            status: 404,
            code: "NOT_FOUND",
            normalizedCode: "E404",
            text: "Not found"
        ),
    ]

    static let apiErrors: [ErrorCase] = [
        ErrorCase(
            file: "error-apierror-400.json",
            status: 400,
            code: "E400",
            normalizedCode: "E400",
            text: "Request cannot be processed.",
            action: "Check the syntax, violations and adjust the request."
        ),
        ErrorCase(
            file: "error-apierror-400-violation.json",
            status: 400,
            code: "E400",
            normalizedCode: "E400",
            text: "Request cannot be processed.",
            action: "Check the syntax, violations and adjust the request.",
            validationErrors: ["status": ["Provide one of the valid values."]]
        ),
        ErrorCase(
            file: "error-apierror-401.json",
            status: 401,
            code: "E401",
            normalizedCode: "E401",
            text: "The request lacks valid authentication credentials for the requested resource.",
            action: "Check the resources and adjust authentication credentials."
        ),
        ErrorCase(
            file: "error-apierror-403.json",
            status: 403,
            code: "E403",
            normalizedCode: "E403",
            text: "Insufficient permissions to access the requested resource.",
            action: "Repeat the request with new or different credentials."
        ),
        ErrorCase(
            file: "error-apierror-429.json",
            status: 429,
            code: "E429",
            normalizedCode: "E429",
            text: "Too many requests sent.",
            action: "Check request rate limit specified in the API endpoint documentation resource."
        ),
        ErrorCase(
            file: "error-apierror-500.json",
            status: 500,
            code: "E500",
            normalizedCode: "E500",
            text: "Something went wrong.",
            action: "Contact the support."
        ),
    ]

    static let templateCreateResponses = [
        "template-create-response.json",
        "template-create-response-media-with-buttons.json",
        "template-create-response-authentication.json",
    ]

    static let templateListResponses = [
        "template-list-response.json", "template-list-response-media.json",
    ]

    static let templateUpdateEvents = [
        "template-update-event-approved.json",
        "template-update-event-approved-php-sdk.json",
        "template-update-event-rejected.json",
        "template-update-event-flagged.json",
        "template-update-event-category-change.json",
        "template-update-event-quality-change.json",
    ]

    static let deliveryReports = [
        "delivery-report-delivered.json",
        "delivery-report-delivered-php-sdk.json",
        "delivery-report-failed-rcs-reference.json",
    ]

    static let seenReports = ["seen-report.json", "seen-report-php-sdk.json"]

    static let inboundMessages = [
        "inbound-text-message.json",
        "inbound-button-message.json",
        "inbound-text-message-php-sdk.json",
    ]

    static let templateSendRequests = [
        "template-send-request.json",
        "template-send-request-bulk.json",
        "template-send-request-text-header.json",
        "template-send-request-document-header.json",
        "template-send-request-image-header.json",
        "template-send-request-video-header.json",
        "template-send-request-location-header.json",
        "template-send-request-quick-reply-buttons.json",
        "template-send-request-dynamic-url-button.json",
        "template-send-request-static-url-button.json",
        "template-send-request-sms-failover.json",
        "template-send-request-authentication-copy-code.json",
    ]

    static let textSendRequests = ["text-send-request.json", "text-send-request-preview-url.json"]

    /// Every file a test in this suite parses and checks.
    static var checkedFiles: Set<String> {
        var files: Set<String> = [
            "template-send-response.json", "text-send-response.json",
            "account-templates-response.json", "senders-quality-response.json",
        ]
        files.formUnion((legacyErrors + apiErrors).map(\.file))
        files.formUnion(templateCreateResponses)
        files.formUnion(templateListResponses)
        files.formUnion(templateUpdateEvents)
        files.formUnion(deliveryReports)
        files.formUnion(seenReports)
        files.formUnion(inboundMessages)
        files.formUnion(templateSendRequests)
        files.formUnion(textSendRequests)
        return files
    }

    /// Returns whether this module leaves the file unparsed by design. Template-create request
    /// bodies are passed through unchanged. Most of the spec's collected send examples use
    /// carousel, flow and other content this module does not model. The notes file has no
    /// parser here.
    static func isUnparsedByDesign(_ name: String) -> Bool {
        name == "SOURCES.md"
            || name == "template-send-request-all-spec-examples.json"
            || name.hasPrefix("template-create-request")
    }
}

@Suite(.enabled(if: ProcessInfo.processInfo.environment["INFOBIP_FIXTURES_DIR"] != nil))
struct InfobipFixtureTests {
    private static let exampleMessageId = "a28dd97c-1ffb-4fcf-99f1-0b557ed381da"

    @Test func everyFixtureIsChecked() throws {
        let folder = try #require(Fixtures.directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!names.isEmpty)
        let unchecked = names.filter {
            !Fixtures.isUnparsedByDesign($0) && !Fixtures.checkedFiles.contains($0)
        }
        #expect(unchecked.sorted() == [], "no test checks these fixtures")
        let missing = Fixtures.checkedFiles.filter { !names.contains($0) }
        #expect(missing.sorted() == [], "these checked fixtures are missing from the folder")
    }

    @Test func templateSendResponseParses() throws {
        let body = try Fixtures.load("template-send-response.json")
        let entries = try InfobipClient.interpretSend(status: 200, headers: [:], body: body).get()
        #expect(entries.count == 1)
        #expect(entries.first?.to == "441134960001")
        #expect(entries.first?.messageCount == 1)
        #expect(entries.first?.messageId == Self.exampleMessageId)
        #expect(entries.first?.status == TestValues.pendingEnroute)
    }

    @Test func textSendResponseParses() throws {
        let body = try Fixtures.load("text-send-response.json")
        let entry = try InfobipClient.interpretSendText(status: 200, headers: [:], body: body).get()
        #expect(entry.to == "441134960001")
        #expect(entry.messageId == Self.exampleMessageId)
        #expect(entry.status == TestValues.pendingEnroute)
    }

    @Test(arguments: Fixtures.legacyErrors + Fixtures.apiErrors)
    func errorFixtureParses(expected: Fixtures.ErrorCase) throws {
        let body = try Fixtures.load(expected.file)
        let error = InfobipAPIError(
            code: expected.code,
            normalizedCode: expected.normalizedCode,
            text: expected.text,
            action: expected.action,
            validationErrors: expected.validationErrors
        )
        let result = InfobipClient.interpretSend(status: expected.status, headers: [:], body: body)
        #expect(result == .failure(.http(status: expected.status, error: error, retryAfter: nil)))
        #expect(InfobipAPIError.parse(body, status: expected.status) == error)
    }

    @Test func templateCreateErrorGoesThroughCreate() throws {
        let body = try Fixtures.load("template-create-error-404.json")
        let result = InfobipClient.interpretCreateTemplate(status: 404, headers: [:], body: body)
        let error = InfobipAPIError(code: "NOT_FOUND", normalizedCode: "E404", text: "Not found")
        #expect(result == .failure(.http(status: 404, error: error, retryAfter: nil)))
    }

    @Test(arguments: Fixtures.templateCreateResponses)
    func templateCreateResponseParses(file: String) throws {
        let body = try Fixtures.load(file)
        let template = try InfobipClient.interpretCreateTemplate(
            status: 201,
            headers: [:],
            body: body
        ).get()
        #expect(template.id == "111")
        #expect(template.businessAccountId == 222)
        #expect(template.language == "en")
        #expect(template.status == "APPROVED")
        #expect(TestValues.milliseconds(template.createdAt) == 1_704_067_200_000)
        #expect(TestValues.milliseconds(template.lastUpdatedAt) == 1_704_067_200_000)

        let structure = try #require(try TestValues.jsonObject(template.structure) as? NSDictionary)
        let fixture = try #require(try TestValues.jsonObject(body) as? NSDictionary)
        #expect(structure == fixture["structure"] as? NSDictionary)

        switch file {
        case "template-create-response.json":
            #expect(template.name == "text_template")
            #expect(template.category == "MARKETING")
            #expect(template.quality == "UNKNOWN")
        case "template-create-response-media-with-buttons.json":
            #expect(template.name == "media_template_with_buttons")
            #expect(template.category == "MARKETING")
            #expect(template.quality == "LOW")
        default:
            #expect(template.name == "authentication_template")
            #expect(template.category == "AUTHENTICATION")
            #expect(template.quality == "HIGH")
        }
    }

    @Test(arguments: Fixtures.templateListResponses)
    func templateListResponseParses(file: String) throws {
        let body = try Fixtures.load(file)
        let templates = try InfobipClient.interpretListTemplates(
            status: 200,
            headers: [:],
            body: body
        ).get()
        #expect(templates.count == 1)
        let template = try #require(templates.first)
        #expect(template.id == "111")
        #expect(template.status == "APPROVED")
        #expect(TestValues.milliseconds(template.createdAt) == 1_704_067_200_000)
        let expectedName =
            file == "template-list-response.json" ? "text_template" : "media_template_with_buttons"
        #expect(template.name == expectedName)
    }

    @Test func accountTemplatesResponseParses() throws {
        let body = try Fixtures.load("account-templates-response.json")
        let page = try InfobipClient.interpretTemplatePage(status: 200, headers: [:], body: body)
            .get()
        #expect(page.templates.map(\.name) == ["text_template", "media_template"])
        #expect(page.templates.map(\.quality) == ["UNKNOWN", "HIGH"])
        #expect(page.page == 0)
        #expect(page.size == 2)
        #expect(page.totalPages == 5)
        #expect(page.totalResults == 10)
    }

    @Test func sendersQualityResponseParses() throws {
        let body = try Fixtures.load("senders-quality-response.json")
        let results = try InfobipClient.interpretSenderQuality(
            status: 200,
            headers: [:],
            body: body
        )
        .get()
        #expect(results.count == 2)
        let first = try #require(results.first)
        #expect(first.sender == "441134960000")
        #expect(first.qualityRating == "MEDIUM")
        #expect(first.status == "CONNECTED")
        #expect(first.currentLimit == "LIMIT_100K")
        #expect(first.messagingLimit == .uniqueRecipientsPer24Hours(100_000))
        #expect(TestValues.milliseconds(first.lastUpdated) == 1_645_171_946_422)
        let last = try #require(results.last)
        #expect(last.sender == "441134960001")
        #expect(last.qualityRating == "LOW")
        #expect(last.status == "BANNED")
        #expect(last.currentLimit == "UNLIMITED")
        #expect(last.messagingLimit == .unlimited)
        #expect(TestValues.milliseconds(last.lastUpdated) == 1_645_171_946_420)
    }

    @Test(arguments: Fixtures.deliveryReports)
    func deliveryReportParses(file: String) throws {
        guard case .deliveryReports(let items) = try InfobipWebhook.parse(try Fixtures.load(file))
        else {
            Issue.record("\(file) did not parse as delivery reports")
            return
        }
        #expect(items.count == 1)
        let report = try #require(items.first?.value)
        #expect(report.messageCount == 1)

        if file == "delivery-report-failed-rcs-reference.json" {
            #expect(report.messageId == "msg-abc123")
            #expect(report.to == "385911234567")
            #expect(report.bulkId == "BULK-123456")
            #expect(report.status.groupId == 2)
            #expect(report.status.name == "UNDELIVERABLE_REJECTED_OPERATOR")
            #expect(report.error?.id == 7002)
            #expect(report.error?.name == "EC_UNKNOWN_USER")
            #expect(report.error?.groupName == "HANDSET_ERRORS")
            #expect(report.error?.permanent == true)
            #expect(report.callbackData == "custom-user-data")
            #expect(TestValues.milliseconds(report.sentAt) == 1_772_544_150_000)
            #expect(TestValues.milliseconds(report.doneAt) == 1_772_544_155_000)
        } else {
            #expect(report.messageId == "fb469d73-d362-463f-b30f-1e959b53badc")
            #expect(report.to == "41793026731")
            #expect(report.bulkId == "")
            #expect(report.status.groupName == "DELIVERED")
            #expect(report.status.id == 5)
            #expect(report.status.name == "DELIVERED_TO_HANDSET")
            #expect(report.error?.id == 0)
            #expect(report.error?.name == "NO_ERROR")
            #expect(report.error?.permanent == false)
            #expect(report.price == MessagePrice(pricePerMessage: 0.21, currency: "BRL"))
            #expect(TestValues.milliseconds(report.sentAt) == 1_554_836_458_647)
            #expect(TestValues.milliseconds(report.doneAt) == 1_554_836_516_494)
        }

        if file == "delivery-report-delivered.json" {
            #expect(report.contact?.userId == "US.1349120865530274191")
            #expect(report.contact?.phoneNumber == "41793026731")
        }
    }

    @Test(arguments: Fixtures.seenReports)
    func seenReportParses(file: String) throws {
        guard case .seenReports(let items) = try InfobipWebhook.parse(try Fixtures.load(file))
        else {
            Issue.record("\(file) did not parse as seen reports")
            return
        }
        #expect(items.count == 1)
        let report = try #require(items.first?.value)
        #expect(report.messageId == "1215f543ab19-345f-adbd-12ad31451ed25f35")
        #expect(report.from == "385919998888")
        #expect(report.to == "41793026731")
        #expect(report.applicationId == "example-application-id")
        #expect(TestValues.milliseconds(report.sentAt) == 1_544_613_717_793)
        #expect(TestValues.milliseconds(report.seenAt) == 1_544_613_718_251)
    }

    @Test(arguments: Fixtures.inboundMessages)
    func inboundMessageParses(file: String) throws {
        guard case .inboundMessages(let items) = try InfobipWebhook.parse(try Fixtures.load(file))
        else {
            Issue.record("\(file) did not parse as inbound messages")
            return
        }
        #expect(items.count == 1)
        let message = try #require(items.first?.value)
        #expect(message.from == "385919998888")
        #expect(message.to == "41793026731")
        #expect(message.contact?.name == "Frank")

        switch file {
        case "inbound-text-message.json":
            #expect(message.messageId.hasPrefix("wamid.HBgL"))
            #expect(message.type == "TEXT")
            #expect(message.text == "Hello, World!")
            #expect(TestValues.milliseconds(message.receivedAt) == 1_735_726_200_000)
        case "inbound-button-message.json":
            #expect(message.type == "BUTTON")
            #expect(message.text == "Button text")
            #expect(message.payload == "Payload")
            #expect(message.callbackData == "callbackData")
        default:
            #expect(message.messageId == "ABEGOFl3VCQoAhBalbc6rTQT6mgS29EmGZ7a")
            #expect(message.type == "TEXT")
            #expect(message.text == "Support hello")
            #expect(TestValues.milliseconds(message.receivedAt) == 1_563_535_406_998)
        }
    }

    @Test(arguments: Fixtures.templateUpdateEvents)
    func templateUpdateEventParses(file: String) throws {
        guard case .templateUpdate(let event) = try InfobipWebhook.parse(try Fixtures.load(file))
        else {
            Issue.record("\(file) did not parse as a template update event")
            return
        }
        #expect(event.templateId == "111")
        #expect(event.templateName == "template_name")
        #expect(event.language == "en")
        #expect(event.entityId == "123456")
        #expect(TestValues.milliseconds(event.timestamp) == 1_573_315_200_000)

        switch file {
        case "template-update-event-approved.json", "template-update-event-approved-php-sdk.json":
            #expect(event.changeType == "TEMPLATE_STATUS_UPDATE")
            #expect(event.newStatus == "APPROVED")
            #expect(event.reason == "NONE")
        case "template-update-event-rejected.json":
            #expect(event.newStatus == "REJECTED")
            #expect(event.reason == "SCAM")
        case "template-update-event-flagged.json":
            #expect(event.newStatus == "FLAGGED")
            #expect(event.reason == nil)
        case "template-update-event-category-change.json":
            #expect(event.changeType == "TEMPLATE_CATEGORY_UPDATE")
            #expect(event.previousCategory == "MARKETING")
            #expect(event.newCategory == "UTILITY")
            #expect(event.newStatus == nil)
        default:
            #expect(event.changeType == "TEMPLATE_QUALITY_UPDATE")
            #expect(event.previousQuality == "LOW")
            #expect(event.newQuality == "HIGH")
        }
    }

    /// Decodes each of Infobip's send examples and checks that encoding it again gives the
    /// example's values for every field this module models.
    @Test(arguments: Fixtures.templateSendRequests)
    func templateSendRequestRoundTrips(file: String) throws {
        let fixtureData = try Fixtures.load(file)
        let request = try JSONDecoder().decode(TemplateSendRequest.self, from: fixtureData)
        let encoded = try InfobipClient.encodeBody(request)

        let fixture = try #require(try TestValues.jsonObject(fixtureData) as? NSDictionary)
        let ours = try #require(try TestValues.jsonObject(encoded) as? NSDictionary)
        #expect(ours["bulkId"] as? String == fixture["bulkId"] as? String)
        let fixtureMessages = try #require(fixture["messages"] as? [NSDictionary])
        let ourMessages = try #require(ours["messages"] as? [NSDictionary])
        #expect(ourMessages.count == fixtureMessages.count)
        for (our, theirs) in zip(ourMessages, fixtureMessages) {
            for key in ["from", "to", "messageId", "callbackData", "notifyUrl"] {
                #expect(
                    our[key] as? NSObject == theirs[key] as? NSObject,
                    "\(file): \(key) differs"
                )
            }
            let theirContent = try #require(theirs["content"] as? NSDictionary)
            #expect(
                our["content"] as? NSDictionary == Self.withoutEmptyButtons(theirContent),
                "\(file)"
            )
        }
    }

    /// Returns the content without an empty `buttons` array. The static URL example sends
    /// `"buttons":[]`, which this module leaves out because the spec marks `buttons` optional.
    private static func withoutEmptyButtons(_ content: NSDictionary) -> NSDictionary {
        guard let data = content["templateData"] as? NSDictionary,
            let buttons = data["buttons"] as? NSArray, buttons.count == 0
        else { return content }
        let trimmedData = data.mutableCopy() as! NSMutableDictionary
        trimmedData.removeObject(forKey: "buttons")
        let trimmed = content.mutableCopy() as! NSMutableDictionary
        trimmed["templateData"] = trimmedData
        return trimmed
    }

    @Test func headerExamplesDecodeToCases() throws {
        let expected: [String: TemplateHeader] = [
            "template-send-request-text-header.json": .text(placeholder: "placeholder value"),
            "template-send-request-document-header.json": .document(
                mediaURL: "http://example.com/document",
                filename: "document.pdf"
            ),
            "template-send-request-image-header.json": .image(mediaURL: "http://example.com/image"),
            "template-send-request-video-header.json": .video(mediaURL: "http://example.com/video"),
            "template-send-request-location-header.json": .location(
                latitude: 45.79359,
                longitude: 15.94613
            ),
        ]
        for (file, header) in expected {
            let request = try JSONDecoder().decode(
                TemplateSendRequest.self,
                from: try Fixtures.load(file)
            )
            #expect(request.messages.first?.templateData.header == header, "\(file)")
        }
    }

    @Test(arguments: Fixtures.textSendRequests)
    func textSendRequestRoundTrips(file: String) throws {
        let fixtureData = try Fixtures.load(file)
        let message = try JSONDecoder().decode(TextMessage.self, from: fixtureData)
        let ours = try #require(
            try TestValues.jsonObject(InfobipClient.encodeBody(message)) as? NSDictionary
        )
        let fixture = try #require(try TestValues.jsonObject(fixtureData) as? NSDictionary)
        for key in ["from", "to", "messageId", "callbackData", "notifyUrl", "content"] {
            #expect(ours[key] as? NSObject == fixture[key] as? NSObject, "\(file): \(key) differs")
        }
    }
}
