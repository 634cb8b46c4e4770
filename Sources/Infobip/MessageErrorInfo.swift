/// Infobip's `error` object in a delivery report.
///
/// A successful delivery carries id 0 `NO_ERROR` in group 0 `OK`. WhatsApp failures use the
/// 7000-range chat codes such as 7002 `EC_UNKNOWN_USER`. Error groups are 0 `OK`,
/// 1 `HANDSET_ERRORS`, 2 `USER_ERRORS` and 3 `OPERATOR_ERRORS`. Which side is at fault is for
/// the caller to decide from these raw values.
public struct MessageErrorInfo: Sendable, Codable, Equatable {
    public var groupId: Int?
    public var groupName: String?
    public var id: Int
    public var name: String?
    public var description: String?
    /// Whether Infobip marks the error as permanent, so that retrying cannot succeed.
    public var permanent: Bool?

    /// Creates an error object.
    public init(
        groupId: Int? = nil,
        groupName: String? = nil,
        id: Int,
        name: String? = nil,
        description: String? = nil,
        permanent: Bool? = nil
    ) {
        self.groupId = groupId
        self.groupName = groupName
        self.id = id
        self.name = name
        self.description = description
        self.permanent = permanent
    }
}
