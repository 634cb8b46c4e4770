public import Foundation

/// A 32-byte BLAKE2b digest of content that may arrive in chunks, such as a request body, to
/// recognise a repeated request without storing it.
public struct ContentDigest {
    private let state = Sodium.GenericHashState()

    public init() {}

    public mutating func update(_ data: Data) {
        state.update([UInt8](data))
    }

    /// Returns the digest. Call it once, after the last ``update(_:)``.
    public mutating func finish() -> Data {
        Data(state.finish())
    }

    /// Returns the digest of `data` in one call.
    public static func of(_ data: Data) -> Data {
        var digest = ContentDigest()
        digest.update(data)
        return digest.finish()
    }
}
