/// A free-form WhatsApp text message for `POST /whatsapp/1/message/text`.
///
/// Infobip delivers it only inside the 24-hour window that opens when the user writes to the
/// business. Outside it, send a template. Encodes as
/// `{"from","to","messageId","content":{"text","previewUrl"},"callbackData","notifyUrl"}`, with
/// nil fields left out.
public struct TextMessage: Sendable, Codable, Equatable {
    /// Registered WhatsApp sender number in international format, 1 to 24 characters.
    public var from: String

    /// Recipient number or business-scoped user id, 1 to 150 characters.
    public var to: String

    /// Our id for the message, up to 200 characters.
    public var messageId: String

    /// Message text, 1 to 4096 characters.
    public var text: String

    /// Whether WhatsApp shows a preview of the first URL in `text`, false by default.
    public var previewUrl: Bool?

    /// Opaque data for our own use, up to 4000 characters.
    public var callbackData: String?

    /// URL that receives the delivery and seen reports of this message, up to 2048 characters.
    public var notifyUrl: String?

    /// Creates a text message.
    public init(
        from: String,
        to: String,
        messageId: String,
        text: String,
        previewUrl: Bool? = nil,
        callbackData: String? = nil,
        notifyUrl: String? = nil
    ) {
        self.from = from
        self.to = to
        self.messageId = messageId
        self.text = text
        self.previewUrl = previewUrl
        self.callbackData = callbackData
        self.notifyUrl = notifyUrl
    }

    private enum CodingKeys: String, CodingKey {
        case from, to, messageId, content, callbackData, notifyUrl
    }

    private enum ContentKeys: String, CodingKey {
        case text, previewUrl
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        from = try container.decode(String.self, forKey: .from)
        to = try container.decode(String.self, forKey: .to)
        messageId = try container.decode(String.self, forKey: .messageId)
        callbackData = try container.decodeIfPresent(String.self, forKey: .callbackData)
        notifyUrl = try container.decodeIfPresent(String.self, forKey: .notifyUrl)

        let content = try container.nestedContainer(keyedBy: ContentKeys.self, forKey: .content)
        text = try content.decode(String.self, forKey: .text)
        previewUrl = try content.decodeIfPresent(Bool.self, forKey: .previewUrl)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(messageId, forKey: .messageId)
        try container.encodeIfPresent(callbackData, forKey: .callbackData)
        try container.encodeIfPresent(notifyUrl, forKey: .notifyUrl)

        var content = container.nestedContainer(keyedBy: ContentKeys.self, forKey: .content)
        try content.encode(text, forKey: .text)
        try content.encodeIfPresent(previewUrl, forKey: .previewUrl)
    }
}
