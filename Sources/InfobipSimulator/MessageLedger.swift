import Synchronization

/// Counts of template traffic and the message ids accepted so far, for duplicate detection and
/// `GET /simulator/stats`.
final class MessageLedger: Sendable {
    private struct State {
        var templateRequests = 0
        var messagesAccepted = 0
        var acceptedIds: Set<String> = []
        var duplicateMessageIds: [String] = []
    }

    private let state = Mutex(State())

    func recordTemplateRequest() {
        state.withLock { $0.templateRequests += 1 }
    }

    /// Returns whether `messageId` was accepted before, and counts a duplicate when it was.
    func isDuplicate(_ messageId: String) -> Bool {
        state.withLock { state in
            guard state.acceptedIds.contains(messageId) else { return false }
            state.duplicateMessageIds.append(messageId)
            return true
        }
    }

    /// Records `messageId` as accepted, so a later message with the same id is a duplicate.
    /// Returns false, and counts a duplicate, when a concurrent request accepted it first.
    func recordAccepted(_ messageId: String) -> Bool {
        state.withLock { state in
            guard state.acceptedIds.insert(messageId).inserted else {
                state.duplicateMessageIds.append(messageId)
                return false
            }
            state.messagesAccepted += 1
            return true
        }
    }

    /// The ledger's members of the `GET /simulator/stats` body.
    var members: [String: JSONValue] {
        state.withLock { state in
            [
                "templateRequests": .integer(state.templateRequests),
                "messagesAccepted": .integer(state.messagesAccepted),
                "duplicates": .integer(state.duplicateMessageIds.count),
                "duplicateMessageIds": .array(state.duplicateMessageIds.map(JSONValue.string)),
            ]
        }
    }
}
