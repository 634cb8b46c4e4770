import CMicroHTTPD
import Foundation

extension DaemonContext {
    /// Queues `response` on `connection` with `MHD_RESPMEM_MUST_COPY`, so the body may be
    /// freed as soon as this returns.
    ///
    /// While the server stops, the response also carries `Connection: close`.
    func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
        var status = response.status
        if !(200...599).contains(status) {
            logger.warning("HTTP handler returned an invalid status", ["status": String(status)])
            status = 500
        }
        let libraryResponse = response.body.withUnsafeBytes { body in
            MHD_create_response_from_buffer(
                body.count,
                UnsafeMutableRawPointer(mutating: body.baseAddress),
                .RESPMEM_MUST_COPY
            )
        }
        guard let libraryResponse else {
            logger.error("HTTP response creation failed", ["bytes": String(response.body.count)])
            return .NO
        }
        defer { MHD_destroy_response(libraryResponse) }

        for (name, value) in response.headers {
            // libmicrohttpd computes Content-Length from the body and rejects a second one.
            if HTTPHeaders.namesMatch(name, "Content-Length") { continue }
            if MHD_add_response_header(libraryResponse, name, value) == .NO {
                logger.warning("HTTP response header rejected", ["header": name])
            }
        }
        if isStopping {
            _ = MHD_add_response_header(libraryResponse, "Connection", "close")
        }
        let result = MHD_queue_response(connection, UInt32(status), libraryResponse)
        if result == .NO {
            logger.error("HTTP response could not be queued", ["status": String(status)])
        }
        return result
    }
}
