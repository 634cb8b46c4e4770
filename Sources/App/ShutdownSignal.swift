import Dispatch
import Foundation

/// Waits for SIGINT or SIGTERM without blocking a thread.
enum ShutdownSignal {
    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "wabarouter.signals")
            let resumed = ResumeOnce(continuation)
            for signalNumber in [SIGINT, SIGTERM] {
                // The default action would end the process before the server can drain.
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler {
                    resumed.resume()
                }
                source.resume()
                Self.sources.append(source)
            }
        }
    }

    /// Keeps the signal sources alive for the life of the process.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
}

/// Resumes a continuation once, however many signals arrive.
private final class ResumeOnce: @unchecked Sendable {
    // Only touched on the serial signal queue, so no lock is needed.
    private var continuation: CheckedContinuation<Void, Never>?

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = continuation
    }

    func resume() {
        continuation?.resume()
        continuation = nil
    }
}
