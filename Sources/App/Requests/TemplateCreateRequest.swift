import Domain
import Foundation

/// The body of `POST /wabas/{id}/templates`, validated.
///
/// `components` is the template's structure as Infobip defines it: `header` (with `format`),
/// `body` (with `text` and `examples`), `footer` and `buttons`.
struct TemplateCreateRequest: Sendable {
    var name: String
    var language: String
    var category: String
    var components: JSONValue

    static let categories = ["MARKETING", "UTILITY", "AUTHENTICATION"]

    init(_ body: JSONObjectReader) throws(Problem) {
        try body.rejectUnknownFields(allowed: ["name", "language", "category", "components"])
        name = try body.string(
            "name",
            hint: "Give a name of lowercase letters, digits and underscores."
        )
        guard name.count <= 512,
            name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
        else {
            throw Problem.invalidField(
                "name",
                "name '\(name)' may contain only lowercase letters, digits and underscores, at "
                    + "most 512 characters, such as order_update."
            )
        }
        language = try body.string("language", hint: "Give a language code such as en or pt_BR.")
        guard Self.isLanguageCode(language) else {
            throw Problem.invalidField(
                "language",
                "language is '\(language)'; give a WhatsApp language code: 2 or 3 lowercase "
                    + "letters, optionally followed by _ and a region of 2 uppercase letters or 3 "
                    + "digits, such as en, pt_BR or es_419."
            )
        }
        category = try body.string(
            "category",
            hint: "Give one of \(Self.categories.joined(separator: ", "))."
        )
        guard Self.categories.contains(category) else {
            throw Problem.invalidField(
                "category",
                "category is '\(category)'; it must be one of "
                    + "\(Self.categories.joined(separator: ", "))."
            )
        }
        guard let components = try body.optionalObject("components") else {
            throw Problem.missingField(
                "components",
                hint: "Give the template's structure: {\"body\": {\"text\": \"Hello {{1}}\"}}."
            )
        }
        try Self.validateComponents(components, category: category)
        self.components = .object(components.fields)
    }

    /// Returns whether `text` has the shape of a WhatsApp language code: 2 or 3 lowercase
    /// letters, optionally followed by `_` and 2 uppercase letters or 3 digits (`en`, `pt_BR`,
    /// `es_419`).
    static func isLanguageCode(_ text: String) -> Bool {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            (2...3).contains(parts[0].count),
            parts[0].allSatisfy({ $0.isASCII && $0.isLowercase })
        else { return false }
        guard parts.count == 2 else { return true }
        let region = parts[1]
        let isLetters = region.count == 2 && region.allSatisfy { $0.isASCII && $0.isUppercase }
        let isDigits = region.count == 3 && region.allSatisfy { $0.isASCII && $0.isNumber }
        return isLetters || isDigits
    }

    /// Members of `components` and of its parts that Infobip's create endpoint defines, by
    /// category. AUTHENTICATION templates take Infobip's one-time-password structure.
    private static let componentFields: Set<String> = ["header", "body", "footer", "buttons"]
    private static let headerFields: Set<String> = ["format", "text", "example"]
    private static let bodyFields: Set<String> = ["text", "examples"]
    private static let footerFields: Set<String> = ["text"]
    private static let buttonFields: Set<String> = [
        "type", "text", "url", "phoneNumber", "example",
    ]
    private static let authenticationComponentFields: Set<String> = ["body", "footer", "buttons"]
    private static let authenticationBodyFields: Set<String> = ["addSecurityRecommendation"]
    private static let authenticationFooterFields: Set<String> = ["codeExpirationMinutes"]
    private static let authenticationButtonFields: Set<String> = [
        "otpType", "text", "autofillText", "packageName", "signatureHash",
    ]

    /// Rejects members that Infobip does not define, and body and header texts whose
    /// placeholders are not numbered from `{{1}}` without gaps, before Infobip is called.
    private static func validateComponents(
        _ components: JSONObjectReader,
        category: String
    ) throws(Problem) {
        if category == "AUTHENTICATION" {
            try components.rejectUnknownFields(allowed: authenticationComponentFields)
            try components.optionalObject("body")?.rejectUnknownFields(
                allowed: authenticationBodyFields
            )
            try components.optionalObject("footer")?.rejectUnknownFields(
                allowed: authenticationFooterFields
            )
            try rejectUnknownButtonFields(components, allowed: authenticationButtonFields)
            return
        }
        try components.rejectUnknownFields(allowed: componentFields)
        if let header = try components.optionalObject("header") {
            try header.rejectUnknownFields(allowed: headerFields)
            if let text = try header.optionalString("text") {
                // Infobip allows at most one placeholder in a header, {{1}}.
                try checkPlaceholders(text, field: header.fieldPath("text"), maximum: 1)
            }
        }
        guard let body = try components.optionalObject("body") else {
            throw Problem.missingField(
                "components.body",
                hint: "Give the body text, such as {\"text\": \"Hello {{1}}\"}."
            )
        }
        try body.rejectUnknownFields(allowed: bodyFields)
        let text = try body.string("text", hint: "Give the body text, such as Hello {{1}}.")
        try checkPlaceholders(text, field: body.fieldPath("text"))
        try components.optionalObject("footer")?.rejectUnknownFields(allowed: footerFields)
        try rejectUnknownButtonFields(components, allowed: buttonFields)
    }

    private static func rejectUnknownButtonFields(
        _ components: JSONObjectReader,
        allowed: Set<String>
    ) throws(Problem) {
        for (index, value) in (try components.optionalArray("buttons") ?? []).enumerated() {
            let button = try JSONObjectReader(
                value,
                path: components.fieldPath("buttons[\(index)]")
            )
            try button.rejectUnknownFields(allowed: allowed)
        }
    }

    private static func checkPlaceholders(
        _ text: String,
        field: String,
        maximum: Int = .max
    ) throws(Problem) {
        do {
            try TemplateStructure.checkPlaceholderNumbering(in: text, maximum: maximum)
        } catch {
            throw Problem.invalidField(field, placeholderDetail(error, field: field))
        }
    }

    private static func placeholderDetail(
        _ error: PlaceholderNumberingError,
        field: String
    ) -> String {
        switch error {
        case .notANumber(let placeholder):
            "\(field) contains \(placeholder). Placeholders are numbers from 1, such as {{1}}."
        case .missing(let number, let highest):
            "\(field) uses {{\(highest)}} but not {{\(number)}}. Number the placeholders from "
                + "{{1}} without gaps, such as Hello {{1}}, your order {{2}} is ready."
        case .aboveMaximum(let number, let maximum):
            "\(field) uses {{\(number)}}, but it may use placeholders up to {{\(maximum)}} only."
        }
    }

    /// Returns the JSON body Infobip's create endpoint takes.
    func infobipBody() -> Data {
        JSONValue.object([
            "name": .string(name),
            "language": .string(language),
            "category": .string(category),
            "structure": components,
        ]).encoded()
    }
}
