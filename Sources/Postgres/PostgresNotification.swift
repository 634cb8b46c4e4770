/// One `NOTIFY` delivered to a ``PostgresListener``.
public struct PostgresNotification: Sendable {
    /// The channel name exactly as the sender gave it.
    public var channel: String

    /// The payload text, empty when the sender gave none.
    public var payload: String

    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}
