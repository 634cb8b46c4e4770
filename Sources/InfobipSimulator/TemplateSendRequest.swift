/// The parts of a valid `POST /whatsapp/1/message/template` body that the simulator acts on.
struct TemplateSendRequest: Sendable {
    /// One entry of `messages`.
    struct Message: Sendable {
        var from: String
        var to: String
        /// The client's id; nil or empty means the simulator generates one.
        var messageId: String?
        /// URL that receives this message's delivery and seen reports. With nil none are sent.
        var notifyUrl: String?
    }

    var bulkId: String?
    var messages: [Message]
}
