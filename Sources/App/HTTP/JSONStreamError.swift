/// A failure of ``JSONStreamParser``: the document is not valid JSON, an object repeats a member
/// name, or the input could not be read.
struct JSONStreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What failed.
    enum Cause: Equatable, Sendable {
        /// The bytes are not valid JSON, or they nest deeper than the parser allows.
        case invalidJSON
        /// An object has the same member name twice, and ``JSONStreamError/path`` names it.
        /// Names are compared after escapes are decoded, with Unicode canonical equivalence as
        /// the keys of ``JSONValue/object(_:)`` are. RFC 8259 leaves the meaning of such an
        /// object open, so the parser rejects it instead of keeping one of the values. It is the
        /// only error the parser can go on after.
        case duplicateMember
        /// The chunk source threw, and ``JSONStreamError/reason`` is that error's description.
        case readFailed
    }

    /// The zero-based byte offset in the input where the problem is.
    ///
    /// It is the offset of the unexpected byte or of the end of the input in most cases. An
    /// unterminated string points at its opening quote, and an invalid escape at its backslash.
    /// A repeated member name points at the opening quote of its second occurrence.
    /// Invalid UTF-8 points at the first byte of the sequence, and an invalid literal or
    /// number as a whole at its first byte.
    var offset: Int

    /// The problem in plain words, such as `expected ',' or '}'`.
    var reason: String

    /// What failed.
    var cause: Cause

    /// The path of the repeated member from the top of the document, such as
    /// `messages[2].params.header.type`, for ``Cause/duplicateMember``, and `nil` otherwise.
    var path: String?

    init(offset: Int, reason: String, cause: Cause = .invalidJSON, path: String? = nil) {
        self.offset = offset
        self.reason = reason
        self.cause = cause
        self.path = path
    }

    /// Returns the error for a member name that appears a second time at `offset`.
    static func duplicateMember(path: String, offset: Int) -> JSONStreamError {
        JSONStreamError(
            offset: offset,
            reason: "\(path) appears twice in the same object",
            cause: .duplicateMember,
            path: path
        )
    }

    var description: String {
        switch cause {
        case .invalidJSON: "invalid JSON at byte \(offset): \(reason)"
        case .duplicateMember: "repeated member name at byte \(offset): \(reason)"
        case .readFailed: "reading JSON failed at byte \(offset): \(reason)"
        }
    }
}
