import Foundation

/// The safety rule for report delivery: the simulator posts only to this machine.
enum LoopbackAddress {
    /// Host names accepted as loopback, compared case-insensitively.
    static let hosts: Set<String> = ["127.0.0.1", "::1", "localhost"]

    /// Returns whether `url` is an http or https URL whose host is 127.0.0.1, ::1 or localhost.
    ///
    /// Other addresses in 127.0.0.0/8 and names that merely resolve to a loopback address are
    /// rejected on purpose: the check must hold without a DNS lookup.
    static func allows(_ url: URL) -> Bool {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            var host = components.host?.lowercased()
        else { return false }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        return hosts.contains(host)
    }
}
