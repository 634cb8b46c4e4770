import Foundation
import Testing

@testable import Crypto

@Suite struct APITokenTests {
    private static let base64URLAlphabet = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )

    @Test func tokenStartsWithPrefix() {
        #expect(APIToken.prefix == "wr_")
        #expect(APIToken.generate().hasPrefix("wr_"))
    }

    /// 32 bytes are 43 characters of unpadded base64url, after the 3-character prefix.
    @Test func tokenHasFixedLength() {
        #expect(APIToken.generate().count == 46)
    }

    @Test func tokenBodyIsBase64URL() throws {
        for _ in 0..<50 {
            let body = APIToken.generate().dropFirst(APIToken.prefix.count)
            #expect(body.allSatisfy { Self.base64URLAlphabet.contains($0) })
        }
    }

    @Test func tokenBodyDecodesTo32Bytes() throws {
        let body = APIToken.generate().dropFirst(APIToken.prefix.count)
        let base64 =
            body.replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/") + "="
        let bytes = try #require(Data(base64Encoded: base64))
        #expect(bytes.count == 32)
    }

    @Test func generatedTokensDiffer() {
        let tokens = Set((0..<100).map { _ in APIToken.generate() })
        #expect(tokens.count == 100)
    }

    // MARK: Hash

    @Test func hashIsThirtyTwoBytes() {
        #expect(APIToken.hash(APIToken.generate()).count == 32)
    }

    @Test func hashIsStable() {
        let token = APIToken.generate()
        #expect(APIToken.hash(token) == APIToken.hash(token))
    }

    @Test func differentTokensHashDifferently() {
        #expect(APIToken.hash("wr_a") != APIToken.hash("wr_b"))
        #expect(APIToken.hash(APIToken.generate()) != APIToken.hash(APIToken.generate()))
    }

    /// Expected values from Python's `hashlib.blake2b(text, digest_size=32)`.
    @Test(arguments: [
        ("", "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"),
        ("abc", "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"),
        ("wr_ключ", "86ed779c4287956c1b658e932fc0e49e84574ef447af452958d67b15c005158a"),
    ])
    func hashMatchesBLAKE2bVectors(token: String, hex: String) {
        let digest = APIToken.hash(token).map { String(format: "%02x", $0) }.joined()
        #expect(digest == hex)
    }

    @Test func equalHashesCompareEqual() {
        let token = APIToken.generate()
        #expect(APIToken.hashesEqual(APIToken.hash(token), APIToken.hash(token)))
    }

    @Test func differentHashesCompareUnequal() {
        #expect(!APIToken.hashesEqual(APIToken.hash("wr_a"), APIToken.hash("wr_b")))
    }

    @Test func differentLengthsCompareUnequal() {
        let hash = APIToken.hash("wr_a")
        #expect(!APIToken.hashesEqual(hash, hash.prefix(16)))
        #expect(!APIToken.hashesEqual(hash, Data()))
        #expect(!APIToken.hashesEqual(hash, hash + Data([0])))
    }
}
