import Foundation
import Testing

@testable import Domain

@Suite struct TemplateParametersTests {
    // MARK: Body

    @Test func matchingBodyPasses() {
        let parameters = TemplateParameters(body: ["Ana", "42"])
        #expect(throws: Never.self) {
            try parameters.validate(against: TemplateStructure(bodyPlaceholderCount: 2))
        }
    }

    @Test(arguments: [
        (2, [String]()),
        (2, ["Ana"]),
        (2, ["Ana", "42", "extra"]),
        (0, ["Ana"]),
    ])
    func bodyCountMismatchRejected(placeholders: Int, values: [String]) throws {
        let parameters = TemplateParameters(body: values)
        let structure = TemplateStructure(bodyPlaceholderCount: placeholders)
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.body")
        #expect(error.detail.contains("takes \(placeholders) placeholder values"))
        #expect(error.detail.contains("params.body has \(values.count)."))
    }

    @Test(arguments: [0, 1])
    func overlongBodyValueRejected(index: Int) throws {
        var values = ["Ana", "42"]
        values[index] = String(repeating: "a", count: 1025)
        let parameters = TemplateParameters(body: values)
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: TemplateStructure(bodyPlaceholderCount: 2))
            }
        )
        #expect(error.field == "params.body[\(index)]")
        #expect(
            error.detail
                == "params.body[\(index)] has 1025 characters; a placeholder value may have at "
                + "most 1024, the length of a whole template body. Shorten it."
        )
    }

    /// 1,024 characters pass, counted as grapheme clusters: an emoji with a skin tone is one.
    @Test(arguments: [String(repeating: "a", count: 1024), String(repeating: "👋🏽", count: 1024)])
    func bodyValueOfMaximumLengthPasses(value: String) {
        let parameters = TemplateParameters(body: [value])
        #expect(throws: Never.self) {
            try parameters.validate(against: TemplateStructure(bodyPlaceholderCount: 1))
        }
    }

    @Test(arguments: [(["", "42"], 0), (["Ana", ""], 1), (["Ana", "42", ""], 2)])
    func emptyBodyValueRejected(values: [String], index: Int) throws {
        let parameters = TemplateParameters(body: values)
        let structure = TemplateStructure(bodyPlaceholderCount: values.count)
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.body[\(index)]")
        #expect(error.detail.contains("{{\(index + 1)}}"))
    }

    // MARK: Header

    private static let headerCases: [(TemplateStructure.HeaderKind, HeaderParameter)] = [
        (.text(hasPlaceholder: true), .text(placeholder: "Ana")),
        (.image, .image(mediaURL: "https://cdn.example.com/a.jpg")),
        (.video, .video(mediaURL: "https://cdn.example.com/a.mp4")),
        (.document, .document(mediaURL: "https://cdn.example.com/a.pdf", filename: "a.pdf")),
        (.location, .location(latitude: -23.55, longitude: -46.63)),
    ]

    @Test(arguments: headerCases)
    func matchingHeaderPasses(kind: TemplateStructure.HeaderKind, header: HeaderParameter) {
        let parameters = TemplateParameters(body: [], header: header)
        let structure = TemplateStructure(bodyPlaceholderCount: 0, header: kind)
        #expect(throws: Never.self) {
            try parameters.validate(against: structure)
        }
    }

    @Test(arguments: headerCases)
    func missingHeaderRejected(kind: TemplateStructure.HeaderKind, header: HeaderParameter) throws {
        let parameters = TemplateParameters(body: [])
        let structure = TemplateStructure(bodyPlaceholderCount: 0, header: kind)
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.header")
        #expect(error.detail.contains("type \(header.type)"))
    }

    /// No header, a text header without a placeholder and an unknown format take no parameter.
    @Test(arguments: [
        nil as TemplateStructure.HeaderKind?,
        .text(hasPlaceholder: false),
        .other("CAROUSEL"),
    ])
    func headerWithoutParameterAcceptsNone(kind: TemplateStructure.HeaderKind?) {
        let parameters = TemplateParameters(body: [])
        let structure = TemplateStructure(bodyPlaceholderCount: 0, header: kind)
        #expect(throws: Never.self) {
            try parameters.validate(against: structure)
        }
    }

    @Test(arguments: [
        nil as TemplateStructure.HeaderKind?,
        .text(hasPlaceholder: false),
        .other("CAROUSEL"),
    ])
    func unexpectedHeaderRejected(kind: TemplateStructure.HeaderKind?) throws {
        let parameters = TemplateParameters(body: [], header: .text(placeholder: "Ana"))
        let structure = TemplateStructure(bodyPlaceholderCount: 0, header: kind)
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.header")
        #expect(error.detail.contains("Remove params.header"))
    }

    @Test(arguments: [
        (
            TemplateStructure.HeaderKind.image,
            HeaderParameter.video(mediaURL: "https://x.example/a.mp4")
        ),
        (.document, .image(mediaURL: "https://x.example/a.jpg")),
        (.text(hasPlaceholder: true), .image(mediaURL: "https://x.example/a.jpg")),
        (.location, .text(placeholder: "Ana")),
    ])
    func wrongHeaderTypeRejected(kind: TemplateStructure.HeaderKind, header: HeaderParameter) throws
    {
        let parameters = TemplateParameters(body: [], header: header)
        let structure = TemplateStructure(bodyPlaceholderCount: 0, header: kind)
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.header.type")
        #expect(error.detail.contains("params.header.type is \(header.type)"))
    }

    @Test(arguments: [
        (HeaderParameter.text(placeholder: "Ana"), "TEXT"),
        (.image(mediaURL: "u"), "IMAGE"),
        (.video(mediaURL: "u"), "VIDEO"),
        (.document(mediaURL: "u", filename: "f"), "DOCUMENT"),
        (.location(latitude: 0, longitude: 0), "LOCATION"),
    ])
    func headerTypeUsesInfobipName(header: HeaderParameter, type: String) {
        #expect(header.type == type)
    }

    // MARK: Buttons

    @Test(arguments: [
        [TemplateStructure.ButtonKind.quickReply],
        [.quickReply, .quickReply, .quickReply],
        [.quickReply, .staticURL, .phoneNumber],
        [],
    ])
    func quickReplyPayloadsAreOptional(buttons: [TemplateStructure.ButtonKind]) {
        let parameters = TemplateParameters(body: [])
        let structure = TemplateStructure(bodyPlaceholderCount: 0, buttons: buttons)
        #expect(throws: Never.self) {
            try parameters.validate(against: structure)
        }
    }

    @Test func quickReplyPayloadsMayBeGiven() {
        let parameters = TemplateParameters(
            body: [],
            buttons: [
                ButtonParameter(type: .quickReply, parameter: "yes"),
                ButtonParameter(type: .quickReply, parameter: "no"),
            ]
        )
        let structure = TemplateStructure(
            bodyPlaceholderCount: 0,
            buttons: [.quickReply, .quickReply]
        )
        #expect(throws: Never.self) {
            try parameters.validate(against: structure)
        }
    }

    @Test func partialQuickReplyPayloadsRejected() throws {
        let parameters = TemplateParameters(
            body: [],
            buttons: [ButtonParameter(type: .quickReply, parameter: "yes")]
        )
        let structure = TemplateStructure(
            bodyPlaceholderCount: 0,
            buttons: [.quickReply, .quickReply]
        )
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.buttons")
        #expect(error.detail.contains("has 2 buttons"))
        #expect(error.detail.contains("params.buttons has 1"))
    }

    @Test(arguments: [
        ([TemplateStructure.ButtonKind.dynamicURL], "(URL)"),
        ([.copyCode], "(COPY_CODE)"),
        ([.quickReply, .dynamicURL], "(QUICK_REPLY, URL)"),
    ])
    func missingButtonValuesRejected(buttons: [TemplateStructure.ButtonKind], list: String) throws {
        let parameters = TemplateParameters(body: [])
        let structure = TemplateStructure(bodyPlaceholderCount: 0, buttons: buttons)
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.buttons")
        #expect(error.detail.contains(list))
    }

    @Test(arguments: [
        [TemplateStructure.ButtonKind.staticURL],
        [.phoneNumber],
        [.other("FLOW")],
        [],
    ])
    func valueForButtonWithoutParameterRejected(buttons: [TemplateStructure.ButtonKind]) throws {
        let parameters = TemplateParameters(
            body: [],
            buttons: [ButtonParameter(type: .url, parameter: "order/42")]
        )
        let structure = TemplateStructure(bodyPlaceholderCount: 0, buttons: buttons)
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.buttons")
        #expect(error.detail.contains("(none)"))
    }

    @Test func buttonsInTemplateOrderPass() {
        let parameters = TemplateParameters(
            body: [],
            buttons: [
                ButtonParameter(type: .quickReply, parameter: "stop"),
                ButtonParameter(type: .url, parameter: "order/42"),
                ButtonParameter(type: .copyCode, parameter: "SAVE10"),
            ]
        )
        let structure = TemplateStructure(
            bodyPlaceholderCount: 0,
            buttons: [.quickReply, .phoneNumber, .dynamicURL, .staticURL, .copyCode]
        )
        #expect(throws: Never.self) {
            try parameters.validate(against: structure)
        }
    }

    @Test func buttonsOutOfOrderRejected() throws {
        let parameters = TemplateParameters(
            body: [],
            buttons: [
                ButtonParameter(type: .quickReply, parameter: "stop"),
                ButtonParameter(type: .copyCode, parameter: "SAVE10"),
                ButtonParameter(type: .url, parameter: "order/42"),
            ]
        )
        let structure = TemplateStructure(
            bodyPlaceholderCount: 0,
            buttons: [.quickReply, .dynamicURL, .copyCode]
        )
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.buttons[1].type")
        #expect(error.detail.contains("Button 1 of the template is URL"))
        #expect(error.detail.contains("given is COPY_CODE"))
    }

    // MARK: Order of checks

    @Test func bodyFaultReportedBeforeHeader() throws {
        let parameters = TemplateParameters(body: [], header: .image(mediaURL: "u"))
        let structure = TemplateStructure(
            bodyPlaceholderCount: 1,
            header: nil,
            buttons: [.dynamicURL]
        )
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.body")
    }

    @Test func headerFaultReportedBeforeButtons() throws {
        let parameters = TemplateParameters(body: ["Ana"])
        let structure = TemplateStructure(
            bodyPlaceholderCount: 1,
            header: .image,
            buttons: [.dynamicURL]
        )
        let error = try #require(
            #expect(throws: TemplateParameterMismatch.self) {
                try parameters.validate(against: structure)
            }
        )
        #expect(error.field == "params.header")
    }

    @Test func fullTemplateParametersPass() {
        let parameters = TemplateParameters(
            body: ["Ana", "42"],
            header: .document(mediaURL: "https://cdn.example.com/i.pdf", filename: "i.pdf"),
            buttons: [
                ButtonParameter(type: .url, parameter: "invoice/42"),
                ButtonParameter(type: .quickReply, parameter: "paid"),
            ]
        )
        let structure = TemplateStructure(
            bodyPlaceholderCount: 2,
            header: .document,
            buttons: [.dynamicURL, .quickReply]
        )
        #expect(throws: Never.self) {
            try parameters.validate(against: structure)
        }
    }

    @Test func parametersSurviveJSONRoundTrip() throws {
        let parameters = TemplateParameters(
            body: ["Ana"],
            header: .location(latitude: -23.55, longitude: -46.63),
            buttons: [ButtonParameter(type: .copyCode, parameter: "SAVE10")]
        )
        let data = try JSONEncoder().encode(parameters)
        let decoded = try JSONDecoder().decode(TemplateParameters.self, from: data)
        #expect(decoded == parameters)
    }
}
