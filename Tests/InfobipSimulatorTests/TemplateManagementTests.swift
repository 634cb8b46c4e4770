import Foundation
import HTTPServer
import Testing

@testable import InfobipSimulator

@Suite struct TemplateManagementTests {
    let simulator = makeSimulator()

    let textTemplate: JSONValue = [
        "name": "text_template", "language": "en", "category": "MARKETING",
        "structure": ["body": ["text": "body {{1}} content", "examples": ["example"]]],
    ]

    @Test func createdTemplateHasResponseFields() async throws {
        let response = await simulator.call(
            "POST",
            "/whatsapp/2/senders/441134960000/templates",
            json: textTemplate
        )
        #expect(response.status == 201)
        let body = try #require(response.body)
        #expect(body["id"]?.stringValue?.isEmpty == false)
        #expect(body["businessAccountId"]?.intValue != nil)
        #expect(body["name"] == "text_template")
        #expect(body["language"] == "en")
        #expect(body["status"] == "APPROVED")
        #expect(body["category"] == "MARKETING")
        #expect(body["quality"] == "UNKNOWN")
        #expect(body["structure"]?["type"] == "TEXT")
        #expect(body["structure"]?["body"]?["text"] == "body {{1}} content")
        let createdAt = body["createdAt"]?.stringValue ?? ""
        #expect(createdAt.hasSuffix("+0000"))
        #expect(createdAt.count == 28)
        #expect(body["lastUpdatedAt"] == body["createdAt"])
    }

    @Test func templateStatusComesFromConfiguration() async {
        let pending = makeSimulator(SimulatorConfiguration(templateStatus: "PENDING"))
        let response = await pending.call(
            "POST",
            "/whatsapp/2/senders/441134960000/templates",
            json: textTemplate
        )
        #expect(response.body?["status"] == "PENDING")
    }

    @Test func mediaHeaderMakesMediaType() async {
        let template: JSONValue = [
            "name": "media_template", "language": "en", "category": "UTILITY",
            "structure": [
                "header": ["format": "IMAGE", "example": "https://example.com/a.png"],
                "body": ["text": "hello"],
            ],
        ]
        let response = await simulator.call(
            "POST",
            "/whatsapp/2/senders/441134960000/templates",
            json: template
        )
        #expect(response.status == 201)
        #expect(response.body?["structure"]?["type"] == "MEDIA")
    }

    @Test func duplicateNameAndLanguageIsRejected() async {
        let path = "/whatsapp/2/senders/441134960000/templates"
        let first = await simulator.call("POST", path, json: textTemplate)
        let second = await simulator.call(
            "POST",
            "/whatsapp/2/senders/441134960099/templates",
            json: textTemplate
        )
        var otherLanguage = textTemplate.objectValue ?? [:]
        otherLanguage["language"] = "en_GB"
        let third = await simulator.call("POST", path, json: .object(otherLanguage))
        #expect(first.status == 201)
        #expect(second.status == 400)
        #expect(errorCode(second.body) == "BAD_REQUEST")
        #expect(validationErrors(second.body)["name"] != nil)
        #expect(third.status == 201)
    }

    @Test func templatesAreSeparatePerApiKey() async {
        let path = "/whatsapp/2/senders/441134960000/templates"
        _ = await simulator.call("POST", path, json: textTemplate, apiKey: "waba-one")
        let other = await simulator.call("POST", path, json: textTemplate, apiKey: "waba-two")
        let listOne = await simulator.call("GET", path, apiKey: "waba-one")
        let listOtherSender = await simulator.call(
            "GET",
            "/whatsapp/2/senders/441134960777/templates",
            apiKey: "waba-one"
        )
        let listThree = await simulator.call("GET", path, apiKey: "waba-three")
        #expect(other.status == 201)
        #expect(listOne.status == 200)
        #expect(listOne.body?["templates"]?.arrayValue?.count == 1)
        #expect(listOtherSender.body?["templates"]?.arrayValue?.count == 1)
        #expect(listThree.body?["templates"] == [])
    }

