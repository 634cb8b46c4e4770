/// Validates a template creation body (`TemplatePublicApiRequest`) with the field rules of
/// Infobip's OpenAPI document 3.210.0.
enum TemplateCreateValidator {
    static let categories = ["MARKETING", "UTILITY", "AUTHENTICATION"]
    static let headerFormats = ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "GIF", "LOCATION"]
    static let buttonTypes = [
        "QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "FLOW", "CATALOG", "MULTI_PRODUCT",
        "ORDER_DETAILS", "VOICE_CALL", "REQUEST_CONTACT_INFO",
    ]

    /// The fields of a valid request that the template store keeps.
    struct Template: Sendable {
        var name: String
        var language: String
        var category: String
        var structure: [String: JSONValue]
        var platform: JSONValue?
        var subCategory: String?
    }

    static func validate(_ body: [String: JSONValue]) -> Result<Template, ValidationErrors> {
        var errors = ValidationErrors()
        let name = errors.requireString(body["name"], at: "name")
        if let name, !name.isEmpty, !FieldFormat.isTemplateName(name) {
            errors.add("name", FieldFormat.templateNameMessage)
        }
        let language = errors.requireString(body["language"], at: "language")

        let category = errors.requireEnum(body["category"], at: "category", allowed: categories)
        let structure = errors.requireObject(body["structure"], at: "structure")
        if let structure, let category {
            if category == "AUTHENTICATION" {
                validateAuthenticationStructure(structure, &errors)
            } else {
                validateDefaultStructure(structure, &errors)
            }
        }

        if let period = errors.optionalObject(body["validityPeriod"], at: "validityPeriod") {
            if period["amount"]?.intValue == nil {
                errors.add("validityPeriod.amount", "must be an integer")
            }
            errors.requireEnum(
                period["timeUnit"],
                at: "validityPeriod.timeUnit",
                allowed: ["SECONDS", "MINUTES", "HOURS"]
            )
        }
        errors.optionalEnum(body["subCategory"], at: "subCategory", allowed: ["ORDER_STATUS"])
        _ = errors.optionalObject(body["platform"], at: "platform")

        guard errors.isEmpty, let name, let language, let category, let structure else {
            return .failure(errors)
        }
        return .success(
            Template(
                name: name,
                language: language,
                category: category,
                structure: structure,
                platform: body["platform"],
                subCategory: body["subCategory"]?.stringValue
            )
        )
    }

    /// MARKETING and UTILITY templates (`DefaultTemplateStructureApiData`).
    private static func validateDefaultStructure(
        _ structure: [String: JSONValue],
        _ errors: inout ValidationErrors
    ) {
        if let body = errors.requireObject(structure["body"], at: "structure.body") {
            errors.requireString(body["text"], at: "structure.body.text")
            if let examples = errors.optionalArray(body["examples"], at: "structure.body.examples")
            {
                for (index, example) in examples.enumerated() where example.stringValue == nil {
                    errors.add("structure.body.examples[\(index)]", "must be a string")
                }
            }
        }
        if let header = errors.optionalObject(structure["header"], at: "structure.header") {
            let format = errors.requireEnum(
                header["format"],
                at: "structure.header.format",
                allowed: headerFormats
            )
            if format == "TEXT" {
                errors.requireString(header["text"], at: "structure.header.text", length: 1...60)
            }
        }
        if let footer = errors.optionalObject(structure["footer"], at: "structure.footer") {
            if footer["text"] == nil || footer["text"] == .null {
                errors.add("structure.footer.text", "must not be null")
            } else {
                errors.optionalString(footer["text"], at: "structure.footer.text", length: 0...60)
            }
        }
        if let buttons = errors.optionalArray(structure["buttons"], at: "structure.buttons") {
            validateButtons(buttons, &errors)
        }
    }

    private static func validateButtons(_ buttons: [JSONValue], _ errors: inout ValidationErrors) {
        errors.checkCount(buttons, at: "structure.buttons", count: 1...10)
        var types: [String] = []
        for (index, element) in buttons.enumerated() {
            let path = "structure.buttons[\(index)]"
            guard let button = errors.requireObject(element, at: path),
                let type = errors.requireEnum(
                    button["type"],
                    at: "\(path).type",
                    allowed: buttonTypes
                )
            else { continue }
            types.append(type)
            switch type {
            case "QUICK_REPLY":
                errors.requireString(button["text"], at: "\(path).text", length: 1...25)
            case "URL":
                errors.requireString(button["text"], at: "\(path).text", length: 1...25)
                errors.requireString(button["url"], at: "\(path).url")
            case "PHONE_NUMBER":
                errors.requireString(button["text"], at: "\(path).text", length: 1...25)
                errors.requireString(button["phoneNumber"], at: "\(path).phoneNumber")
            case "COPY_CODE":
                errors.optionalString(button["example"], at: "\(path).example", length: 1...15)
            default:
                break
            }
        }
        let limits = [("URL", 2), ("PHONE_NUMBER", 1), ("COPY_CODE", 1), ("FLOW", 1)]
        for (type, limit) in limits where types.filter({ $0 == type }).count > limit {
            errors.add(
                "structure.buttons",
                "must contain at most \(limit) \(type) button\(limit == 1 ? "" : "s")"
            )
        }
        // Quick replies must form one run, apart from the other buttons.
        var quickReplyRuns = 0
        var previous: String?
        for type in types {
            if type == "QUICK_REPLY" && previous != "QUICK_REPLY" {
                quickReplyRuns += 1
            }
            previous = type
        }
        if quickReplyRuns > 1 {
            errors.add("structure.buttons", "quick reply buttons must be grouped together")
        }
    }

    /// AUTHENTICATION templates: a body, a footer and exactly one one-time-password button.
    private static func validateAuthenticationStructure(
        _ structure: [String: JSONValue],
        _ errors: inout ValidationErrors
    ) {
        if let body = errors.requireObject(structure["body"], at: "structure.body") {
            errors.optionalBool(
                body["addSecurityRecommendation"],
                at: "structure.body.addSecurityRecommendation"
            )
        }
        if let footer = errors.requireObject(structure["footer"], at: "structure.footer") {
            errors.optionalInteger(
                footer["codeExpirationMinutes"],
                at: "structure.footer.codeExpirationMinutes",
                range: 1...90
            )
        }
        guard let buttons = errors.requireArray(structure["buttons"], at: "structure.buttons")
        else {
            return
        }
        errors.checkCount(buttons, at: "structure.buttons", count: 1...1)
        for (index, element) in buttons.enumerated() {
            let path = "structure.buttons[\(index)]"
            guard let button = errors.requireObject(element, at: path) else { continue }
            let otpType = errors.requireEnum(
                button["otpType"],
                at: "\(path).otpType",
                allowed: ["COPY_CODE", "ONE_TAP"]
            )
            errors.optionalString(button["text"], at: "\(path).text", length: 0...25)
            if otpType == "ONE_TAP" {
                errors.requireString(button["packageName"], at: "\(path).packageName")
                errors.requireString(button["signatureHash"], at: "\(path).signatureHash")
            }
        }
    }
}
