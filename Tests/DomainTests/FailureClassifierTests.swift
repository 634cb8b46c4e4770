import Testing

@testable import Domain

@Suite struct FailureClassifierTests {
    // MARK: HTTP responses

    @Test(arguments: [
        (401, FailureCause.account),
        (403, .account),
        (404, .sender),
        (408, .transient),
        (429, .transient),
        (400, .content),
        (409, .content),
        (413, .content),
        (422, .content),
        (500, .transient),
        (502, .transient),
        (503, .transient),
        (504, .transient),
    ])
    func httpStatusClassified(status: Int, cause: FailureCause) {
        #expect(FailureClassifier.classify(httpStatus: status, errorCode: nil) == cause)
    }

    @Test(arguments: [
        (401, "UNAUTHORIZED", FailureCause.account),
        (403, "E403", .account),
        (429, "TOO_MANY_REQUESTS", .transient),
        (400, "BAD_REQUEST", .content),
        (500, "E500", .transient),
    ])
    func httpStatusWithErrorCode(status: Int, errorCode: String, cause: FailureCause) {
        #expect(FailureClassifier.classify(httpStatus: status, errorCode: errorCode) == cause)
    }

    // MARK: Message statuses

    /// Group 1 is PENDING and group 3 is DELIVERED, so neither is a failure, even with an error id.
    @Test(arguments: [
        (1, 3, nil as Int?),
        (1, 7, nil),
        (1, 26, nil),
        (3, 2, nil),
        (3, 5, nil),
        (3, 5, 0),
        (3, 5, 7034),
        (1, 7, 131056),
    ])
    func pendingAndDeliveredAreNotFailures(groupId: Int, statusId: Int, errorId: Int?) {
        let cause = FailureClassifier.classify(
            groupId: groupId,
            statusId: statusId,
            errorId: errorId
        )
        #expect(cause == nil)
    }

    @Test(arguments: [0, 6, -1])
    func unknownGroupIsNotFailure(groupId: Int) {
        #expect(FailureClassifier.classify(groupId: groupId, statusId: 13, errorId: nil) == nil)
    }

    @Test(arguments: [
        (5, 13, FailureCause.sender),  // REJECTED_SENDER
        (5, 11, .sender),  // REJECTED_SOURCE
        (5, 52, .recipient),  // REJECTED_DESTINATION
        (5, 14, .recipient),  // REJECTED_DESTINATION_BLOCKLISTED
        (5, 18, .recipient),  // REJECTED_DESTINATION_NOT_REGISTERED
        (5, 51, .recipient),  // MISSING_TO
        (5, 12, .account),  // REJECTED_NOT_ENOUGH_CREDITS
        (5, 17, .account),  // REJECTED_PREPAID_PACKAGE_EXPIRED
        (5, 20, .transient),  // REJECTED_FLOODING_FILTER
        (5, 21, .transient),  // REJECTED_SYSTEM_ERROR
        (5, 23, .duplicate),  // REJECTED_DUPLICATE_MESSAGE_ID
        (5, 25, .content),  // REJECTED_MESSAGE_TOO_LONG
        (2, 4, .recipient),  // UNDELIVERABLE_REJECTED_OPERATOR
        (2, 9, .recipient),  // UNDELIVERABLE_NOT_DELIVERED
        (2, 100, .content),  // UNDELIVERABLE_REJECTED_PLATFORM
        (4, 15, .recipient),  // EXPIRED_EXPIRED
        (4, 29, .recipient),  // EXPIRED_DLR_UNKNOWN
    ])
    func failureStatusClassified(groupId: Int, statusId: Int, cause: FailureCause) {
        let classified = FailureClassifier.classify(
            groupId: groupId,
            statusId: statusId,
            errorId: nil
        )
        #expect(classified == cause)
    }

    @Test func rejectedSenderTriesNextSender() throws {
        let cause = try #require(FailureClassifier.classify(groupId: 5, statusId: 13, errorId: nil))
        #expect(cause == .sender)
        #expect(cause.nextStep == .tryNextSender)
    }

    @Test func rejectedDestinationFailsMessage() throws {
        let cause = try #require(FailureClassifier.classify(groupId: 5, statusId: 52, errorId: nil))
        #expect(cause == .recipient)
        #expect(cause.nextStep == .failMessage)
    }

