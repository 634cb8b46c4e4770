/// Infobip's `contact` object: who the WhatsApp user on the other side is.
///
/// `userId` is Meta's business-scoped user id (BSUID). `phoneNumber` is missing for users who
/// enabled usernames and have not exchanged messages with the business in the last 30 days.
public struct WhatsAppContact: Sendable, Codable, Equatable {
    /// Profile name.
    public var name: String?
    public var phoneNumber: String?
    public var userId: String?
    public var parentUserId: String?
    public var username: String?

    /// Creates a contact.
    public init(
        name: String? = nil,
        phoneNumber: String? = nil,
        userId: String? = nil,
        parentUserId: String? = nil,
        username: String? = nil
    ) {
        self.name = name
        self.phoneNumber = phoneNumber
        self.userId = userId
        self.parentUserId = parentUserId
        self.username = username
    }
}
