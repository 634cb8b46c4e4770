/// A failure of ``JSONStreamParser``: the document is not valid JSON, or its input could not be
/// read.
struct JSONStreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What failed.
    enum Cause: Equatable, Sendable {
        /// The bytes are not valid JSON, or they nest deeper than the parser allows.
        case invalidJSON
        /// The chunk source threw, and ``JSONStreamError/reason`` is that error's description.
        case readFailed
    }

    /// The zero-based byte offset in the input where the problem is.
    ///
    /// It is the offset of the unexpected byte or of the end of the input in most cases. An
    /// unterminated string points at its opening quote, and an invalid escape at its backslash.
    /// Invalid UTF-8 points at the first byte of the sequence, and an invalid literal or
    /// number as a whole at its first byte.
    var offset: Int

    /// The problem in plain words, such as `expected ',' or '}'`.
    var reason: String

    /// What failed.
    var cause: Cause

    init(offset: Int, reason: String, cause: Cause = .invalidJSON) {
        self.offset = offset
        self.reason = reason
        self.cause = cause
    }

    var description: String {
        switch cause {
        case .invalidJSON: "invalid JSON at byte \(offset): \(reason)"
        case .readFailed: "reading JSON failed at byte \(offset): \(reason)"
        }
    }
}
