import Foundation
import TestSupport
import Testing

/// Template creation checks the language code, the placeholder numbering and every member name
/// of `components` before Infobip is called, so a rejected request leaves no template there.
@Suite struct TemplateCreateValidationTests {
    func create(
        _ scenario: Scenario,
        language: String = "en",
        category: String = "UTILITY",
        components: [String: Any]
    ) async throws -> TestResponse {
        try await scenario.client.send(
            "POST",
            "/wabas/\(scenario.wabaID)/templates",
            json: [
                "name": "order_update", "language": language, "category": category,
                "components": components,
            ]
        )
    }

    func problem(
        _ type: String,
        _ title: String,
        _ detail: String,
        field: String,
        _ scenario: Scenario
    ) -> [String: Any] {
        [
            "type": "urn:wabarouter:problem:\(type)", "title": title, "detail": detail,
            "field": field, "instance": "/wabas/\(scenario.wabaID)/templates",
        ]
    }

    @Test(arguments: ["EN", "english", "en-GB", "en_gb", "pt_BRA", "e", "en_4190", "zh_"])
    func invalidLanguageRejected(language: String) async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            let response = try await create(
                scenario,
                language: language,
                components: ["body": ["text": "Hello {{1}}"]]
            )
            expectProblem(
                response,
                status: 400,
                problem(
                    "invalid-field",
                    "Invalid field",
                    "language is '\(language)'; give a WhatsApp language code: 2 or 3 lowercase "
                        + "letters, optionally followed by _ and a region of 2 uppercase letters "
                        + "or 3 digits, such as en, pt_BR or es_419.",
                    field: "language",
                    scenario
                )
            )
            #expect(try await scenario.simulator.requests().isEmpty)
        }
    }

    @Test(arguments: ["en", "pt_BR", "zh_CN", "es_419", "fil"])
    func languageCodeAccepted(language: String) async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            let created = try await scenario.addTemplate(language: language)
            #expect(created[string: "language"] == language)
        }
    }

    @Test func bodyStartingAtTwoRejected() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            let response = try await create(
                scenario,
                components: ["body": ["text": "Your order {{2}} is ready."]]
            )
            expectProblem(
                response,
                status: 400,
                problem(
                    "invalid-field",
                    "Invalid field",
                    "components.body.text uses {{2}} but not {{1}}. Number the placeholders "
                        + "from {{1}} without gaps, such as Hello {{1}}, your order {{2}} is "
                        + "ready.",
                    field: "components.body.text",
                    scenario
                )
            )
            #expect(try await scenario.simulator.requests().isEmpty)
        }
    }

    @Test func namedPlaceholderRejected() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            let response = try await create(
                scenario,
                components: ["body": ["text": "Hello {{name}}"]]
            )
            expectProblem(
                response,
                status: 400,
                problem(
                    "invalid-field",
                    "Invalid field",
                    "components.body.text contains {{name}}. Placeholders are numbers from 1, "
                        + "such as {{1}}.",
                    field: "components.body.text",
                    scenario
                )
            )
            #expect(try await scenario.simulator.requests().isEmpty)
        }
    }

    @Test func headerSecondPlaceholderRejected() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            let response = try await create(
                scenario,
                components: [
                    "header": ["format": "TEXT", "text": "Order {{2}}"],
                    "body": ["text": "Hello {{1}}"],
                ]
            )
            expectProblem(
                response,
                status: 400,
                problem(
                    "invalid-field",
                    "Invalid field",
                    "components.header.text uses {{2}}, but it may use placeholders up to {{1}} "
                        + "only.",
                    field: "components.header.text",
                    scenario
                )
            )
            #expect(try await scenario.simulator.requests().isEmpty)
        }
    }

    /// Each case gives `components` as JSON text, the member at fault and the known members.
    @Test(arguments: [
        (#"{"body":{"text":"Hi"},"bdy":{"text":"Hi"}}"#, "bdy", "body, buttons, footer, header"),
        (#"{"body":{"text":"Hi","example":["x"]}}"#, "body.example", "examples, text"),
        (
            #"{"body":{"text":"Hi"},"header":{"format":"TEXT","txt":"Hi"}}"#,
            "header.txt",
            "example, format, text"
        ),
        (#"{"body":{"text":"Hi"},"footer":{"text":"Bye","link":"x"}}"#, "footer.link", "text"),
        (
            #"{"body":{"text":"Hi"},"buttons":[{"type":"QUICK_REPLY","text":"Yes"},"#
                + #"{"type":"URL","label":"x"}]}"#,
            "buttons[1].label",
            "example, phoneNumber, text, type, url"
        ),
    ])
    func unknownComponentMemberRejected(
        componentsJSON: String,
        member: String,
        known: String
    ) async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            let components = try #require(
                try JSONSerialization.jsonObject(with: Data(componentsJSON.utf8))
                    as? [String: Any]
            )
            let field = "components.\(member)"
            expectProblem(
                try await create(scenario, components: components),
                status: 400,
                problem(
                    "unknown-field",
                    "Unknown field",
                    "\(field) is not a known field. Known fields here: \(known).",
                    field: field,
                    scenario
                )
            )
            #expect(try await scenario.simulator.requests().isEmpty)
        }
    }

    @Test func authenticationStructureChecked() async throws {
        try await withScenario { scenario in
            try await scenario.addSender(Scenario.randomNumber())
            let valid: [String: Any] = [
                "body": ["addSecurityRecommendation": true],
                "footer": ["codeExpirationMinutes": 5],
                "buttons": [["otpType": "COPY_CODE", "text": "Copy code"]],
            ]
            let created = try await create(
                scenario,
                category: "AUTHENTICATION",
                components: valid
            )
            #expect(created.status == 201, "\(created.text)")

            var invalid = valid
            invalid["buttons"] = [["otpType": "COPY_CODE", "url": "https://example.com"]]
            expectProblem(
                try await create(scenario, category: "AUTHENTICATION", components: invalid),
                status: 400,
                problem(
                    "unknown-field",
                    "Unknown field",
                    "components.buttons[0].url is not a known field. Known fields here: "
                        + "autofillText, otpType, packageName, signatureHash, text.",
                    field: "components.buttons[0].url",
                    scenario
                )
            )
        }
    }
}
