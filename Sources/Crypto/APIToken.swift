public import Foundation

/// Bearer tokens that authenticate tenants, and the hash under which they are stored.
///
/// A token is 32 random bytes in unpadded base64url behind the prefix `wr_`, so a leaked token is
/// easy to recognise in logs and secret scanners. Only its BLAKE2b hash is stored; 256 random
/// bits need no slow password hash, since no dictionary covers them.
public enum APIToken {
    public static let prefix = "wr_"

    /// Generates a new token.
    public static func generate() -> String {
        let bytes = Sodium.randomBytes(32)
        return prefix + base64URL(bytes)
    }

    /// The value stored in the database and looked up on each request.
    public static func hash(_ token: String) -> Data {
        Data(Sodium.genericHash(Array(token.utf8), key: []))
    }

    /// Compares two hashes without leaking where they differ.
    public static func hashesEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        Sodium.constantTimeEqual([UInt8](lhs), [UInt8](rhs))
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
