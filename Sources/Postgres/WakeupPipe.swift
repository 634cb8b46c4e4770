#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pipe that lets any thread interrupt a dedicated thread blocked in `poll`.
final class WakeupPipe: Sendable {
    /// Reason a ``wait(forReadable:timeoutMilliseconds:)`` returned.
    enum WaitResult {
        case readable
        case woken
        case timedOut
    }

    /// Upper bound of one wait when the pipe could not be created, so that a caller still
    /// notices a stop request this often.
    private static let fallbackPollMilliseconds: Int32 = 250

    /// Read and write ends, or nil when `pipe` failed, such as when out of file descriptors.
    private let descriptors: (read: Int32, write: Int32)?

    init() {
        var pair: [Int32] = [0, 0]
        guard pipe(&pair) == 0 else {
            descriptors = nil
            return
        }
        for descriptor in pair {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        descriptors = (pair[0], pair[1])
    }

    deinit {
        if let descriptors {
            close(descriptors.read)
            close(descriptors.write)
        }
    }

    /// Makes the current or next wait return `.woken`. Any thread may call it.
    func wake() {
        guard let descriptors else { return }
        var byte: UInt8 = 1
        // A full pipe already guarantees a wake-up, so a failed write needs no handling.
        _ = write(descriptors.write, &byte, 1)
    }

    /// Blocks until `socket` is readable (data, hang-up or error), ``wake()`` was called, or
    /// `timeoutMilliseconds` passed. A negative timeout waits without limit.
    ///
    /// A `socket` below 0 waits only for the wake-up or the timeout. Without a pipe, a wait
    /// lasts at most 250 ms and then returns `.woken`.
    func wait(forReadable socket: Int32, timeoutMilliseconds: Int32) -> WaitResult {
        var entries: [pollfd] = []
        if let descriptors {
            entries.append(pollfd(fd: descriptors.read, events: Int16(POLLIN), revents: 0))
        }
        if socket >= 0 {
            entries.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0))
        }
        var timeout = timeoutMilliseconds
        let isCapped =
            descriptors == nil && (timeout < 0 || timeout > Self.fallbackPollMilliseconds)
        if isCapped {
            timeout = Self.fallbackPollMilliseconds
        }

        let count = poll(&entries, nfds_t(entries.count), timeout)
        if count < 0 {
            // After a signal (EINTR) the caller rechecks its state and waits again. Any other
            // error concerns the socket, and reading from it surfaces that error.
            return errno == EINTR ? .woken : .readable
        }
        if count == 0 {
            return isCapped ? .woken : .timedOut
        }
        if descriptors != nil, entries[0].revents != 0 {
            drain()
            return .woken
        }
        return .readable
    }

    private func drain() {
        guard let descriptors else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(descriptors.read, &buffer, buffer.count) > 0 {}
    }
}
