import Foundation
import Testing

@testable import Crypto

@Suite struct SodiumTests {
    @Test func secretBoxSizesMatchXSalsa20() {
        #expect(Sodium.secretBoxKeyBytes == 32)
        #expect(Sodium.secretBoxNonceBytes == 24)
        #expect(Sodium.secretBoxMACBytes == 16)
    }

    @Test(arguments: [0, 1, 32, 1000])
    func randomBytesHaveRequestedCount(count: Int) {
        #expect(Sodium.randomBytes(count).count == count)
    }

    @Test func randomBytesDifferBetweenCalls() {
        #expect(Sodium.randomBytes(32) != Sodium.randomBytes(32))
    }

    @Test func sealWithSameNonceIsDeterministic() {
        let key = [UInt8](repeating: 1, count: 32)
        let nonce = [UInt8](repeating: 2, count: 24)
        let first = Sodium.secretBoxSeal(Array("text".utf8), nonce: nonce, key: key)
        let second = Sodium.secretBoxSeal(Array("text".utf8), nonce: nonce, key: key)
        #expect(first == second)
        #expect(first.count == 4 + 16)
    }

    @Test func openReturnsSealedMessage() {
        let key = [UInt8](repeating: 1, count: 32)
        let nonce = [UInt8](repeating: 2, count: 24)
        let sealed = Sodium.secretBoxSeal([1, 2, 3], nonce: nonce, key: key)
        #expect(Sodium.secretBoxOpen(sealed, nonce: nonce, key: key) == [1, 2, 3])
    }

    @Test func openWithOtherNonceFails() {
        let key = [UInt8](repeating: 1, count: 32)
        let sealed = Sodium.secretBoxSeal(
            [1, 2, 3],
            nonce: [UInt8](repeating: 2, count: 24),
            key: key
        )
        let otherNonce = [UInt8](repeating: 3, count: 24)
        #expect(Sodium.secretBoxOpen(sealed, nonce: otherNonce, key: key) == nil)
    }

    @Test(arguments: [0, 1, 15])
    func openShorterThanMACFails(length: Int) {
        let box = [UInt8](repeating: 0, count: length)
        let nonce = [UInt8](repeating: 2, count: 24)
        let key = [UInt8](repeating: 1, count: 32)
        #expect(Sodium.secretBoxOpen(box, nonce: nonce, key: key) == nil)
    }

    /// Expected value from Python's
    /// `hashlib.blake2b(b"abc", key=bytes(range(32)), digest_size=32)`.
    @Test func keyedHashMatchesBLAKE2b() {
        let digest = Sodium.genericHash(Array("abc".utf8), key: Array(0...31))
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f")
    }

    @Test func keyedHashDiffersFromUnkeyed() {
        let message = Array("abc".utf8)
        #expect(
            Sodium.genericHash(message, key: Array(0...31)) != Sodium.genericHash(message, key: [])
        )
    }

    @Test func constantTimeEqualComparesContent() {
        #expect(Sodium.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Sodium.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Sodium.constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(Sodium.constantTimeEqual([], []))
    }
}

@Suite struct ContentDigestTests {
    @Test func chunkedDigestMatchesWhole() {
        let data = Data((0..<10_000).map { UInt8($0 % 251) })
        var digest = ContentDigest()
        var offset = 0
        while offset < data.count {
            let end = min(offset + 777, data.count)
            digest.update(data[offset..<end])
            offset = end
        }
        #expect(digest.finish() == ContentDigest.of(data))
        #expect(ContentDigest.of(data).count == 32)
    }

    @Test func differentContentDiffers() {
        #expect(ContentDigest.of(Data("a".utf8)) != ContentDigest.of(Data("b".utf8)))
    }
}
