import Testing

@testable import Domain

@Suite struct FailureCauseTests {
    private static let nextSteps: [(FailureCause, FailureStep)] = [
        (.sender, .tryNextSender),
        (.senderThrottled, .tryNextSender),
        (.recipient, .failMessage),
        (.content, .failMessage),
        (.account, .failMessage),
        (.transient, .retrySameSender),
        (.rateLimited, .backOffSameSender),
        (.duplicate, .awaitReport),
        (.unknownOutcome, .awaitReport),
    ]

    @Test(arguments: nextSteps)
    func causeDecidesNextStep(cause: FailureCause, step: FailureStep) {
        #expect(cause.nextStep == step)
    }

    @Test func stepTableListsEveryCause() {
        #expect(Set(Self.nextSteps.map(\.0)) == Set(FailureCause.allCases))
    }

    /// Another sender helps only when this sender is at fault. After an unknown outcome it could
    /// deliver the message twice.
    @Test(arguments: FailureCause.allCases)
    func onlySenderCausesRotateSenders(cause: FailureCause) {
        let rotates = cause.nextStep == .tryNextSender
        #expect(rotates == (cause == .sender || cause == .senderThrottled))
    }

    @Test(arguments: [
        (FailureCause.sender, "SENDER"),
        (.senderThrottled, "SENDER_THROTTLED"),
        (.recipient, "RECIPIENT"),
        (.content, "CONTENT"),
        (.account, "ACCOUNT"),
        (.transient, "TRANSIENT"),
        (.rateLimited, "RATE_LIMITED"),
        (.duplicate, "DUPLICATE"),
        (.unknownOutcome, "UNKNOWN_OUTCOME"),
    ])
    func rawValueIsStoredName(cause: FailureCause, name: String) {
        #expect(cause.rawValue == name)
        #expect(FailureCause(rawValue: name) == cause)
    }
}
