import CMicroHTTPD

/// libmicrohttpd's two query functions, `MHD_get_daemon_info` and `MHD_get_connection_info`.
///
/// Both are variadic, so Swift cannot import them; the `CMicroHTTPD` shim header wraps each in
/// a plain C function for the one info type used here.
enum LibraryInfo {
    /// Returns the port of the daemon's listen socket, which is the real port when port 0 was
    /// bound.
    static func boundPort(of daemon: OpaquePointer) -> Int? {
        let port = wabarouter_mhd_bound_port(daemon)
        return port == 0 ? nil : Int(port)
    }

    /// Returns the client's numeric IP address on `connection`.
    static func clientAddress(of connection: OpaquePointer) -> String? {
        guard let address = wabarouter_mhd_client_address(connection) else { return nil }
        return SocketAddress.numericHost(of: address)
    }
}
