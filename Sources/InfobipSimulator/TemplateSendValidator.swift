/// Validates a template send body (`BulkMessage`) with the field rules of Infobip's OpenAPI
/// document 3.210.0 and reports every violation by its path, such as
/// `messages[0].content.templateData.body.placeholders`.
enum TemplateSendValidator {
    static let headerTypes = ["TEXT", "DOCUMENT", "IMAGE", "VIDEO", "LOCATION", "GIF"]
    static let buttonTypes = [
        "QUICK_REPLY", "URL", "COPY_CODE", "FLOW", "VOICE_CALL", "CATALOG", "MULTI_PRODUCT",
        "ORDER_DETAILS",
    ]
    /// Button types that must be the only button of a message.
    static let soleButtonTypes = ["CATALOG", "MULTI_PRODUCT", "ORDER_DETAILS"]

    /// Returns the request when `body` is valid, else the violations found.
    static func validate(_ body: [String: JSONValue]) -> Result<
        TemplateSendRequest, ValidationErrors
    > {
        var errors = ValidationErrors()
        let bulkId = errors.optionalString(body["bulkId"], at: "bulkId", length: 0...100)
        var messages: [TemplateSendRequest.Message] = []
        if let elements = errors.requireArray(body["messages"], at: "messages") {
            if elements.isEmpty {
                errors.add("messages", "must not be empty")
            }
            for (index, element) in elements.enumerated() {
                if let message = validateMessage(element, at: "messages[\(index)]", &errors) {
                    messages.append(message)
                }
            }
        }
        if !errors.isEmpty {
            return .failure(errors)
        }
        return .success(TemplateSendRequest(bulkId: bulkId, messages: messages))
    }

    private static func validateMessage(
        _ value: JSONValue,
        at path: String,
        _ errors: inout ValidationErrors
    ) -> TemplateSendRequest.Message? {
        guard let message = errors.requireObject(value, at: path) else { return nil }
        let from = errors.requireString(message["from"], at: "\(path).from", length: 1...24)
        let to = errors.requireString(message["to"], at: "\(path).to", length: 1...150)
        let messageId = errors.optionalString(
            message["messageId"],
            at: "\(path).messageId",
            length: 0...200
        )
        errors.optionalString(message["callbackData"], at: "\(path).callbackData", length: 0...4000)
        let notifyUrl = errors.optionalString(
            message["notifyUrl"],
            at: "\(path).notifyUrl",
            length: 0...2048
        )
        errors.optionalString(message["entityId"], at: "\(path).entityId", length: 0...255)
        errors.optionalString(
            message["applicationId"],
            at: "\(path).applicationId",
            length: 0...255
        )

        if let content = errors.requireObject(message["content"], at: "\(path).content") {
            validateContent(content, at: "\(path).content", &errors)
        }
        validateOptionalParts(message, at: path, &errors)

        guard let from, let to else { return nil }
        return TemplateSendRequest.Message(
            from: from,
            to: to,
            messageId: messageId,
            notifyUrl: notifyUrl
        )
    }

    private static func validateOptionalParts(
        _ message: [String: JSONValue],
        at path: String,
        _ errors: inout ValidationErrors
    ) {
        if let urlOptions = errors.optionalObject(message["urlOptions"], at: "\(path).urlOptions") {
            let base = "\(path).urlOptions"
            errors.optionalBool(urlOptions["shortenUrl"], at: "\(base).shortenUrl")
            errors.optionalBool(urlOptions["trackClicks"], at: "\(base).trackClicks")
            errors.optionalBool(urlOptions["removeProtocol"], at: "\(base).removeProtocol")
            errors.optionalString(
                urlOptions["trackingUrl"],
                at: "\(base).trackingUrl",
                length: 0...2048
            )
            errors.optionalString(
                urlOptions["customDomain"],
                at: "\(base).customDomain",
                length: 0...2048
            )
        }
        if let failover = errors.optionalObject(message["smsFailover"], at: "\(path).smsFailover") {
            errors.requireString(failover["from"], at: "\(path).smsFailover.from", length: 1...24)
            errors.requireString(failover["text"], at: "\(path).smsFailover.text", length: 1...4096)
        }
        if let context = errors.optionalObject(message["context"], at: "\(path).context") {
            errors.requireString(
                context["replyToMessageId"],
                at: "\(path).context.replyToMessageId"
            )
        }
    }

