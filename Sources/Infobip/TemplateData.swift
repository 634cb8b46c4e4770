/// Values that fill a template: body placeholders, an optional header and button parameters.
///
/// Encodes as `{"body":{"placeholders":[...]},"header":{...},"buttons":[...]}`. The body is
/// always present, even with no placeholders, because Infobip rejects a send without it.
/// `header` is left out when nil and `buttons` when empty.
public struct TemplateData: Sendable, Codable, Equatable {
    /// Values of the body's `{{1}}`, `{{2}}`, ... in order. Infobip rejects empty strings.
    public var bodyPlaceholders: [String]

    /// Value of the template's header, when the template has a header with a variable part.
    public var header: TemplateHeader?

    /// Parameters of the quick-reply, dynamic URL and copy-code buttons, in registration
    /// order. Static URL and phone buttons are not listed.
    public var buttons: [TemplateButton]

    /// Creates template data.
    public init(
        bodyPlaceholders: [String] = [],
        header: TemplateHeader? = nil,
        buttons: [TemplateButton] = []
    ) {
        self.bodyPlaceholders = bodyPlaceholders
        self.header = header
        self.buttons = buttons
    }

    private enum CodingKeys: String, CodingKey {
        case body, header, buttons
    }

    private enum BodyKeys: String, CodingKey {
        case placeholders
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let body = try container.nestedContainer(keyedBy: BodyKeys.self, forKey: .body)
        bodyPlaceholders = try body.decode([String].self, forKey: .placeholders)
        header = try container.decodeIfPresent(TemplateHeader.self, forKey: .header)
        buttons = try container.decodeIfPresent([TemplateButton].self, forKey: .buttons) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var body = container.nestedContainer(keyedBy: BodyKeys.self, forKey: .body)
        try body.encode(bodyPlaceholders, forKey: .placeholders)
        try container.encodeIfPresent(header, forKey: .header)
        if !buttons.isEmpty {
            try container.encode(buttons, forKey: .buttons)
        }
    }
}
