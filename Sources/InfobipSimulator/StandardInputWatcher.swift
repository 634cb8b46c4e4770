import Foundation

/// Reads and discards standard input on a thread of its own, so the process learns when the
/// writer at the other end of a pipe has gone away.
enum StandardInputWatcher {
    /// Starts the thread. It calls `onEnd` once, when a read returns end of file or fails.
    static func start(onEnd: @escaping @Sendable () -> Void) {
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count > 0 || (count < 0 && errno == EINTR) {
                    continue
                }
                break
            }
            onEnd()
        }
    }
}