    private static func validateContent(
        _ content: [String: JSONValue],
        at path: String,
        _ errors: inout ValidationErrors
    ) {
        let namePath = "\(path).templateName"
        if let name = errors.requireString(content["templateName"], at: namePath, length: 1...512),
            !name.isEmpty, !FieldFormat.isTemplateName(name)
        {
            errors.add(namePath, FieldFormat.templateNameMessage)
        }
        errors.requireString(content["language"], at: "\(path).language")

        let dataPath = "\(path).templateData"
        guard let data = errors.requireObject(content["templateData"], at: dataPath) else { return }
        if let body = errors.requireObject(data["body"], at: "\(dataPath).body") {
            validatePlaceholders(body["placeholders"], at: "\(dataPath).body.placeholders", &errors)
        }
        if let header = errors.optionalObject(data["header"], at: "\(dataPath).header") {
            validateHeader(header, at: "\(dataPath).header", &errors)
        }
        if let buttons = errors.optionalArray(data["buttons"], at: "\(dataPath).buttons") {
            validateButtons(buttons, at: "\(dataPath).buttons", &errors)
        }
        if let carousel = errors.optionalObject(data["carousel"], at: "\(dataPath).carousel") {
            validateCarousel(carousel, at: "\(dataPath).carousel", &errors)
        }

        let offerPath = "\(dataPath).limitedTimeOffer"
        if let offer = errors.optionalObject(data["limitedTimeOffer"], at: offerPath) {
            let expirationPath = "\(offerPath).expirationTime"
            if let expiration = errors.requireString(
                offer["expirationTime"],
                at: expirationPath
            ), !expiration.isEmpty, !FieldFormat.isDateTime(expiration) {
                errors.add(expirationPath, "must be a valid date-time")
            }
        }
        let orderPath = "\(dataPath).orderStatus"
        if let orderStatus = errors.optionalObject(data["orderStatus"], at: orderPath) {
            _ = errors.requireArray(orderStatus["orderStatuses"], at: "\(orderPath).orderStatuses")
        }
    }

    /// `placeholders` is required even for templates without variables: `[]` is valid, but
    /// null, a missing member, or a null or empty element is not.
    private static func validatePlaceholders(
        _ value: JSONValue?,
        at path: String,
        _ errors: inout ValidationErrors
    ) {
        guard let placeholders = errors.requireArray(value, at: path) else { return }
        for (index, placeholder) in placeholders.enumerated() {
            let elementPath = "\(path)[\(index)]"
            switch placeholder {
            case .null:
                errors.add(elementPath, "must not be null")
            case .string(let text) where text.isEmpty:
                errors.add(elementPath, "must not be empty")
            case .string:
                break
            default:
                errors.add(elementPath, "must be a string")
            }
        }
    }

    static func validateHeader(
        _ header: [String: JSONValue],
        at path: String,
        _ errors: inout ValidationErrors
    ) {
        guard
            let type = errors.requireEnum(header["type"], at: "\(path).type", allowed: headerTypes)
        else { return }
        switch type {
        case "TEXT":
            let placeholderPath = "\(path).placeholder"
            if let placeholder = errors.requireString(
                header["placeholder"],
                at: placeholderPath
            ), !FieldFormat.isHeaderPlaceholder(placeholder) {
                errors.add(placeholderPath, FieldFormat.headerPlaceholderMessage)
            }
        case "DOCUMENT":
            validateMediaUrl(header["mediaUrl"], at: "\(path).mediaUrl", &errors)
            errors.requireString(header["filename"], at: "\(path).filename", length: 1...240)
        case "LOCATION":
            errors.requireNumber(header["latitude"], at: "\(path).latitude", range: -90...90)
            errors.requireNumber(header["longitude"], at: "\(path).longitude", range: -180...180)
        default:
            // IMAGE, VIDEO and GIF carry only a media URL.
            validateMediaUrl(header["mediaUrl"], at: "\(path).mediaUrl", &errors)
        }
    }

    /// Checks a media URL: 1 to 2048 characters of absolute http or https URL. The messages come in
    /// the order of Infobip's example: size, URL syntax, blank.
    private static func validateMediaUrl(
        _ value: JSONValue?,
        at path: String,
        _ errors: inout ValidationErrors
    ) {
        guard let value, !value.isNull else {
            errors.add(path, "must not be null")
            return
        }
        guard let text = value.stringValue else {
            errors.add(path, "must be a string")
            return
        }
        if !(1...2048).contains(text.utf16.count) {
            errors.add(path, "size must be between 1 and 2048")
        }
        if !FieldFormat.isWebURL(text) {
            errors.add(path, "is not a valid url")
        }
        if text.allSatisfy(\.isWhitespace) {
            errors.add(path, "must not be blank")
        }
    }

