#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`).
struct OpenFileLimit {
    /// The limit in force, which the process may raise up to ``hard``.
    var soft: UInt64
    /// The ceiling that only a privileged process may raise.
    var hard: UInt64

    /// Reads the current limit, or returns `nil` when `getrlimit` fails.
    static func current() -> OpenFileLimit? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return OpenFileLimit(soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }

    /// Raises the soft limit to `requested`, or to the hard limit when that is lower, and returns
    /// the limit now in force. A soft limit already at `requested` or above stays as it is.
    static func raiseSoftLimit(to requested: UInt64) -> OpenFileLimit? {
        guard var limit = current() else { return nil }
        let target = min(requested, limit.hard)
        guard limit.soft < target else { return limit }
        var raised = rlimit(rlim_cur: rlim_t(target), rlim_max: rlim_t(limit.hard))
        guard setrlimit(resource, &raised) == 0 else { return limit }
        limit.soft = target
        return limit
    }

    private static var resource: Int32 {
        #if canImport(Glibc)
            Int32(RLIMIT_NOFILE.rawValue)
        #else
            RLIMIT_NOFILE
        #endif
    }
}
