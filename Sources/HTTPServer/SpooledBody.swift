public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request body that the server wrote to a temporary file instead of memory, because the
/// route's ``HTTPServer/BodyPolicy`` is ``HTTPServer/BodyPolicy/spool(maxBytes:)``.
///
/// The file has mode 0600 and lives in the system's temporary directory. It is deleted when
/// the last reference to the body goes away, which is when the handler returns unless the
/// handler keeps the request or a reader. Readers may run on any thread, one after another or
/// at the same time, and each starts at the first byte.
public final class SpooledBody: Sendable {
    /// The body's size in bytes.
    public let byteCount: Int

    /// The temporary file's path.
    let path: String

    init(path: String, byteCount: Int) {
        self.path = path
        self.byteCount = byteCount
    }

    deinit {
        unlink(path)
    }

    /// Opens the file for a new reader that returns the body from its first byte.
    ///
    /// - Parameter chunkSize: Bytes per chunk that ``SpooledBodyReader/next()`` returns, at
    ///   least 1, by default 64 KiB. The last chunk may be shorter.
    /// - Throws: ``SpooledBodyError`` when the file cannot be opened, such as when the process
    ///   has no file descriptors left.
    public func makeReader(chunkSize: Int = 65_536) throws(SpooledBodyError) -> SpooledBodyReader {
        precondition(chunkSize >= 1, "chunkSize must be at least 1, not \(chunkSize)")
        return SpooledBodyReader(
            body: self,
            file: try ReadOnlyFile(path: path),
            chunkSize: chunkSize
        )
    }

    /// Reads the whole body into memory, which defeats spooling for large bodies.
    ///
    /// - Throws: ``SpooledBodyError`` when the file cannot be opened or read.
    public func readAll() throws(SpooledBodyError) -> Data {
        try ReadOnlyFile(path: path).read(count: byteCount, at: 0)
    }
}
