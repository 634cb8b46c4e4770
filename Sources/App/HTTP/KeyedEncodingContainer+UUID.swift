import Foundation

/// Writes every UUID of an API response in lowercase, the canonical text form of RFC 9562.
///
/// Foundation encodes `UUID` in uppercase. The synthesized `Encodable` conformances of this
/// module pick these more specific overloads, so ids in bodies match the lowercase ids in
/// `Location` headers, logs and the message ids sent to Infobip.
extension KeyedEncodingContainer {
    mutating func encode(_ value: UUID, forKey key: Key) throws {
        try encode(value.uuidString.lowercased(), forKey: key)
    }

    mutating func encodeIfPresent(_ value: UUID?, forKey key: Key) throws {
        try encodeIfPresent(value?.uuidString.lowercased(), forKey: key)
    }
}
