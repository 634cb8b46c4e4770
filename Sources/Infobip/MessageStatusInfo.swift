/// Infobip's `status` object, in send responses and delivery reports.
///
/// Group ids: 1 `PENDING`, 2 `UNDELIVERABLE`, 3 `DELIVERED`, 4 `EXPIRED`, 5 `REJECTED`. A send
/// response normally carries 1/7 `PENDING_ENROUTE`, and only 3/5 `DELIVERED_TO_HANDSET` is a final
/// delivery. Values are kept as Infobip sends them, so new groups and names pass through.
public struct MessageStatusInfo: Sendable, Codable, Equatable {
    public var groupId: Int
    public var groupName: String
    public var id: Int
    public var name: String
    public var description: String?
    /// Suggested next step, present on some statuses.
    public var action: String?

    /// Creates a status.
    public init(
        groupId: Int,
        groupName: String,
        id: Int,
        name: String,
        description: String? = nil,
        action: String? = nil
    ) {
        self.groupId = groupId
        self.groupName = groupName
        self.id = id
        self.name = name
        self.description = description
        self.action = action
    }
}
