import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A new temporary file that receives one request body as it arrives, then becomes a
/// ``SpooledBody``.
///
/// `mkstemp` creates the file with a unique name and mode 0600. Unless ``finish()`` hands the
/// file over, deinit closes and deletes it, so an abandoned or rejected upload leaves nothing
/// behind.
///
/// It is `@unchecked Sendable` because ``RequestContext`` uses it only while holding its lock.
final class SpoolFileWriter: @unchecked Sendable {
    let path: String
    private(set) var byteCount = 0
    private let descriptor: Int32
    private var isHandedOver = false

    /// Creates the file in `directory`.
    init(directory: URL) throws(SpooledBodyError) {
        let template = directory.appendingPathComponent("wabarouter-body-XXXXXX").path
        var name = Array(template.utf8CString)
        let descriptor = name.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw SpooledBodyError(operation: .create, path: template, errorNumber: errno)
        }
        // Handler code may start processes, which must not inherit the descriptor.
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        self.descriptor = descriptor
        self.path = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Appends `chunk` to the file.
    ///
    /// - Throws: ``SpooledBodyError`` with the `write` errno, such as `ENOSPC` when the disk is
    ///   full. Part of the chunk may have been written by then.
    func append(_ chunk: UnsafeRawBufferPointer) throws(SpooledBodyError) {
        guard let start = chunk.baseAddress else { return }
        var offset = 0
        while offset < chunk.count {
            let written = write(descriptor, start + offset, chunk.count - offset)
            if written < 0 {
                guard errno == EINTR else {
                    throw SpooledBodyError(operation: .write, path: path, errorNumber: errno)
                }
                continue
            }
            offset += written
        }
        byteCount += chunk.count
    }

    /// Closes the file and hands it to a ``SpooledBody``, which deletes it when released.
    func finish() -> SpooledBody {
        precondition(!isHandedOver, "spool file \(path) was already handed over")
        isHandedOver = true
        close(descriptor)
        return SpooledBody(path: path, byteCount: byteCount)
    }

    deinit {
        guard !isHandedOver else { return }
        close(descriptor)
        unlink(path)
    }
}
