/// One entry of a send response: how Infobip accepted one message.
///
/// An HTTP 200 does not mean every message was accepted. Each entry has its own status, and
/// an entry in group 5 `REJECTED` was refused before sending.
public struct SentMessageInfo: Sendable, Codable, Equatable {
    /// Recipient as Infobip recorded it.
    public var to: String

    /// Number of WhatsApp messages needed for delivery.
    public var messageCount: Int?

    /// Our message id when we sent one, otherwise the id Infobip generated.
    public var messageId: String

    public var status: MessageStatusInfo

    /// Creates an entry.
    public init(to: String, messageCount: Int? = nil, messageId: String, status: MessageStatusInfo)
    {
        self.to = to
        self.messageCount = messageCount
        self.messageId = messageId
        self.status = status
    }
}
