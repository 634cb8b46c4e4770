/// One WhatsApp template message in a `POST /whatsapp/1/message/template` request.
///
/// Encodes as one entry of Infobip's `messages` array:
/// `{"from","to","messageId","content":{"templateName","templateData","language"},
/// "callbackData","notifyUrl"}`, where `callbackData` and `notifyUrl` are left out when nil.
public struct TemplateMessage: Sendable, Codable, Equatable {
    /// Registered WhatsApp sender number in international format, 1 to 24 characters.
    public var from: String

    /// Recipient number in international format or a business-scoped user id, 1 to 150
    /// characters.
    public var to: String

    /// Our id for the message, up to 200 characters. Infobip returns it in every report.
    public var messageId: String

    /// Registered template name: lowercase letters, digits and `_`, 1 to 512 characters.
    public var templateName: String

    /// Exact language code the template was registered with, such as `en` or `en_GB`.
    public var language: String

    /// Values for the template's placeholders, header and buttons.
    public var templateData: TemplateData

    /// Opaque data for our own use, up to 4000 characters.
    ///
    /// The WhatsApp delivery report schema has no `callbackData` field, so reports may not
    /// carry it back. Correlate on `messageId` instead.
    public var callbackData: String?

    /// URL that receives the delivery and seen reports of this message, up to 2048 characters.
    public var notifyUrl: String?

    /// Creates a message.
    public init(
        from: String,
        to: String,
        messageId: String,
        templateName: String,
        language: String,
        templateData: TemplateData,
        callbackData: String? = nil,
        notifyUrl: String? = nil
    ) {
        self.from = from
        self.to = to
        self.messageId = messageId
        self.templateName = templateName
        self.language = language
        self.templateData = templateData
        self.callbackData = callbackData
        self.notifyUrl = notifyUrl
    }

    private enum CodingKeys: String, CodingKey {
        case from, to, messageId, content, callbackData, notifyUrl
    }

    private enum ContentKeys: String, CodingKey {
        case templateName, templateData, language
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        from = try container.decode(String.self, forKey: .from)
        to = try container.decode(String.self, forKey: .to)
        messageId = try container.decode(String.self, forKey: .messageId)
        callbackData = try container.decodeIfPresent(String.self, forKey: .callbackData)
        notifyUrl = try container.decodeIfPresent(String.self, forKey: .notifyUrl)

        let content = try container.nestedContainer(keyedBy: ContentKeys.self, forKey: .content)
        templateName = try content.decode(String.self, forKey: .templateName)
        language = try content.decode(String.self, forKey: .language)
        templateData = try content.decode(TemplateData.self, forKey: .templateData)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(messageId, forKey: .messageId)
        try container.encodeIfPresent(callbackData, forKey: .callbackData)
        try container.encodeIfPresent(notifyUrl, forKey: .notifyUrl)

        var content = container.nestedContainer(keyedBy: ContentKeys.self, forKey: .content)
        try content.encode(templateName, forKey: .templateName)
        try content.encode(templateData, forKey: .templateData)
        try content.encode(language, forKey: .language)
    }
}
