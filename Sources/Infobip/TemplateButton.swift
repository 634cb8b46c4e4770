/// Parameter of one template button in a send, tagged by Infobip's `type` field.
///
/// Encodes as `{"type":"QUICK_REPLY"|"URL"|"COPY_CODE","parameter":...}`. Authentication (OTP)
/// templates send their code as a `url` button, as in Infobip's own examples, and `copyCode` is
/// for coupon codes.
public enum TemplateButton: Sendable, Codable, Equatable {
    /// Payload returned when the recipient taps the button, 1 to 128 characters.
    case quickReply(parameter: String)
    /// Suffix that replaces `{{1}}` at the end of a dynamic URL.
    case url(parameter: String)
    /// Code the recipient copies, 1 to 15 characters.
    case copyCode(parameter: String)

    private enum CodingKeys: String, CodingKey {
        case type, parameter
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        let parameter = try container.decode(String.self, forKey: .parameter)
        switch type {
        case "QUICK_REPLY": self = .quickReply(parameter: parameter)
        case "URL": self = .url(parameter: parameter)
        case "COPY_CODE": self = .copyCode(parameter: parameter)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type,
                in: container,
                debugDescription: "unsupported template button type \(type)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .quickReply(let parameter):
            try container.encode("QUICK_REPLY", forKey: .type)
            try container.encode(parameter, forKey: .parameter)
        case .url(let parameter):
            try container.encode("URL", forKey: .type)
            try container.encode(parameter, forKey: .parameter)
        case .copyCode(let parameter):
            try container.encode("COPY_CODE", forKey: .type)
            try container.encode(parameter, forKey: .parameter)
        }
    }
}
