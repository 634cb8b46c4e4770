import Testing

@testable import Domain

@Suite struct TemplateStructureTests {
    @Test(arguments: [
        ("Hello {{1}}", 1),
        ("Hi {{1}}, order {{2}} ships on {{3}}.", 3),
        ("{{1}}{{2}}{{3}}", 3),
        ("No placeholders here.", 0),
        ("", 0),
    ])
    func numberedPlaceholdersCounted(text: String, count: Int) {
        #expect(TemplateStructure.placeholderCount(in: text) == count)
    }

    @Test(arguments: [
        ("Hi {{ 1 }}, order {{  2  }}", 2),
        ("Code {{\t3\t}}", 3),
        ("Line {{\n1\n}}", 1),
    ])
    func spacesInsideBracesIgnored(text: String, count: Int) {
        #expect(TemplateStructure.placeholderCount(in: text) == count)
    }

    @Test(arguments: [
        ("{{1}} again {{1}} and {{1}}", 1),
        ("{{1}} {{2}} {{1}} {{2}}", 2),
        ("{{2}} before {{1}}", 2),
    ])
    func repeatedPlaceholderCountedOnce(text: String, count: Int) {
        #expect(TemplateStructure.placeholderCount(in: text) == count)
    }

    /// The count is the highest number, because Meta numbers placeholders from 1 without gaps.
    @Test(arguments: [("Only {{3}}", 3), ("{{1}} to {{10}}", 10)])
    func highestNumberIsCount(text: String, count: Int) {
        #expect(TemplateStructure.placeholderCount(in: text) == count)
    }

    @Test(arguments: [
        "Dear {{name}}",
        "Unclosed {{1",
        "Braces {} and }} alone",
        "Empty {{}} braces",
        "Negative {{-1}}",
    ])
    func nonNumericPlaceholderIgnored(text: String) {
        #expect(TemplateStructure.placeholderCount(in: text) == 0)
    }

    @Test(arguments: [
        "No placeholders here.",
        "Hello {{1}}",
        "Hi {{1}}, order {{2}} ships on {{3}}.",
        "{{2}} before {{1}}",
        "{{1}} again {{1}}",
        "Hi {{ 1 }}",
        "Unclosed {{1",
    ])
    func consecutiveNumberingAccepted(text: String) {
        #expect(throws: Never.self) {
            try TemplateStructure.checkPlaceholderNumbering(in: text)
        }
    }

    @Test(arguments: [
        ("Only {{2}}", 1, 2),
        ("{{1}} and {{3}}", 2, 3),
        ("{{1}} to {{10}}", 2, 10),
    ])
    func gapInNumberingRejected(text: String, missing: Int, highest: Int) {
        #expect(throws: PlaceholderNumberingError.missing(missing, highest: highest)) {
            try TemplateStructure.checkPlaceholderNumbering(in: text)
        }
    }

    @Test(arguments: [
        ("Dear {{name}}", "{{name}}"),
        ("Empty {{}} braces", "{{}}"),
        ("Zero {{0}}", "{{0}}"),
        ("Negative {{-1}}", "{{-1}}"),
        ("Signed {{+1}}", "{{+1}}"),
        ("Hi {{1}} and {{ first name }}", "{{first name}}"),
    ])
    func nonNumericPlaceholderRejected(text: String, placeholder: String) {
        #expect(throws: PlaceholderNumberingError.notANumber(placeholder)) {
            try TemplateStructure.checkPlaceholderNumbering(in: text)
        }
    }

    @Test func numberAboveMaximumRejected() {
        #expect(throws: PlaceholderNumberingError.aboveMaximum(2, maximum: 1)) {
            try TemplateStructure.checkPlaceholderNumbering(in: "Order {{2}}", maximum: 1)
        }
        #expect(throws: Never.self) {
            try TemplateStructure.checkPlaceholderNumbering(in: "Order {{1}}", maximum: 1)
        }
    }

    @Test(arguments: [
        (
            TemplateStructure.ButtonKind.quickReply,
            ButtonParameter.Kind.quickReply as ButtonParameter.Kind?
        ),
        (.dynamicURL, .url),
        (.copyCode, .copyCode),
        (.staticURL, nil),
        (.phoneNumber, nil),
        (.other("FLOW"), nil),
    ])
    func buttonKindMapsToParameterKind(
        button: TemplateStructure.ButtonKind,
        parameter: ButtonParameter.Kind?
    ) {
        #expect(button.parameterKind == parameter)
    }

    @Test func structureDefaultsAreEmpty() {
        let structure = TemplateStructure(bodyPlaceholderCount: 2)
        #expect(structure.bodyPlaceholderCount == 2)
        #expect(structure.header == nil)
        #expect(structure.buttons.isEmpty)
    }
}
