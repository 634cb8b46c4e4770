/// Body of `POST /whatsapp/1/message/template`: `{"messages":[...],"bulkId":...}`.
///
/// `bulkId` is left out when nil, and Infobip then generates one for multi-message requests.
public struct TemplateSendRequest: Sendable, Codable, Equatable {
    /// The messages, each with its own sender, recipient and template.
    public var messages: [TemplateMessage]

    /// Our id for the whole request, up to 100 characters.
    public var bulkId: String?

    /// Creates a request body.
    public init(messages: [TemplateMessage], bulkId: String? = nil) {
        self.messages = messages
        self.bulkId = bulkId
    }
}