    private static func validateButtons(
        _ buttons: [JSONValue],
        at path: String,
        _ errors: inout ValidationErrors
    ) {
        errors.checkCount(buttons, at: path, count: 0...10)
        var types: [String] = []
        for (index, element) in buttons.enumerated() {
            let buttonPath = "\(path)[\(index)]"
            guard let button = errors.requireObject(element, at: buttonPath) else { continue }
            if let type = validateButton(button, at: buttonPath, &errors) {
                types.append(type)
            }
        }
        let limits = [("URL", 2), ("COPY_CODE", 1), ("FLOW", 1)]
        for (type, limit) in limits where types.filter({ $0 == type }).count > limit {
            errors.add(path, "must contain at most \(limit) \(type) button\(limit == 1 ? "" : "s")")
        }
        for type in soleButtonTypes where types.contains(type) && buttons.count > 1 {
            errors.add(path, "a \(type) button must be the only button")
        }
    }

    private static func validateButton(
        _ button: [String: JSONValue],
        at path: String,
        _ errors: inout ValidationErrors
    ) -> String? {
        let typePath = "\(path).type"
        guard let type = errors.requireEnum(button["type"], at: typePath, allowed: buttonTypes)
        else { return nil }
        let parameterPath = "\(path).parameter"
        switch type {
        case "QUICK_REPLY":
            errors.requireString(button["parameter"], at: parameterPath, length: 1...128)
        case "URL":
            errors.requireString(button["parameter"], at: parameterPath)
        case "COPY_CODE":
            errors.requireString(button["parameter"], at: parameterPath, length: 1...15)
        case "FLOW":
            errors.optionalString(button["flowToken"], at: "\(path).flowToken", length: 0...3000)
            _ = errors.optionalObject(button["data"], at: "\(path).data")
        case "VOICE_CALL":
            errors.optionalInteger(
                button["callValidityPeriod"],
                at: "\(path).callValidityPeriod",
                range: 1...43200
            )
            errors.optionalString(
                button["callContextPayload"],
                at: "\(path).callContextPayload",
                length: 1...512
            )
        case "MULTI_PRODUCT":
            if let sections = errors.requireArray(button["sections"], at: "\(path).sections"),
                sections.isEmpty
            {
                errors.add("\(path).sections", "must not be empty")
            }
        case "ORDER_DETAILS":
            _ = errors.requireObject(button["action"], at: "\(path).action")
        default:
            // CATALOG has only optional members.
            break
        }
        return type
    }

    private static func validateCarousel(
        _ carousel: [String: JSONValue],
        at path: String,
        _ errors: inout ValidationErrors
    ) {
        guard let cards = errors.requireArray(carousel["cards"], at: "\(path).cards") else {
            return
        }
        errors.checkCount(cards, at: "\(path).cards", count: 1...10)
        for (index, element) in cards.enumerated() {
            let cardPath = "\(path).cards[\(index)]"
            guard let card = errors.requireObject(element, at: cardPath) else { continue }
            if let header = errors.requireObject(card["header"], at: "\(cardPath).header") {
                validateHeader(header, at: "\(cardPath).header", &errors)
            }
            _ = errors.optionalObject(card["body"], at: "\(cardPath).body")
            let buttonsPath = "\(cardPath).buttons"
            guard let buttons = errors.optionalArray(card["buttons"], at: buttonsPath) else {
                continue
            }
            errors.checkCount(buttons, at: buttonsPath, count: 1...2)
            for (buttonIndex, buttonValue) in buttons.enumerated() {
                let buttonPath = "\(buttonsPath)[\(buttonIndex)]"
                guard let button = errors.requireObject(buttonValue, at: buttonPath) else {
                    continue
                }
                let type = errors.requireEnum(
                    button["type"],
                    at: "\(buttonPath).type",
                    allowed: ["QUICK_REPLY", "URL"]
                )
                if let type {
                    errors.requireString(
                        button["parameter"],
                        at: "\(buttonPath).parameter",
                        length: type == "QUICK_REPLY" ? 1...128 : nil
                    )
                }
            }
        }
    }
}
