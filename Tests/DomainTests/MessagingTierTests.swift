import Testing

@testable import Domain

@Suite struct MessagingTierTests {
    @Test(arguments: [
        (MessagingTier.tier250, 250 as Int?),
        (.tier2K, 2_000),
        (.tier10K, 10_000),
        (.tier100K, 100_000),
        (.unlimited, nil),
    ])
    func tierLimitsUniqueRecipients(tier: MessagingTier, recipients: Int?) {
        #expect(tier.uniqueRecipients == recipients)
    }

    @Test(arguments: ["TIER_250", "TIER_2K", "TIER_10K", "TIER_100K", "UNLIMITED"])
    func tierNamesAreMetas(name: String) {
        #expect(MessagingTier(rawValue: name)?.rawValue == name)
    }
}
