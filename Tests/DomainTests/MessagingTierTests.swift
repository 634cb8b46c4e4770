import Testing

@testable import Domain

@Suite struct MessagingTierTests {
    @Test(arguments: [
        ("LIMIT_250", MessagingTier.tier250, 250 as Int?),
        ("LIMIT_2K", .tier2K, 2_000),
        ("LIMIT_10K", .tier10K, 10_000),
        ("LIMIT_100K", .tier100K, 100_000),
        ("UNLIMITED", .unlimited, nil),
    ])
    func infobipLimitMapsToTier(limit: String, tier: MessagingTier, recipients: Int?) {
        #expect(MessagingTier(infobipLimit: limit) == tier)
        #expect(tier.uniqueRecipients == recipients)
    }

    @Test(arguments: ["LIMIT_NA", "LIMIT_1K", "", "limit_250"])
    func unusableLimitHasNoTier(limit: String) {
        #expect(MessagingTier(infobipLimit: limit) == nil)
    }
}
