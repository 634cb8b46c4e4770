/// Value of a template's header in a send, tagged by Infobip's `type` field.
///
/// Encodes as `{"type":"TEXT","placeholder":...}`, `{"type":"IMAGE","mediaUrl":...}`,
/// `{"type":"VIDEO","mediaUrl":...}`, `{"type":"DOCUMENT","mediaUrl":...,"filename":...}` or
/// `{"type":"LOCATION","latitude":...,"longitude":...}`. Infobip's limits: media URLs 1 to 2048
/// characters, file names 1 to 240, latitude -90 to 90 and longitude -180 to 180 degrees.
/// The `GIF` header of Infobip's Marketing Messages API is not supported.
public enum TemplateHeader: Sendable, Codable, Equatable {
    /// Value of the text header's single `{{1}}`. Infobip rejects new lines, tabs and more
    /// than 4 consecutive spaces.
    case text(placeholder: String)
    /// JPG, JPEG or PNG image of at most 5 MB.
    case image(mediaURL: String)
    /// MP4 or 3GPP video of at most 16 MB.
    case video(mediaURL: String)
    /// PDF document of at most 100 MB and the file name shown to the recipient.
    case document(mediaURL: String, filename: String)
    /// Location in decimal degrees.
    case location(latitude: Double, longitude: Double)

    private enum CodingKeys: String, CodingKey {
        case type, placeholder, mediaUrl, filename, latitude, longitude
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "TEXT":
            self = .text(placeholder: try container.decode(String.self, forKey: .placeholder))
        case "IMAGE":
            self = .image(mediaURL: try container.decode(String.self, forKey: .mediaUrl))
        case "VIDEO":
            self = .video(mediaURL: try container.decode(String.self, forKey: .mediaUrl))
        case "DOCUMENT":
            self = .document(
                mediaURL: try container.decode(String.self, forKey: .mediaUrl),
                filename: try container.decode(String.self, forKey: .filename)
            )
        case "LOCATION":
            self = .location(
                latitude: try container.decode(Double.self, forKey: .latitude),
                longitude: try container.decode(Double.self, forKey: .longitude)
            )
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type,
                in: container,
                debugDescription: "unsupported template header type \(type)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let placeholder):
            try container.encode("TEXT", forKey: .type)
            try container.encode(placeholder, forKey: .placeholder)
        case .image(let mediaURL):
            try container.encode("IMAGE", forKey: .type)
            try container.encode(mediaURL, forKey: .mediaUrl)
        case .video(let mediaURL):
            try container.encode("VIDEO", forKey: .type)
            try container.encode(mediaURL, forKey: .mediaUrl)
        case .document(let mediaURL, let filename):
            try container.encode("DOCUMENT", forKey: .type)
            try container.encode(mediaURL, forKey: .mediaUrl)
            try container.encode(filename, forKey: .filename)
        case .location(let latitude, let longitude):
            try container.encode("LOCATION", forKey: .type)
            try container.encode(latitude, forKey: .latitude)
            try container.encode(longitude, forKey: .longitude)
        }
    }
}
