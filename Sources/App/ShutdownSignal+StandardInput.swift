import Foundation
import Logging
import Synchronization

extension ShutdownSignal {
    /// Name of the environment variable that makes `wabarouter serve` stop, as on SIGTERM, once
    /// its standard input reaches end of file.
    ///
    /// A supervisor that keeps the write end of a pipe on the server's standard input, such as
    /// the test suite, then stops the server by exiting, even when it is killed. It is off by
    /// default because a server whose standard input is `/dev/null` would stop at once.
    static let standardInputVariable = "EXIT_ON_STDIN_CLOSE"

    /// Reads ``standardInputVariable``, which is `true` or `false`. Unset or empty means false.
    static func watchesStandardInput(
        _ environment: [String: String]
    ) throws(ConfigurationError) -> Bool {
        switch environment[standardInputVariable] ?? "" {
        case "", "false": return false
        case "true": return true
        case let text:
            throw ConfigurationError(
                variable: standardInputVariable,
                problem: "is '\(text)'; it must be true or false."
            )
        }
    }

    /// Waits for SIGINT or SIGTERM, and also for the end of standard input when
    /// `watchingStandardInput` is true, whichever comes first.
    static func wait(watchingStandardInput: Bool, logger: Logger) async {
        guard watchingStandardInput else {
            await wait()
            return
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let first = FirstEvent(continuation)
            // When standard input ends first, this task stays suspended until the process exits.
            Task {
                await wait()
                first.resume()
            }
            Thread.detachNewThread {
                readStandardInputToEnd()
                if first.resume() {
                    logger.info(
                        "stopping because standard input closed",
                        ["variable": standardInputVariable]
                    )
                }
            }
        }
    }

    /// Reads and discards standard input until a read returns end of file or fails.
    private static func readStandardInputToEnd() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            if count > 0 || (count < 0 && errno == EINTR) {
                continue
            }
            return
        }
    }
}

/// Resumes a continuation for the first of several events only.
private final class FirstEvent: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// Resumes the continuation and returns true on the first call. Later calls return false.
    @discardableResult
    func resume() -> Bool {
        guard let continuation = continuation.withLock({ $0.take() }) else { return false }
        continuation.resume()
        return true
    }
}
