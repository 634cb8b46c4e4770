import Domain

extension TemplateStructure {
    /// Reads what a send must fill in from a template's stored components (Infobip's
    /// `structure` object).
    ///
    /// Infobip sends an authentication template with its code twice: as the one body
    /// placeholder and as the parameter of a `URL` button, whatever the button's `otpType`.
    init(components: JSONValue, category: String) {
        guard category != "AUTHENTICATION" else {
            self.init(bodyPlaceholderCount: 1, header: nil, buttons: [.dynamicURL])
            return
        }
        guard case .object(let structure) = components else {
            self.init(bodyPlaceholderCount: 0)
            return
        }
        var bodyCount = 0
        if case .object(let body)? = structure["body"], case .string(let text)? = body["text"] {
            bodyCount = TemplateStructure.placeholderCount(in: text)
        }
        self.init(
            bodyPlaceholderCount: bodyCount,
            header: Self.headerKind(structure["header"]),
            buttons: Self.buttonKinds(structure["buttons"])
        )
    }

    private static func headerKind(_ value: JSONValue?) -> HeaderKind? {
        guard case .object(let header)? = value, case .string(let format)? = header["format"]
        else { return nil }
        switch format {
        case "TEXT":
            var hasPlaceholder = false
            if case .string(let text)? = header["text"] {
                hasPlaceholder = placeholderCount(in: text) > 0
            }
            return .text(hasPlaceholder: hasPlaceholder)
        case "IMAGE": return .image
        case "VIDEO": return .video
        case "DOCUMENT": return .document
        case "LOCATION": return .location
        default: return .other(format)
        }
    }

    private static func buttonKinds(_ value: JSONValue?) -> [ButtonKind] {
        guard case .array(let buttons)? = value else { return [] }
        return buttons.map { button in
            guard case .object(let fields) = button, case .string(let type)? = fields["type"]
            else { return .other("") }
            switch type {
            case "QUICK_REPLY":
                return .quickReply
            case "URL":
                if case .string(let url)? = fields["url"], url.contains("{{") {
                    return .dynamicURL
                }
                return .staticURL
            case "COPY_CODE":
                return .copyCode
            case "PHONE_NUMBER":
                return .phoneNumber
            default:
                return .other(type)
            }
        }
    }
}
