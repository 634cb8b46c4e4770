public import Foundation

/// The 32-byte key that encrypts Infobip API keys at rest.
///
/// Every instance that shares a database must use the same key, so it comes from configuration
/// (`SECRET_KEY`, 64 hexadecimal characters), never from the instance itself.
public struct SecretKey: Sendable {
    let bytes: [UInt8]

    /// Parses 64 hexadecimal characters.
    public init(hex: String) throws(CryptoError) {
        let text = hex.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == Sodium.secretBoxKeyBytes * 2 else {
            throw .invalidKeyLength(text.count)
        }
        // UInt8(_:radix:) accepts a leading sign, so check the digits first.
        guard text.allSatisfy(\.isHexDigit) else { throw .invalidKeyText }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { throw .invalidKeyText }
            bytes.append(byte)
            index = next
        }
        self.bytes = bytes
    }

    /// Generates a new random key.
    public static func generate() -> SecretKey {
        SecretKey(bytes: Sodium.randomBytes(Sodium.secretBoxKeyBytes))
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The key as 64 lowercase hexadecimal characters, for writing it to a key file.
    public var hex: String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Encrypts and authenticates `plaintext`. The result starts with a fresh random nonce.
    public func seal(_ plaintext: String) -> Data {
        let nonce = Sodium.randomBytes(Sodium.secretBoxNonceBytes)
        let sealed = Sodium.secretBoxSeal(Array(plaintext.utf8), nonce: nonce, key: bytes)
        return Data(nonce + sealed)
    }

    /// Decrypts what ``seal(_:)`` produced with the same key.
    ///
    /// - Throws: ``CryptoError`` when the data was sealed with another key or altered.
    public func open(_ sealed: Data) throws(CryptoError) -> String {
        let all = [UInt8](sealed)
        guard all.count > Sodium.secretBoxNonceBytes else { throw .decryptionFailed }
        let nonce = Array(all[..<Sodium.secretBoxNonceBytes])
        let box = Array(all[Sodium.secretBoxNonceBytes...])
        guard let plaintext = Sodium.secretBoxOpen(box, nonce: nonce, key: bytes),
            let text = String(bytes: plaintext, encoding: .utf8)
        else { throw .decryptionFailed }
        return text
    }
}

/// A failure of the crypto module; its description never contains key material.
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidKeyLength(Int)
    case invalidKeyText
    case decryptionFailed

    public var description: String {
        switch self {
        case .invalidKeyLength(let count):
            "The secret key has \(count) characters; it must be 64 hexadecimal characters "
                + "(32 bytes), such as the output of `openssl rand -hex 32`."
        case .invalidKeyText:
            "The secret key contains characters that are not hexadecimal digits."
        case .decryptionFailed:
            "Decryption failed: the data was encrypted with another secret key or was altered."
        }
    }
}
