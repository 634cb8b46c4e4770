import CMicroHTTPD
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// libmicrohttpd calls these functions on its own threads. Each `cls` argument is the
// daemon's `DaemonContext`, which stays retained until the daemon has stopped.

/// Forwards an access handler call (`MHD_AccessHandlerCallback`) to the daemon's context.
func libraryAccessHandler(
    _ cls: UnsafeMutableRawPointer?,
    _ connection: OpaquePointer?,
    _ url: UnsafePointer<CChar>?,
    _ method: UnsafePointer<CChar>?,
    _ version: UnsafePointer<CChar>?,
    _ uploadData: UnsafePointer<CChar>?,
    _ uploadDataSize: UnsafeMutablePointer<Int>?,
    _ requestSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let uploadDataSize, let requestSlot else { return .NO }
    return Unmanaged<DaemonContext>.fromOpaque(cls).takeUnretainedValue().handleAccess(
        connection: connection,
        url: url,
        method: method,
        uploadData: uploadData,
        uploadDataSize: uploadDataSize,
        requestSlot: requestSlot
    )
}

/// Releases a request's state when libmicrohttpd reports it complete
/// (`MHD_RequestCompletedCallback`), once per request that reached the access handler.
func libraryRequestCompleted(
    _ cls: UnsafeMutableRawPointer?,
    _ connection: OpaquePointer?,
    _ requestSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ termination: MHD_RequestTerminationCode
) {
    guard let cls, let requestSlot else { return }
    Unmanaged<DaemonContext>.fromOpaque(cls).takeUnretainedValue()
        .completeRequestSlot(requestSlot)
}

/// Formats and records a libmicrohttpd error message (`MHD_LogCallback`), which arrives as a
/// printf format and its arguments.
func libraryLogMessage(
    _ cls: UnsafeMutableRawPointer?,
    _ format: UnsafePointer<CChar>?,
    _ arguments: CVaListPointer?
) {
    guard let cls, let format, let arguments else { return }
    let message = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
        guard let start = buffer.baseAddress,
            vsnprintf(start, buffer.count, format, arguments) >= 0
        else { return "unformattable libmicrohttpd message" }
        return String(cString: start)
    }
    Unmanaged<DaemonContext>.fromOpaque(cls).takeUnretainedValue()
        .recordLibraryMessage(message.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Returns the request's header fields or query arguments of `kind` in arrival order.
///
/// libmicrohttpd has already percent-decoded query argument names and values.
func readConnectionValues(
    _ connection: OpaquePointer,
    kind: MHD_ValueKind
) -> [(String, String)] {
    var values: [(String, String)] = []
    withUnsafeMutablePointer(to: &values) { pointer in
        _ = MHD_get_connection_values_n(connection, kind, appendConnectionValue, pointer)
    }
    return values
}

/// Appends one header field or query argument to the `[(String, String)]` that `cls` points to
/// (`MHD_KeyValueIteratorN`).
private func appendConnectionValue(
    _ cls: UnsafeMutableRawPointer?,
    _ kind: MHD_ValueKind,
    _ key: UnsafePointer<CChar>?,
    _ keySize: Int,
    _ value: UnsafePointer<CChar>?,
    _ valueSize: Int
) -> MHD_Result {
    guard let cls else { return .NO }
    let values = cls.assumingMemoryBound(to: [(String, String)].self)
    values.pointee.append((decodeUTF8(key, count: keySize), decodeUTF8(value, count: valueSize)))
    return .YES
}

/// Decodes `count` bytes at `pointer` as UTF-8, repairing invalid sequences. A `nil` pointer
/// decodes as the empty string.
private func decodeUTF8(_ pointer: UnsafePointer<CChar>?, count: Int) -> String {
    guard let pointer, count > 0 else { return "" }
    let bytes = UnsafeRawBufferPointer(start: pointer, count: count)
    return String(decoding: bytes, as: UTF8.self)
}
