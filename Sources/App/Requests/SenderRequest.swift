import Domain

/// The bodies of `POST /wabas/{id}/senders` and `PATCH /wabas/{id}/senders/{senderId}`,
/// validated.
struct SenderRequest: Sendable {
    /// Present on creation, absent on a change.
    var number: PhoneNumber?
    var status: SenderStatus?
    var quality: Quality?

    /// Reads a creation body: `number` is required.
    static func creation(_ body: JSONObjectReader) throws(Problem) -> SenderRequest {
        try body.rejectUnknownFields(allowed: ["number", "status", "quality"])
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
        return SenderRequest(number: number, status: try status(body), quality: try quality(body))
    }

    /// Reads a change body: `status`, `quality` or both.
    static func change(_ body: JSONObjectReader) throws(Problem) -> SenderRequest {
        try body.rejectUnknownFields(allowed: ["status", "quality"])
        let request = SenderRequest(
            number: nil,
            status: try status(body),
            quality: try quality(body)
        )
        guard request.status != nil || request.quality != nil else {
            throw Problem.missingField(
                "status",
                hint: "Give status (ACTIVE, PAUSED or DISABLED), quality (HIGH, MEDIUM or LOW), "
                    + "or both."
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