    /// An unlisted status must not move the message to another sender, because a guess could
    /// deliver it twice.
    @Test(arguments: [
        (5, 999, FailureCause.content),
        (5, 0, .content),
        (2, 999, .content),
        (4, 999, .recipient),
    ])
    func unknownStatusStaysOnSender(groupId: Int, statusId: Int, cause: FailureCause) throws {
        let classified = try #require(
            FailureClassifier.classify(groupId: groupId, statusId: statusId, errorId: nil)
        )
        #expect(classified == cause)
        #expect(classified.nextStep == .failMessage)
        #expect(classified.nextStep != .tryNextSender)
    }

    // MARK: Error codes

    @Test(arguments: [
        (7002, FailureCause.recipient),  // EC_UNKNOWN_USER
        (7003, .recipient),  // EC_BLOCKED_USER
        (7010, .recipient),  // EC_NO_SESSION
        (7034, .sender),  // EC_SENDER_NOT_REGISTERED
        (7016, .sender),  // EC_SPAM_RATE
        (7001, .account),  // EC_UNKNOWN_APPLICATION
        (7004, .account),  // EC_UNAUTHORIZED_ACCESS
        (7008, .content),  // EC_INVALID_TEMPLATE_ARGS
        (7017, .rateLimited),  // EC_TOO_MANY_REQUESTS
        (7036, .transient),  // EC_TEMPLATE_NOT_SYNCED
        (7280, .duplicate),  // EC_DUPLICATE_REQUEST
        (7281, .account),  // EC_BAD_ORIGIN
    ])
    func infobipErrorCodeClassified(code: Int, cause: FailureCause) {
        #expect(FailureClassifier.cause(forErrorCode: code) == cause)
    }

    @Test(arguments: [
        (131056, FailureCause.rateLimited),  // pair rate limit
        (130429, .senderThrottled),  // throughput exceeded
        (131057, .senderThrottled),  // account in maintenance
        (2_494_100, .senderThrottled),
        (131026, .recipient),  // message undeliverable
        (131047, .recipient),  // re-engagement window closed
        (131048, .sender),  // spam rate limit
        (131031, .account),  // account locked
        (132000, .content),  // template parameter count mismatch
        (190, .account),  // access token expired
        (200, .account),  // permission errors 200-299
        (250, .account),
        (299, .account),
    ])
    func metaErrorCodeClassified(code: Int, cause: FailureCause) {
        #expect(FailureClassifier.cause(forErrorCode: code) == cause)
    }

    @Test(arguments: [7028, 7999, 199, 300, 99_999, -1])
    func unlistedErrorCodeHasNoCause(code: Int) {
        #expect(FailureClassifier.cause(forErrorCode: code) == nil)
    }

    /// Meta's pair rate limit counts messages from one sender number to one recipient, so the
    /// message retries on the same sender instead of rotating senders around the limit.
    @Test func pairRateLimitRetriesSameSender() throws {
        let cause = try #require(
            FailureClassifier.classify(groupId: 5, statusId: 13, errorId: 131056)
        )
        #expect(cause == .rateLimited)
        #expect(cause.nextStep == .backOffSameSender)
    }

    @Test func throughputLimitThrottlesSender() throws {
        let cause = try #require(
            FailureClassifier.classify(groupId: 2, statusId: 9, errorId: 130429)
        )
        #expect(cause == .senderThrottled)
        #expect(cause.nextStep == .tryNextSender)
    }

    @Test(arguments: [
        (5, 13, 7002, FailureCause.recipient),
        (5, 13, 7280, .duplicate),
        (5, 52, 7034, .sender),
        (2, 9, 7034, .sender),
        (4, 15, 7017, .rateLimited),
        (5, 999, 7008, .content),
        (5, 13, 250, .account),
    ])
    func errorCodeOverridesStatus(groupId: Int, statusId: Int, errorId: Int, cause: FailureCause) {
        let classified = FailureClassifier.classify(
            groupId: groupId,
            statusId: statusId,
            errorId: errorId
        )
        #expect(classified == cause)
    }

    /// Error id 0 means no error, and an unlisted id carries no signal, so the status decides.
    @Test(arguments: [nil as Int?, 0, 7028, 99_999])
    func statusDecidesWithoutKnownError(errorId: Int?) {
        let classified = FailureClassifier.classify(groupId: 5, statusId: 13, errorId: errorId)
        #expect(classified == .sender)
    }
}
