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
        if category != "AUTHENTICATION" {
            let bodyReader = try components.optionalObject("body")
            guard let bodyReader else {
                throw Problem.missingField(
                    "components.body",
                    hint: "Give the body text, such as {\"text\": \"Hello {{1}}\"}."
                )
            }
            _ = try bodyReader.string("text", hint: "Give the body text, such as Hello {{1}}.")
        }
        self.components = .object(components.fields)
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
