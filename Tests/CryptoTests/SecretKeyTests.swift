import Foundation
import Testing

@testable import Crypto

@Suite struct SecretKeyTests {
    private static let keyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

    // MARK: Sealing

    @Test(arguments: [
        "", "ABC-infobip-api-key-123", "ключ 🔑 キー",
        String(repeating: "x", count: 10_000),
    ])
    func sealThenOpenRoundTrips(plaintext: String) throws {
        let key = try SecretKey(hex: Self.keyHex)
        let sealed = key.seal(plaintext)
        #expect(try key.open(sealed) == plaintext)
    }

    /// The layout is a 24-byte nonce, a 16-byte MAC, then ciphertext as long as the plaintext.
    @Test(arguments: ["", "a", "ключ"])
    func sealedLengthAddsNonceAndMAC(plaintext: String) throws {
        let key = try SecretKey(hex: Self.keyHex)
        #expect(key.seal(plaintext).count == 24 + 16 + plaintext.utf8.count)
    }

    @Test func twoSealsOfSameTextDiffer() throws {
        let key = try SecretKey(hex: Self.keyHex)
        let first = key.seal("api-key")
        let second = key.seal("api-key")
        #expect(first != second)
        #expect(first.prefix(24) != second.prefix(24))
        #expect(try key.open(first) == "api-key")
        #expect(try key.open(second) == "api-key")
    }

    @Test func keyParsedAgainOpensSealedData() throws {
        let sealed = try SecretKey(hex: Self.keyHex).seal("api-key")
        let sameKey = try SecretKey(hex: Self.keyHex.uppercased())
        #expect(try sameKey.open(sealed) == "api-key")
    }

    @Test func otherKeyFailsToOpen() throws {
        let sealed = try SecretKey(hex: Self.keyHex).seal("api-key")
        let otherKey = SecretKey.generate()
        #expect(throws: CryptoError.decryptionFailed) {
            try otherKey.open(sealed)
        }
    }

    /// Offsets 0 and 23 are in the nonce, 24 and 39 in the MAC, 40 and 46 in the ciphertext.
    @Test(arguments: [0, 23, 24, 39, 40, 46])
    func alteredByteFailsToOpen(offset: Int) throws {
        let key = try SecretKey(hex: Self.keyHex)
        var sealed = key.seal("api-key")
        try #require(sealed.count == 47)
        sealed[offset] ^= 0x01
        #expect(throws: CryptoError.decryptionFailed) {
            try key.open(sealed)
        }
    }

    @Test(arguments: [0, 1, 24, 39, 46])
    func truncatedDataFailsToOpen(length: Int) throws {
        let key = try SecretKey(hex: Self.keyHex)
        let sealed = key.seal("api-key")
        #expect(throws: CryptoError.decryptionFailed) {
            try key.open(sealed.prefix(length))
        }
    }

    @Test func appendedByteFailsToOpen() throws {
        let key = try SecretKey(hex: Self.keyHex)
        var sealed = key.seal("api-key")
        sealed.append(0)
        #expect(throws: CryptoError.decryptionFailed) {
            try key.open(sealed)
        }
    }

    @Test func nonUTF8PlaintextFailsToOpen() throws {
        let key = try SecretKey(hex: Self.keyHex)
        let nonce = [UInt8](repeating: 7, count: Sodium.secretBoxNonceBytes)
        let box = Sodium.secretBoxSeal([0xFF, 0xFE], nonce: nonce, key: key.bytes)
        #expect(throws: CryptoError.decryptionFailed) {
            try key.open(Data(nonce + box))
        }
    }

    // MARK: Parsing

    @Test func hexParsesToBytes() throws {
        let key = try SecretKey(hex: Self.keyHex)
        #expect(key.bytes == Array(0...31))
        #expect(key.hex == Self.keyHex)
    }

    @Test func uppercaseHexWritesLowercase() throws {
        let key = try SecretKey(hex: Self.keyHex.uppercased())
        #expect(key.hex == Self.keyHex)
    }

    @Test(arguments: [" \(keyHex)", "\(keyHex)\n", "\t\(keyHex) \r\n"])
    func surroundingWhitespaceIgnored(text: String) throws {
        let key = try SecretKey(hex: text)
        #expect(key.hex == Self.keyHex)
    }

    @Test(arguments: [0, 1, 32, 63, 65, 128])
    func wrongLengthRejected(length: Int) {
        let text = String(repeating: "a", count: length)
        #expect(throws: CryptoError.invalidKeyLength(length)) {
            try SecretKey(hex: text)
        }
    }

    @Test(arguments: [
        "g" + String(repeating: "0", count: 63),
        String(repeating: "0", count: 62) + "zz",
        "0x" + String(repeating: "0", count: 62),
        String(repeating: "0", count: 31) + " " + String(repeating: "0", count: 32),
        String(repeating: "é", count: 64),
    ])
    func nonHexCharactersRejected(text: String) {
        #expect(throws: CryptoError.invalidKeyText) {
            try SecretKey(hex: text)
        }
    }

    /// `UInt8(_:radix:)` accepts a leading `+` or `-`, so a pair such as `+f` parses unless each
    /// character is checked to be a hexadecimal digit.
    @Test(arguments: ["+f", "+0", "-0"])
    func signedPairRejected(pair: String) {
        let text = String(repeating: pair, count: 32)
        #expect(throws: CryptoError.invalidKeyText) {
            try SecretKey(hex: text)
        }
    }

    // MARK: Generation

    @Test func generatedKeyIsLowercaseHex() {
        let hex = SecretKey.generate().hex
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func generatedKeysDiffer() {
        #expect(SecretKey.generate().hex != SecretKey.generate().hex)
    }

    @Test func generatedKeyRoundTripsThroughHex() throws {
        let key = SecretKey.generate()
        let sealed = key.seal("api-key")
        let reparsed = try SecretKey(hex: key.hex)
        #expect(reparsed.bytes == key.bytes)
        #expect(try reparsed.open(sealed) == "api-key")
    }

    // MARK: Errors

    @Test func lengthErrorNamesCount() {
        let description = CryptoError.invalidKeyLength(63).description
        #expect(description.contains("63 characters"))
        #expect(description.contains("openssl rand -hex 32"))
    }

    @Test(arguments: [CryptoError.invalidKeyLength(63), .invalidKeyText, .decryptionFailed])
    func errorDescriptionIsNotEmpty(error: CryptoError) {
        #expect(!error.description.isEmpty)
    }
}
