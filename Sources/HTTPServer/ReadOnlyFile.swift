import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file descriptor opened read-only and closed when the last reference goes away.
///
/// Reads go through `pread` with an explicit offset, so the descriptor has no position that
/// concurrent readers could disturb.
final class ReadOnlyFile: Sendable {
    private let descriptor: Int32
    private let path: String

    init(path: String) throws(SpooledBodyError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw SpooledBodyError(operation: .open, path: path, errorNumber: errno)
        }
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// Reads exactly `count` bytes starting at byte `offset`.
    ///
    /// - Throws: ``SpooledBodyError`` when `pread` fails, or with a `nil` error number when the
    ///   file ends before `count` bytes.
    func read(count: Int, at offset: Int) throws(SpooledBodyError) -> Data {
        var data = Data(count: count)
        var filled = 0
        var errorNumber: Int32?
        data.withUnsafeMutableBytes { buffer in
            while filled < count {
                let received = pread(
                    descriptor,
                    buffer.baseAddress! + filled,
                    count - filled,
                    off_t(offset + filled)
                )
                if received > 0 {
                    filled += received
                } else if received < 0, errno == EINTR {
                    continue
                } else {
                    errorNumber = received < 0 ? errno : nil
                    break
                }
            }
        }
        guard filled == count else {
            throw SpooledBodyError(operation: .read, path: path, errorNumber: errorNumber)
        }
        return data
    }
}
