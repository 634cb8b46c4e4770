import Crypto
import Foundation
import HTTPServer

extension IdempotencyKey {
    /// Longest `Idempotency-Key` accepted, in characters.
    static let maximumLength = 255

    /// Reads the `Idempotency-Key` header of a request, or returns nil when it has none.
    ///
    /// - Parameter bodyHash: Digest of the body's bytes; a repeat must send the same bytes.
    /// - Throws: a 400 ``Problem`` for an empty, overlong or non-printable key, or for a header
    ///   sent more than once, since no single key could be chosen from several.
    init?(
        request: HTTPRequest,
        tenantID: UUID,
        endpoint: String,
        bodyHash: Data
    ) throws(Problem) {
        // libmicrohttpd 0.9.75 appends a folded continuation line (obs-fold) to the field
        // name, so `Idempotency-Key: a` folded onto ` b` arrives as `Idempotency-Keyb: a`.
        if let folded = request.headers.map(\.name).first(where: {
            $0.count > 15 && $0.lowercased().hasPrefix("idempotency-key")
        }) {
            throw Problem.invalidField(
                "Idempotency-Key",
                "The header '\(folded)' is not Idempotency-Key; a header value continued on a "
                    + "second line arrives this way. Send the key on the header's own line."
            )
        }
        let keys = request.headers.values(for: "Idempotency-Key")
        guard let key = keys.first else { return nil }
        guard keys.count == 1 else {
            throw Problem.invalidField(
                "Idempotency-Key",
                "The Idempotency-Key header appears \(keys.count) times. Send it once, with "
                    + "one key."
            )
        }
        let printable = key.unicodeScalars.allSatisfy {
            $0.isASCII && $0.value >= 0x21 && $0.value < 0x7F
        }
        guard (1...Self.maximumLength).contains(key.count), printable else {
            throw Problem.invalidField(
                "Idempotency-Key",
                "The Idempotency-Key header must be 1 to \(Self.maximumLength) printable ASCII "
                    + "characters without spaces, such as a UUID."
            )
        }
        self.init(tenantID: tenantID, endpoint: endpoint, key: key, requestHash: bodyHash)
    }

    /// The 422 for a key reused with another body.
    static let mismatch = Problem(
        .idempotencyKeyReused,
        status: 422,
        title: "Idempotency key reused",
        detail: "This Idempotency-Key was used in the last 24 hours with a different request "
            + "body. Repeat the first request's exact body, or use a new key for a new request.",
        field: "Idempotency-Key"
    )
}
