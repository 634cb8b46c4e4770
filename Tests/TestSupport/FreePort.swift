import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Finds a TCP port on 127.0.0.1 that nothing listens on.
///
/// The port is free when this returns; a test that needs to know its server's port before the
/// server starts (to build its public URL) takes that small race.
public enum FreePort {
    public static func find() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(descriptor >= 0, "socket() failed with errno \(errno)")
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(bound == 0, "bind() failed with errno \(errno)")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(descriptor, $0, &length)
            }
        }
        precondition(named == 0, "getsockname() failed with errno \(errno)")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
