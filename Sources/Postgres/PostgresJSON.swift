public import Foundation

/// Raw JSON text for `json` and `jsonb` columns and parameters.
///
/// The text is passed through unchanged, and the server validates it. The server normalizes
/// `jsonb` output (key order, whitespace), so compare decoded JSON, not text, after a round trip.
public struct PostgresJSON: Sendable, Hashable, PostgresEncodable, PostgresDecodable {
    /// The JSON document as text.
    public var text: String

    public init(text: String) {
        self.text = text
    }

    /// Creates a value from UTF-8 JSON bytes, such as `JSONEncoder` output. Invalid UTF-8
    /// sequences become U+FFFD.
    public init(data: Data) {
        self.text = String(decoding: data, as: UTF8.self)
    }

    /// The text as UTF-8 bytes, for `JSONDecoder`.
    public var data: Data {
        Data(text.utf8)
    }

    public var postgresText: String { text }

    public init(postgresText: String) {
        self.text = postgresText
    }
}
