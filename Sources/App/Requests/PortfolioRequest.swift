import Domain

/// The bodies of `POST /portfolios` and `PATCH /portfolios/{id}`, validated.
struct PortfolioRequest: Sendable {
    var name: String?
    var tier: MessagingTier?

    /// Reads a creation body: `name` is required, `messagingLimit` defaults to Meta's
    /// starting tier, TIER_250.
    static func creation(_ body: JSONObjectReader) throws(Problem) -> PortfolioRequest {
        try body.rejectUnknownFields(allowed: ["name", "messagingLimit"])
        let name = try body.string(
            "name",
            hint: "Give a name for this business portfolio, such as Acme Group."
        )
        return PortfolioRequest(name: try checkedName(name), tier: try tier(body))
    }

    /// Reads a change body: `name`, `messagingLimit` or both.
    static func change(_ body: JSONObjectReader) throws(Problem) -> PortfolioRequest {
        try body.rejectUnknownFields(allowed: ["name", "messagingLimit"])
        let request = PortfolioRequest(
            name: try body.optionalString("name").map(checkedName),
            tier: try tier(body)
        )
        guard request.name != nil || request.tier != nil else {
            throw Problem.missingField(
                "messagingLimit",
                hint: "Give messagingLimit (\(tierNames)), name, or both."
            )
        }
        return request
    }

    private static let tierNames = MessagingTier.allCases.map(\.rawValue).joined(separator: ", ")

    private static func checkedName(_ name: String) throws(Problem) -> String {
        guard (1...200).contains(name.count) else {
            throw Problem.invalidField("name", "name must have 1 to 200 characters.")
        }
        return name
    }

    private static func tier(_ body: JSONObjectReader) throws(Problem) -> MessagingTier? {
        guard let text = try body.optionalString("messagingLimit") else { return nil }
        guard let tier = MessagingTier(rawValue: text) else {
            throw Problem.invalidField(
                "messagingLimit",
                "messagingLimit '\(text)' is not a tier. Use one of \(tierNames)."
            )
        }
        return tier
    }
}
