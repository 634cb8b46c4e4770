public import Foundation

/// One message a WhatsApp user sent to our number, an item of the inbound `results` array.
///
/// `messageId`, `from`, `to` and `message.type` are required. Only the fields the gateway
/// uses are decoded, and media, location and interactive payloads are not.
public struct InboundMessage: Sendable, Equatable {
    /// WhatsApp's id of the inbound message, such as `wamid.HBgL...`.
    public var messageId: String

    /// The end user's number.
    public var from: String

    /// Our sender number.
    public var to: String
    public var receivedAt: Date?

    /// `message.type` as Infobip sends it: `TEXT`, `BUTTON`, `IMAGE`, `INTERACTIVE_BUTTON_REPLY`
    /// and so on, including values added later.
    public var type: String

    /// `message.text` of `TEXT` messages and the button label of `BUTTON` messages.
    public var text: String?

    /// `message.payload` of a quick-reply `BUTTON` tap: the button's parameter from the send.
    public var payload: String?

    /// Id of our message this one replies to, when Infobip sends it.
    public var pairedMessageId: String?
    public var callbackData: String?
    public var contact: WhatsAppContact?

    /// Creates an inbound message.
    public init(
        messageId: String,
        from: String,
        to: String,
        receivedAt: Date? = nil,
        type: String,
        text: String? = nil,
        payload: String? = nil,
        pairedMessageId: String? = nil,
        callbackData: String? = nil,
        contact: WhatsAppContact? = nil
    ) {
        self.messageId = messageId
        self.from = from
        self.to = to
        self.receivedAt = receivedAt
        self.type = type
        self.text = text
        self.payload = payload
        self.pairedMessageId = pairedMessageId
        self.callbackData = callbackData
        self.contact = contact
    }
}

extension InboundMessage: Decodable {
    private enum CodingKeys: String, CodingKey {
        case messageId, from, to, receivedAt, message, pairedMessageId, callbackData, contact
    }

    private enum MessageKeys: String, CodingKey {
        case type, text, payload
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageId = try container.decode(String.self, forKey: .messageId)
        from = try container.decode(String.self, forKey: .from)
        to = try container.decode(String.self, forKey: .to)
        receivedAt = try container.decodeIfPresent(String.self, forKey: .receivedAt)
            .flatMap(InfobipTimestamp.parse)
        pairedMessageId = try container.decodeIfPresent(String.self, forKey: .pairedMessageId)
        callbackData = try container.decodeIfPresent(String.self, forKey: .callbackData)
        contact = try container.decodeIfPresent(WhatsAppContact.self, forKey: .contact)

        let message = try container.nestedContainer(keyedBy: MessageKeys.self, forKey: .message)
        type = try message.decode(String.self, forKey: .type)
        // Other message types reuse `text` for captions and may give it another type.
        text = try? message.decodeIfPresent(String.self, forKey: .text)
        payload = try? message.decodeIfPresent(String.self, forKey: .payload)
    }
}
