import Domain
import Foundation

/// One template message to one recipient, as stored.
struct Message: Sendable, Equatable {
    var id: UUID
    var tenantID: UUID
    var wabaID: UUID
    var templateID: UUID
    var templateName: String
    var language: String
    var recipient: String
    var params: JSONValue
    var callbackData: String?
    var status: MessageStatus
    var senderID: UUID?
    var failureReason: String?
    var currentAttemptID: UUID?
    var createdAt: Date
    var updatedAt: Date
}

/// One call to Infobip for a message through one sender.
struct MessageAttempt: Sendable, Equatable, Encodable {
    var id: UUID
    var attemptNumber: Int
    var senderId: UUID
    var senderNumber: String
    /// The `messageId` given to Infobip for this attempt.
    var infobipMessageId: String
    /// `PENDING`, `ACCEPTED`, or the ``FailureCause`` of a failure.
    var outcome: String
    var httpStatus: Int?
    var infobipStatus: String?
    var errorCode: String?
    var reason: String?
    /// HTTP requests made for this attempt; more than one after transient retries.
    var requests: Int
    var startedAt: Date
    var finishedAt: Date?

    static let pendingOutcome = "PENDING"
    static let acceptedOutcome = "ACCEPTED"
}

/// One status a message was given or reported with.
struct MessageEvent: Sendable, Equatable, Encodable {
    var status: String
    /// False for a report that was late, repeated or about a superseded attempt.
    var applied: Bool
    var source: String
    var occurredAt: Date?
    var recordedAt: Date
    var detail: JSONValue?
}
