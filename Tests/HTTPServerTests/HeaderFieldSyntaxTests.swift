import Testing

@testable import HTTPServer

@Suite struct HeaderFieldSyntaxTests {
    @Test(arguments: ["Idempotency-Key", "X-Request-Id", "a", "x!#$%&'*+-.^_`|~9"])
    func tokenNameAccepted(name: String) {
        #expect(HeaderFieldSyntax.isValidName(name))
    }

    @Test(arguments: ["", "Idempotency-Key ", "Key\t", " Key", "X Y", "X:Y", "X(Y)", "caf\u{E9}"])
    func nonTokenNameRejected(name: String) {
        #expect(!HeaderFieldSyntax.isValidName(name))
    }

    @Test(arguments: [
        ("k1", "k1"), (" k1", "k1"), ("k1 \t", "k1"), ("a b", "a b"), (" \t ", ""), ("", ""),
    ])
    func surroundingWhitespaceTrimmed(value: String, expected: String) {
        #expect(HeaderFieldSyntax.trimmed(value) == expected)
    }
}