    @Test func invalidTemplatesAreRejected() async {
        let cases: [(JSONValue, String, JSONValue)] = [
            (
                [
                    "name": "Bad Name", "language": "en", "category": "MARKETING",
                    "structure": ["body": ["text": "x"]],
                ],
                "name", [.string(FieldFormat.templateNameMessage)]
            ),
            (
                ["name": "ok", "category": "MARKETING", "structure": ["body": ["text": "x"]]],
                "language", ["must not be null"]
            ),
            (
                [
                    "name": "ok", "language": "en", "category": "PROMOTION",
                    "structure": ["body": ["text": "x"]],
                ],
                "category", ["must be one of MARKETING, UTILITY, AUTHENTICATION"]
            ),
            (
                [
                    "name": "ok", "language": "en", "category": "UTILITY",
                    "structure": ["body": [:]],
                ],
                "structure.body.text", ["must not be null"]
            ),
            (
                ["name": "ok", "language": "en", "category": "MARKETING"],
                "structure", ["must not be null"]
            ),
            (
                [
                    "name": "ok", "language": "en", "category": "AUTHENTICATION",
                    "structure": ["body": [:], "footer": [:], "buttons": []],
                ],
                "structure.buttons", ["size must be between 1 and 1"]
            ),
        ]
        for (template, field, expected) in cases {
            let response = await simulator.call(
                "POST",
                "/whatsapp/2/senders/441134960000/templates",
                json: template
            )
            #expect(response.status == 400, "template \(template)")
            #expect(validationErrors(response.body)[field] == expected, "template \(template)")
        }
    }
}

@Suite struct AuthenticationTests {
    @Test func missingHeaderIsUnauthorized() async {
        let simulator = makeSimulator()
        let response = await simulator.call(
            "POST",
            "/whatsapp/1/message/template",
            json: ["messages": [templateMessage()]],
            apiKey: nil
        )
        #expect(response.status == 401)
        #expect(response.body == LegacyErrorBody.unauthorized)
        #expect(errorCode(response.body) == "UNAUTHORIZED")
        #expect(response.body?["requestError"]?["serviceException"]?["text"] == "Unauthorized")
    }

    @Test func malformedHeadersAreUnauthorized() async {
        let simulator = makeSimulator()
        for header in ["App", "App ", "Basic QWxhZGRpbjpvcGVuU2VzYW1l", "Bearer abc", "key-only"] {
            let response = await simulator.handle(
                HTTPRequest(
                    method: "GET",
                    path: "/whatsapp/2/senders/441134960000/templates",
                    headers: ["Authorization": header]
                )
            )
            #expect(response.status == 401, "header \(header)")
        }
    }

    @Test func configuredKeysAreEnforced() async {
        let simulator = makeSimulator(SimulatorConfiguration(apiKeys: ["key-a", "key-b"]))
        let path = "/whatsapp/2/senders/441134960000/templates"
        let known = await simulator.call("GET", path, apiKey: "key-b")
        let unknown = await simulator.call("GET", path, apiKey: "key-c")
        #expect(known.status == 200)
        #expect(unknown.status == 401)
        #expect(errorCode(unknown.body) == "UNAUTHORIZED")
    }

    @Test func anyKeyWithoutConfiguredKeys() async {
        let simulator = makeSimulator()
        let response = await simulator.call(
            "GET",
            "/whatsapp/2/senders/441134960000/templates",
            apiKey: "whatever"
        )
        #expect(response.status == 200)
    }

    @Test func unknownEndpointIsNotFound() async {
        let simulator = makeSimulator()
        let paths = [
            ("GET", "/whatsapp/1/message/template"), ("POST", "/sms/2/text/advanced"),
            ("GET", "/simulator/unknown"),
        ]
        for (method, path) in paths {
            let response = await simulator.call(method, path)
            #expect(response.status == 404, "\(method) \(path)")
            #expect(response.body == LegacyErrorBody.notFound, "\(method) \(path)")
        }
    }
}
