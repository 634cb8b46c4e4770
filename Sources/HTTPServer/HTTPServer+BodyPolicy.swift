extension HTTPServer {
    /// The way the server stores one request's body: in memory or in a temporary file.
    ///
    /// ``Configuration/bodyPolicy`` picks a policy from the method and path once, when the
    /// request head arrives. A body over `maxBytes` gets status 413 under either policy, and a
    /// negative `maxBytes` counts as 0.
    public enum BodyPolicy: Sendable {
        /// Keeps the body in memory and hands it over as ``HTTPRequest/body``.
        case buffer(maxBytes: Int)

        /// Writes the body to a temporary file as it arrives and hands it over as
        /// ``HTTPRequest/spooledBody``, so that a large body never sits in memory.
        case spool(maxBytes: Int)

        /// The maximum body size in bytes, never negative.
        var maxBytes: Int {
            switch self {
            case .buffer(let maxBytes), .spool(let maxBytes): max(0, maxBytes)
            }
        }

        var spoolsBody: Bool {
            if case .spool = self { true } else { false }
        }
    }
}
