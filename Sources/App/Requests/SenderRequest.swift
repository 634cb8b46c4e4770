import Domain

/// The bodies of `POST /wabas/{id}/senders` and `PATCH /wabas/{id}/senders/{senderId}`,
/// validated.
struct SenderRequest: Sendable {
    /// Present on creation, absent on a change.
    var number: PhoneNumber?
    var status: SenderStatus?
    var quality: Quality?
    var messagesPerSecond: Int?

    /// Meta's default throughput of a business number, in messages per second.
    static let defaultMessagesPerSecond = 80
    /// Highest rate accepted; Meta's upgraded throughput is 1,000, and the extra room is for
    /// accounts and test setups that raise it further.
    static let maximumMessagesPerSecond = 10_000

    /// Reads a creation body: `number` is required.
    static func creation(_ body: JSONObjectReader) throws(Problem) -> SenderRequest {
        try body.rejectUnknownFields(allowed: ["number", "status", "quality", "messagesPerSecond"])
        let text = try body.string(
            "number",
            hint: "Give the sender's WhatsApp number in international format, such as "
                + "+5511987654321."
        )
        let number: PhoneNumber
        do {
            number = try PhoneNumber(parsing: text)
        } catch {
            throw Problem.invalidField("number", error.description)
        }
        return SenderRequest(
            number: number,
            status: try status(body),
            quality: try quality(body),
            messagesPerSecond: try rate(body)
        )
    }

    /// Reads a change body: `status`, `quality` or both.
    static func change(_ body: JSONObjectReader) throws(Problem) -> SenderRequest {
        try body.rejectUnknownFields(allowed: ["status", "quality", "messagesPerSecond"])
        let request = SenderRequest(
            number: nil,
            status: try status(body),
            quality: try quality(body),
            messagesPerSecond: try rate(body)
        )
        guard request.status != nil || request.quality != nil || request.messagesPerSecond != nil
        else {
            throw Problem.missingField(
                "status",
                hint: "Give status (ACTIVE, PAUSED or DISABLED), quality (HIGH, MEDIUM or LOW), "
                    + "messagesPerSecond, or several of them."
            )
        }
        return request
    }

    private static func status(_ body: JSONObjectReader) throws(Problem) -> SenderStatus? {
        guard let text = try body.optionalString("status") else { return nil }
        guard let status = SenderStatus(rawValue: text) else {
            throw Problem.invalidField(
                "status",
                "status is '\(text)'; it must be ACTIVE, PAUSED or DISABLED."
            )
        }
        return status
    }

    private static func rate(_ body: JSONObjectReader) throws(Problem) -> Int? {
        guard let value = try body.optionalNumber("messagesPerSecond") else { return nil }
        guard value.rounded() == value, value >= 1, value <= Double(maximumMessagesPerSecond)
        else {
            throw Problem.invalidField(
                "messagesPerSecond",
                "messagesPerSecond must be a whole number from 1 to \(maximumMessagesPerSecond); "
                    + "Meta allows 80 by default and 1000 after an upgrade."
            )
        }
        return Int(value)
    }

    private static func quality(_ body: JSONObjectReader) throws(Problem) -> Quality? {
        guard let text = try body.optionalString("quality") else { return nil }
        guard let quality = Quality(rawValue: text) else {
            throw Problem.invalidField(
                "quality",
                "quality is '\(text)'; it must be HIGH, MEDIUM or LOW."
            )
        }
        return quality
    }
}
