import Foundation

/// Hands values from one producer thread to one consumer thread, holding at most `capacity`
/// of them, so a producer that runs ahead waits instead of filling memory.
///
/// Blocking is the point: both sides run on threads of their own, never on Swift's
/// cooperative pool.
final class BoundedChannel<Value>: @unchecked Sendable {
    // Every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var buffer: [Value] = []
    private let capacity: Int
    private var isFinished = false
    private var isCancelled = false
    private var failure: (any Error)?

    init(capacity: Int) {
        precondition(capacity >= 1, "BoundedChannel needs a capacity of at least 1")
        self.capacity = capacity
    }

    /// Adds a value, waiting while the buffer is full. Returns false, dropping the value, once
    /// the consumer cancelled.
    @discardableResult
    func send(_ value: Value) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while buffer.count >= capacity && !isCancelled {
            condition.wait()
        }
        guard !isCancelled else { return false }
        buffer.append(value)
        condition.broadcast()
        return true
    }

    /// Ends the stream; `error` is thrown to the consumer after the values sent before it.
    func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        defer { condition.unlock() }
        isFinished = true
        failure = error
        condition.broadcast()
    }

    /// Returns the next value, waiting for one, or nil after the last.
    ///
    /// - Throws: the error the producer finished with, once every earlier value was received.
    func receive() throws -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while buffer.isEmpty && !isFinished {
            condition.wait()
        }
        guard buffer.isEmpty else {
            condition.broadcast()
            return buffer.removeFirst()
        }
        if let failure {
            throw failure
        }
        return nil
    }

    /// Tells the producer to stop: a waiting ``send(_:)`` returns false, and so do later ones.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        isCancelled = true
        buffer.removeAll()
        condition.broadcast()
    }
}
